// HTTP(S) GETs on one libcurl multi handle: the SSRF guard on every connection, per-host limits,
// retries, keep-alive, HTTP/2; each response comes back with its header bytes as received.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace warcpairs::net {

struct TransferOptions {
  int max_connections = 64;         // transfers in flight (and CURLMOPT_MAX_TOTAL_CONNECTIONS)
  int max_per_host = 4;             // CURLMOPT_MAX_HOST_CONNECTIONS
  long connect_timeout_ms = 10000;
  long total_timeout_ms = 30000;    // per attempt
  long low_speed_time_s = 10;       // abort an attempt slower than 1 KB/s for this long
  int64_t max_bytes = 20 << 20;     // response body cap → "too_large"
  bool follow_redirects = true;     // false: a 3xx is returned as it is, Location in redirect_url
  int max_redirects = 5;            // when following → "too_many_redirects"
  int retries = 3;                  // extra attempts after the first on 5xx, 429, connect failure, timeout
  double backoff_s = 1.0;           // delay before retry k (0-based) = backoff_s * 2^k, jittered
  double max_retry_after_s = 60;    // cap on a server's Retry-After
  bool allow_loopback = false;      // tests only: allow 127/8 and ::1
  bool http2 = true;                // offer HTTP/2 over TLS (ALPN); false: HTTP/1.1 only
  // Operators should add a contact URL or address here (robots etiquette); no default is invented.
  std::string user_agent = "warcpairs/0.1 (image-text research crawler)";
  // CURLOPT_RESOLVE entries "host:port:addr[,addr]...": the name resolves to these addresses
  // (mirrors, tests). The SSRF guard still judges every address connected to.
  std::vector<std::string> resolve;
  // CURLOPT_CONNECT_TO entries "host:port:connect-host:connect-port" (an empty host or port
  // matches any): the request keeps its URL (Host header, TLS name) but connects elsewhere,
  // e.g. every https URL to a local mirror on an unprivileged port (":443:127.0.0.1:8443").
  std::vector<std::string> connect_to;
  std::string ca_file;              // extra PEM CA bundle (tests' self-signed server); TLS is always verified
  // Asked once per attempt when a response's first body byte arrives (its headers are complete);
  // false drops the body and ends the transfer with outcome "refused", not retried. Responses
  // without a body are never asked: judge those from the finished Response.
  std::function<bool(long status, std::string_view headers)> accept_body;
  // Longest wait for socket activity inside run() before should_stop() is asked again: the
  // crawler's rank 0 answers other ranks from should_stop(), so it asks for a short one.
  int max_poll_ms = 100;
  // The HTTP/1.1 message as on the wire (what an archive stores): Response::request_head gets
  // the request header bytes libcurl sent (CURLINFO_HEADER_OUT), the body keeps its transfer
  // coding (chunked framing, chunk extensions, trailers: CURLOPT_HTTP_TRANSFER_DECODING 0) and
  // content coding, and a body over max_bytes keeps its first max_bytes bytes with
  // Response::truncated = "length" (outcome "too_large"; WARC 1.1 §5.13). Response::trailers
  // stays empty (they are in the body).
  bool wire_format = false;
};

// libcurl's timings of the last attempt, in seconds from its start (redirect hops included).
struct Timings {
  double dns = 0, connect = 0, tls = 0, first_byte = 0, total = 0;
};

struct Response {
  uint64_t key = 0;
  std::string url, final_url;
  std::string redirect_url;  // Location of a 3xx returned unfollowed, resolved against final_url
  long http_status = 0;
  // "ok": a complete response was received, whatever its status (a 404 or an unfollowed 301 too).
  // Otherwise a stable reason token, and the body is empty: "blocked_address", "dns_failed",
  // "connect_failed", "timeout", "too_large", "too_many_redirects", "bad_url", "refused"
  // (accept_body said no), "transfer_error".
  std::string outcome;
  // Why, in words; for "ok" empty, or a note (the guard refused one address, another was used).
  std::string detail;
  // The status line and header lines of the last response, byte for byte and in order as libcurl
  // passed them on, each with its line end, through the empty line that ends them. Interim (1xx)
  // responses and followed redirect hops are not kept. Over HTTP/2 these are libcurl's HTTP/1-style
  // rendering of the decoded fields ("HTTP/2 200", lower-case names), not wire bytes.
  std::string headers;
  std::string trailers;      // trailer lines after a chunked body, as received (no empty line)
  // wire_format: the last request's header bytes as sent (request line through the empty line).
  std::string request_head;
  // wire_format: why the body is incomplete ("length": cut at max_bytes), else empty.
  std::string truncated;
  std::string content_type;
  std::vector<uint8_t> body;
  std::string ip;            // address of the last connection
  int attempts = 0;
  int redirects = 0;         // redirects followed in the last attempt (final_url is where they ended)
  double seconds = 0;        // wall time from first attempt start to result, retries included
  Timings timings;
};

// Why a --resolve / --connect-to entry is malformed ("" when it is well formed): libcurl
// ignores a malformed entry silently, so the command line checks them first.
std::string resolve_entry_error(std::string_view entry);
std::string connect_to_entry_error(std::string_view entry);

// Values of the fields called `name` (ASCII case-insensitive) in a raw header block, in order,
// without the surrounding whitespace and line end. Views into `headers`.
std::vector<std::string_view> header_values(std::string_view headers, std::string_view name);

class TransferEngine {
 public:
  explicit TransferEngine(TransferOptions options);
  ~TransferEngine();
  TransferEngine(const TransferEngine&) = delete;
  TransferEngine& operator=(const TransferEngine&) = delete;

  const TransferOptions& options() const;
  // Queues a GET; responses come from run(). May be called from on_response to keep the queue fed:
  // each queued URL costs a few hundred bytes, so feed millions in batches, not all at once.
  // max_redirects >= 0: this URL follows up to that many redirects whatever follow_redirects
  // says (more: "too_many_redirects"), e.g. a crawler's robots.txt (RFC 9309 §2.3.1.2).
  void add(uint64_t key, std::string url, int max_redirects = -1);
  // URLs added and not yet reported (queued, in flight or waiting for a retry).
  size_t pending() const;
  // Runs until every added URL has a response, or until should_stop() returns true: then in-flight
  // and queued transfers are abandoned and their keys returned by abandoned(), unreported.
  // on_response is called from the calling thread as each URL finishes.
  void run(const std::function<void(Response&&)>& on_response,
           const std::function<bool()>& should_stop = {});
  // Keys abandoned by the last stopped run() (cleared by this call).
  std::vector<uint64_t> abandoned();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace warcpairs::net
