// Test fixture support: runs tests/net/http_test_server.py on 127.0.0.1 and talks to it.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <deque>
#include <filesystem>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "warcpairs/net/transfer_engine.h"

namespace warcpairs::net::testing {

class TestServer {
 public:
  // Starts the server over `files_dir`; throws when it does not print its port within 10 s.
  explicit TestServer(const std::filesystem::path& files_dir);
  // Any server program that prints "PORT <n>" on its first line of stdout.
  explicit TestServer(const std::vector<std::string>& argv);
  ~TestServer();
  TestServer(const TestServer&) = delete;
  TestServer& operator=(const TestServer&) = delete;

  int port() const { return port_; }
  std::string url(const std::string& path) const;
  // Requests the server saw for `path` (query string excluded).
  int hits(const std::string& path) const;

 private:
  pid_t pid_ = -1;
  int port_ = 0;
  void start(const std::vector<std::string>& argv);
};

// A fresh directory of deterministic pseudo-random "image" files; removed by the destructor.
class FileSet {
 public:
  FileSet();
  ~FileSet();
  // Writes NAME with `size` bytes drawn from `seed`; returns the bytes.
  const std::vector<uint8_t>& add(const std::string& name, size_t size, uint64_t seed);
  const std::filesystem::path& dir() const { return dir_; }

 private:
  std::filesystem::path dir_;
  std::deque<std::vector<uint8_t>> kept_;  // deque: references stay valid
};

std::vector<uint8_t> read_file(const std::filesystem::path& path);

// "p7.jpg": built by appending (GCC 12 warns falsely, -Wrestrict, on "p" + to_string(i) + ".jpg").
template <class Int>
std::string numbered(const char* prefix, Int i) {
  std::string name = prefix;
  name += std::to_string(i);
  name += ".jpg";
  return name;
}

// Options for loopback tests (TransferOptions or a policy's options derived from them): the test
// server's address allowed, fast retries, short timeouts.
template <class Options = TransferOptions>
Options loopback_options() {
  Options o;
  o.allow_loopback = true;
  o.backoff_s = 0.02;
  o.total_timeout_ms = 5000;
  return o;
}

// Runs a fresh Client (TransferEngine, Downloader) over one URL; its one result, or an empty one.
template <class Client, class Result, class Options>
Result fetch_one(const Options& options, const std::string& url, uint64_t key) {
  Client client(options);
  client.add(key, url);
  std::vector<Result> out;
  client.run([&](Result&& r) { out.push_back(std::move(r)); });
  EXPECT_EQ(out.size(), 1u);
  EXPECT_EQ(client.pending(), 0u);
  return out.empty() ? Result{} : std::move(out[0]);
}

// A test suite with one TestServer over one FileSet for all its tests; Suite::add_files(FileSet&)
// writes the files before the server starts.
template <class Suite>
class ServerSuite : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    files_ = new FileSet();
    Suite::add_files(*files_);
    server_ = new TestServer(files_->dir());
  }
  static void TearDownTestSuite() {
    delete server_;
    delete files_;
  }
  static inline FileSet* files_ = nullptr;
  static inline TestServer* server_ = nullptr;
};

}  // namespace warcpairs::net::testing
