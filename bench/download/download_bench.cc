// Download benchmark client: our Downloader over a URL list, bodies written to a folder (as aria2c does).
// Usage: download_bench LIST OUT_DIR JOBS   prints "files=N bytes=B seconds=S failed=F"
#include <fcntl.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <fstream>
#include <string>

#include "warcpairs/net/downloader.h"

int main(int argc, char** argv) {
  if (argc < 4) {
    std::fprintf(stderr, "usage: %s LIST OUT_DIR JOBS\n", argv[0]);
    return 2;
  }
  const std::string out_dir = argv[2];
  warcpairs::net::FetchOptions o;
  o.allow_loopback = true;  // the bench server is on loopback
  o.max_connections = std::stoi(argv[3]);
  o.max_per_host = o.max_connections;  // one host: as many connections as aria2c -j
  warcpairs::net::Downloader d(o);
  std::vector<std::string> names;
  std::ifstream list(argv[1]);
  for (std::string url; std::getline(list, url);) {
    if (url.empty()) continue;
    names.push_back(url.substr(url.rfind('/') + 1));
    d.add(names.size() - 1, url);
  }
  uint64_t bytes = 0, failed = 0, files = 0;
  const auto t0 = std::chrono::steady_clock::now();
  d.run([&](warcpairs::net::FetchResult&& r) {
    if (r.outcome != "ok") {
      ++failed;
      std::fprintf(stderr, "%s: %s %s\n", r.url.c_str(), r.outcome.c_str(), r.detail.c_str());
      return;
    }
    const std::string path = out_dir + "/" + names[r.key];
    const int fd = open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0 || write(fd, r.body.data(), r.body.size()) != static_cast<ssize_t>(r.body.size())) ++failed;
    if (fd >= 0) close(fd);
    ++files;
    bytes += r.body.size();
  });
  const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  std::printf("files=%llu bytes=%llu seconds=%.4f failed=%llu\n", static_cast<unsigned long long>(files),
              static_cast<unsigned long long>(bytes), s, static_cast<unsigned long long>(failed));
  return failed == 0 ? 0 : 1;
}
