// Image downloads for `score`: libcurl multi, many transfers per rank, the SSRF guard on every connection.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace warcpairs::net {

struct FetchOptions {
  int max_connections = 64;         // transfers in flight (and CURLMOPT_MAX_TOTAL_CONNECTIONS)
  int max_per_host = 4;             // CURLMOPT_MAX_HOST_CONNECTIONS
  long connect_timeout_ms = 10000;
  long total_timeout_ms = 30000;    // per attempt
  long low_speed_time_s = 10;       // abort an attempt slower than 1 KB/s for this long
  int64_t max_bytes = 20 << 20;     // response body cap → "too_large"
  int max_redirects = 5;            // → "too_many_redirects"
  int retries = 3;                  // extra attempts after the first on 5xx, 429, connect failure, timeout
  double backoff_s = 1.0;           // delay before retry k (0-based) = backoff_s * 2^k, jittered
  double max_retry_after_s = 60;    // cap on a server's Retry-After
  bool allow_loopback = false;      // tests only: allow 127/8 and ::1
  bool honour_noai = true;          // X-Robots-Tag noai / noimageai → outcome "noai", body dropped
  // Operators should add a contact URL or address here (robots etiquette); no default is invented.
  std::string user_agent = "warcpairs/0.1 (image-text research crawler)";
  std::vector<std::string> resolve; // CURLOPT_RESOLVE entries "host:port:addr", for tests
  std::string ca_file;              // extra PEM CA bundle (tests' self-signed server); TLS is always verified
};

struct FetchResult {
  uint64_t key = 0;
  std::string url, final_url;
  long http_status = 0;
  // "ok" or a stable reason token: "blocked_address", "dns_failed", "connect_failed", "timeout",
  // "too_large", "too_many_redirects", "http_error" (4xx/5xx after retries), "noai", "bad_url",
  // "transfer_error".
  std::string outcome;
  std::string detail;
  std::string content_type;
  std::vector<uint8_t> body;
  std::string ip;       // address of the last connection
  int attempts = 0;
  bool noai = false;    // X-Robots-Tag said noai/noimageai (recorded even when not honoured)
  double seconds = 0;   // wall time from first attempt start to result, retries included
};

// True when one X-Robots-Tag header value forbids AI use: directives "noai" or "noimageai",
// comma-separated, optionally after a "botname:" prefix (which we honour whatever the bot).
bool robots_tag_forbids_ai(const std::string& header_value);

class Downloader {
 public:
  explicit Downloader(FetchOptions options);
  ~Downloader();
  Downloader(const Downloader&) = delete;
  Downloader& operator=(const Downloader&) = delete;

  // Queues a URL; results come from run(). May be called from on_result to keep the queue fed:
  // each queued URL costs a few hundred bytes, so feed millions in batches, not all at once.
  void add(uint64_t key, std::string url);
  // URLs added and not yet reported (queued, in flight or waiting for a retry).
  size_t pending() const;
  // Runs until every added URL has a result, or until should_stop() returns true: then in-flight
  // and queued transfers are abandoned and their keys returned by abandoned(), unreported.
  // on_result is called from the calling thread as each URL finishes.
  void run(const std::function<void(FetchResult&&)>& on_result,
           const std::function<bool()>& should_stop = {});
  // Keys abandoned by the last stopped run() (cleared by this call).
  std::vector<uint64_t> abandoned();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace warcpairs::net
