// Benchmark-only HTTP/1.1 static file server (files held in memory, keep-alive, one thread per
// connection), so that the server is not what limits a download benchmark over loopback.
// Usage: bench_static_server DIR [PORT]   prints "PORT <n>" once listening.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <unistd.h>

#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <thread>
#include <unordered_map>

namespace {

std::unordered_map<std::string, std::string> g_files;  // "/img/NAME" -> bytes; read-only once serving

bool send_all(int fd, const iovec* iov, int n) {
  iovec v[2];
  std::copy(iov, iov + n, v);
  int i = 0;
  while (i < n) {
    const ssize_t w = writev(fd, v + i, n - i);
    if (w <= 0) return false;
    size_t left = static_cast<size_t>(w);
    while (i < n && left >= v[i].iov_len) left -= v[i++].iov_len;
    if (i < n) {
      v[i].iov_base = static_cast<char*>(v[i].iov_base) + left;
      v[i].iov_len -= left;
    }
  }
  return true;
}

// Answers one request from `req` (a complete header block); false when the connection should close.
bool answer(int fd, const std::string& req) {
  const size_t sp1 = req.find(' '), sp2 = req.find(' ', sp1 + 1);
  if (sp1 == std::string::npos || sp2 == std::string::npos) return false;
  const std::string path = req.substr(sp1 + 1, sp2 - sp1 - 1);
  const auto it = g_files.find(path);
  static const std::string kMissing = "not found\n";
  const std::string& body = it == g_files.end() ? kMissing : it->second;
  const std::string head = std::string(it == g_files.end() ? "HTTP/1.1 404 Not Found" : "HTTP/1.1 200 OK") +
                           "\r\nContent-Type: image/jpeg\r\nContent-Length: " + std::to_string(body.size()) +
                           "\r\n\r\n";
  const iovec iov[2] = {{const_cast<char*>(head.data()), head.size()},
                        {const_cast<char*>(body.data()), body.size()}};
  return send_all(fd, iov, 2) && req.find("Connection: close") == std::string::npos;
}

void serve(int fd) {
  std::string buf;
  char chunk[8192];
  for (;;) {
    size_t end;
    while ((end = buf.find("\r\n\r\n")) == std::string::npos) {
      const ssize_t n = read(fd, chunk, sizeof chunk);
      if (n <= 0 || buf.size() > 65536) {
        close(fd);
        return;
      }
      buf.append(chunk, static_cast<size_t>(n));
    }
    const std::string req = buf.substr(0, end + 4);
    buf.erase(0, end + 4);
    if (!answer(fd, req)) break;
  }
  close(fd);
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: %s DIR [PORT]\n", argv[0]);
    return 2;
  }
  for (const auto& entry : std::filesystem::directory_iterator(argv[1])) {
    if (!entry.is_regular_file()) continue;
    std::ifstream in(entry.path(), std::ios::binary);
    g_files["/img/" + entry.path().filename().string()] =
        std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  }
  const int ls = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  const int one = 1;
  setsockopt(ls, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(argc > 2 ? std::atoi(argv[2]) : 0));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof addr;
  if (bind(ls, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 || listen(ls, 1024) != 0 ||
      getsockname(ls, reinterpret_cast<sockaddr*>(&addr), &len) != 0) {
    std::perror("listen");
    return 1;
  }
  std::printf("PORT %d\n", ntohs(addr.sin_port));
  std::fflush(stdout);
  for (;;) {
    const int fd = accept4(ls, nullptr, nullptr, SOCK_CLOEXEC);
    if (fd < 0) continue;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    std::thread(serve, fd).detach();
  }
}
