// Image downloads for `score`: the image policy (noai opt-outs, 2xx only) over a TransferEngine.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "warcpairs/net/robots_tag.h"
#include "warcpairs/net/transfer_engine.h"

namespace warcpairs::net {

// The engine's options (image defaults: a 20 MiB cap, redirects followed) plus the policy's own.
// accept_body is the Downloader's: it sets it to its noai rule, whatever was there.
struct FetchOptions : TransferOptions {
  bool honour_noai = true;  // an X-Robots-Tag opt-out → outcome "noai", body dropped
  OptOutRules opt_out;      // which directives opt out, and our user-agent token (robots_tag.h)
};

struct FetchResult : Response {
  // outcome: "ok" (a 2xx, body kept) or a stable reason token: "blocked_address", "dns_failed",
  // "connect_failed", "timeout", "too_large", "too_many_redirects", "http_error" (any other
  // status, after retries), "noai", "bad_url", "transfer_error". The body is kept only for "ok".
  bool noai = false;  // an X-Robots-Tag opt-out was sent (recorded even when not honoured)
  std::string opt_out;  // the directive that opted out ("noai", "noindex", ...), "" none
};

// True for a failure a later try may cure: no DNS answer, no connection, a timeout, a transfer
// cut off, or an HTTP 5xx or 429 (after the engine's own retries). Everything else (4xx,
// "blocked_address", "too_large", redirects, decode errors, ...) is permanent until something
// changes (the options, the server): `score --retry-failed` retries those.
bool is_transient_failure(std::string_view outcome, long http_status);

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
  OptOutRules opt_out_;
  TransferEngine engine_;
};

}  // namespace warcpairs::net
