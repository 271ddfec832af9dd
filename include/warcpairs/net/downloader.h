// Image downloads for `score`: the image policy (noai opt-outs, 2xx only) over a TransferEngine.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "warcpairs/net/transfer_engine.h"

namespace warcpairs::net {

// The engine's options (image defaults: a 20 MiB cap, redirects followed) plus the policy's own.
// accept_body is the Downloader's: it sets it to its noai rule, whatever was there.
struct FetchOptions : TransferOptions {
  bool honour_noai = true;  // X-Robots-Tag noai / noimageai → outcome "noai", body dropped
};

struct FetchResult : Response {
  // outcome: "ok" (a 2xx, body kept) or a stable reason token: "blocked_address", "dns_failed",
  // "connect_failed", "timeout", "too_large", "too_many_redirects", "http_error" (any other
  // status, after retries), "noai", "bad_url", "transfer_error". The body is kept only for "ok".
  bool noai = false;  // X-Robots-Tag said noai/noimageai (recorded even when not honoured)
};

// True for a failure a later try may cure: no DNS answer, no connection, a timeout, a transfer
// cut off, or an HTTP 5xx or 429 (after the engine's own retries). Everything else (4xx,
// "blocked_address", "too_large", redirects, decode errors, ...) is permanent until something
// changes (the options, the server): `score --retry-failed` retries those.
bool is_transient_failure(std::string_view outcome, long http_status);

// True when one X-Robots-Tag header value forbids AI use: directives "noai" or "noimageai",
// comma-separated, optionally after a "botname:" prefix (which we honour whatever the bot).
bool robots_tag_forbids_ai(std::string_view header_value);
// True when any X-Robots-Tag field of a raw header block forbids AI use.
bool headers_forbid_ai(std::string_view headers);

class Downloader {
 public:
  explicit Downloader(FetchOptions options);

  // As TransferEngine::add, pending, run and abandoned, with results judged by the policy.
  void add(uint64_t key, std::string url) { engine_.add(key, std::move(url)); }
  size_t pending() const { return engine_.pending(); }
  void run(const std::function<void(FetchResult&&)>& on_result,
           const std::function<bool()>& should_stop = {});
  std::vector<uint64_t> abandoned() { return engine_.abandoned(); }

 private:
  bool honour_noai_;
  TransferEngine engine_;
};

}  // namespace warcpairs::net
