// Starts and stops the Python test server (fork/exec), fetches its hit counters, writes test files.
#include "test_server.h"

#include <curl/curl.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <random>
#include <stdexcept>

namespace warcpairs::net::testing {
namespace fs = std::filesystem;

TestServer::TestServer(const fs::path& files_dir) {
  start({"/usr/bin/python3", std::string(WARCPAIRS_SOURCE_DIR) + "/tests/net/http_test_server.py",
         files_dir.string(), "--port", "0"});
}

TestServer::TestServer(const std::vector<std::string>& argv) { start(argv); }

void TestServer::start(const std::vector<std::string>& argv) {
  int out[2];
  if (pipe(out) != 0) throw std::runtime_error("pipe");
  std::vector<char*> args;
  for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  pid_ = fork();
  if (pid_ == 0) {
    dup2(out[1], STDOUT_FILENO);
    close(out[0]);
    close(out[1]);
    execvp(args[0], args.data());
    _exit(127);
  }
  close(out[1]);
  std::string line;
  pollfd p{out[0], POLLIN, 0};
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (line.find('\n') == std::string::npos && std::chrono::steady_clock::now() < deadline) {
    if (poll(&p, 1, 100) <= 0) continue;
    char buf[64];
    const ssize_t n = read(out[0], buf, sizeof buf);
    if (n <= 0) break;
    line.append(buf, static_cast<size_t>(n));
  }
  close(out[0]);
  if (line.rfind("PORT ", 0) != 0) {
    kill(pid_, SIGKILL);
    waitpid(pid_, nullptr, 0);
    throw std::runtime_error("test server did not start: '" + line + "'");
  }
  port_ = std::stoi(line.substr(5));
}

TestServer::~TestServer() {
  if (pid_ > 0) {
    kill(pid_, SIGKILL);
    waitpid(pid_, nullptr, 0);
  }
}

std::string TestServer::url(const std::string& path) const {
  return "http://127.0.0.1:" + std::to_string(port_) + path;
}

namespace {
size_t append(char* data, size_t size, size_t n, void* out) {
  static_cast<std::string*>(out)->append(data, size * n);
  return size * n;
}
}  // namespace

int TestServer::hits(const std::string& path) const {
  CURL* e = curl_easy_init();
  char* escaped = curl_easy_escape(e, path.c_str(), static_cast<int>(path.size()));
  const std::string u = url("/_hits?path=") + escaped;
  curl_free(escaped);
  std::string body;
  curl_easy_setopt(e, CURLOPT_URL, u.c_str());
  curl_easy_setopt(e, CURLOPT_PROXY, "");
  curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, &append);
  curl_easy_setopt(e, CURLOPT_WRITEDATA, &body);
  const CURLcode code = curl_easy_perform(e);
  curl_easy_cleanup(e);
  if (code != CURLE_OK) throw std::runtime_error("hits: " + std::string(curl_easy_strerror(code)));
  return std::stoi(body);
}

FileSet::FileSet() {
  std::string templ = (fs::temp_directory_path() / "warcpairs-net-XXXXXX").string();
  if (!mkdtemp(templ.data())) throw std::runtime_error("mkdtemp");
  dir_ = templ;
}

FileSet::~FileSet() {
  std::error_code ec;
  fs::remove_all(dir_, ec);
}

const std::vector<uint8_t>& FileSet::add(const std::string& name, size_t size, uint64_t seed) {
  std::vector<uint8_t> bytes(size);
  std::mt19937_64 rng(seed);
  for (auto& b : bytes) b = static_cast<uint8_t>(rng());
  std::ofstream(dir_ / name, std::ios::binary)
      .write(reinterpret_cast<const char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
  return kept_.emplace_back(std::move(bytes));
}

std::vector<uint8_t> read_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

}  // namespace warcpairs::net::testing
