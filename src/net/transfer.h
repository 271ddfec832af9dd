// One URL's transfer state across attempts, and the libcurl easy-handle setup for one attempt.
#pragma once

#include <curl/curl.h>

#include <chrono>
#include <string>

#include "warcpairs/net/transfer_engine.h"

namespace warcpairs::net {

using Clock = std::chrono::steady_clock;

class Transfer {
 public:
  // max_redirects >= 0: follow up to that many redirects (overrides the options).
  Transfer(uint64_t key, std::string url, const TransferOptions& options, int max_redirects = -1);

  // Configures `easy` (freshly reset) for the next attempt; the guard runs in its callbacks.
  void start_attempt(CURL* easy, CURLSH* share);

  // What to do after an attempt ended with `code`.
  enum class Next { kDone, kRetry };
  Next finish_attempt(CURL* easy, CURLcode code);
  // Delay before the next attempt (after finish_attempt returned kRetry).
  double retry_delay_s() const;

  Response take_result();
  uint64_t key() const { return result_.key; }
  const std::string& host() const { return host_; }

 private:
  static size_t on_body(char* data, size_t size, size_t n, void* self);
  static size_t on_header(char* data, size_t size, size_t n, void* self);
  static int on_debug(CURL* easy, curl_infotype type, char* data, size_t size, void* self);
  static curl_socket_t on_open_socket(void* self, curlsocktype purpose, curl_sockaddr* addr);
  static int on_prereq(void* self, char* conn_primary_ip, char* conn_local_ip, int conn_primary_port,
                       int conn_local_port);
  bool begin_body();  // first body bytes of an attempt: accepted? reserve
  bool is_retryable(CURLcode code, long status) const;
  void classify(CURLcode code, const char* curl_error);

  const TransferOptions& options_;
  Response result_;
  std::string host_;              // for per-host scheduling
  int max_redirects_ = -1;
  Clock::time_point first_start_{};
  CURL* easy_ = nullptr;          // the handle of the attempt in progress
  char error_buffer_[CURL_ERROR_SIZE] = {};
  // Per-attempt flags set by callbacks.
  bool blocked_ = false;
  bool too_large_ = false;
  bool body_started_ = false;
  bool refused_ = false;          // accept_body said no
  bool headers_done_ = false;     // the empty line came: further header lines are trailers
  double retry_after_s_ = -1;
};

}  // namespace warcpairs::net
