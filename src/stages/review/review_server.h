// The review page's HTTP server (cpp-httplib): the page and its script, a JSON API over
// ReviewStore, and the run's stored images. Every request needs the access token (a cookie
// set from the URL's ?token=); the Host header must name the loopback address it listens on
// (DNS rebinding); writes need a JSON body from the same origin. Nothing else is served: no
// file path ever comes from the request.
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace warcpairs::stages {

struct ReviewServerOptions {
  std::filesystem::path run_dir;
  std::string host = "127.0.0.1";
  int port = 0;
  bool allow_remote = false;
  std::string reviewer;    // the page's default reviewer name
  std::string span_model;  // "": the only one in the database; "none": alt texts only
  std::vector<std::string> kinds;  // image kinds shown; empty: all
  std::vector<int64_t> ids;        // review --ids: only these images; empty: all
  std::string token;       // "": a random one
};

// 128 random bits (getrandom(2)) as 32 hex digits.
std::string random_token();

class ReviewServer {
 public:
  // Opens the database (migrating it to schema 4) and binds the address. Throws UsageError
  // for a non-loopback host without allow_remote or an unknown span model, Error when the
  // database is missing or the address cannot be bound.
  explicit ReviewServer(ReviewServerOptions options);
  ~ReviewServer();
  ReviewServer(const ReviewServer&) = delete;
  ReviewServer& operator=(const ReviewServer&) = delete;

  int port() const;
  const std::string& token() const;
  std::string url() const;  // http://HOST:PORT/?token=TOKEN
  // Serves on the calling thread (and the library's worker threads) until stop().
  void serve();
  void stop();  // from any thread
  int64_t decisions_saved() const;
  // Pairs by current decision (ReviewStore::counts), from one of the server's connections.
  std::map<std::string, int64_t> counts();
  // Pairs not shown, by image kind (ReviewStore::skipped_kinds).
  std::map<std::string, int64_t> skipped_kinds();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace warcpairs::stages
