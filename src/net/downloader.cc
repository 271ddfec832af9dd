// The image policy over the engine: the noai rule stops a body early, non-2xx becomes "http_error".
#include "warcpairs/net/downloader.h"

#include <curl/curl.h>

#include <utility>

namespace warcpairs::net {
namespace {

TransferOptions with_noai_rule(FetchOptions options) {
  if (options.honour_noai) {
    // Stop downloading what we may not use: the first body byte of a noai response ends it.
    options.accept_body = [rules = options.opt_out](long, std::string_view headers) {
      return headers_opt_out(headers, rules).empty();
    };
  } else {
    options.accept_body = nullptr;
  }
  return options;
}

FetchResult judge(Response&& response, bool honour_noai, const OptOutRules& rules) {
  FetchResult r;
  static_cast<Response&>(r) = std::move(response);
  r.opt_out = headers_opt_out(r.headers, rules);
  if (r.opt_out.empty()) r.opt_out = headers_opt_out(r.trailers, rules);
  r.noai = !r.opt_out.empty();
  if (r.outcome == "refused") {
    r.outcome = "noai";  // only the noai rule refuses a body
  } else if (r.outcome != "ok") {
    return r;
  } else if (r.http_status < 200 || r.http_status > 299) {
    r.outcome = "http_error";
    r.detail = "HTTP " + std::to_string(r.http_status);
    r.body.clear();  // an error page, read to its end so the connection stays reusable
  } else if (r.noai && honour_noai) {
    r.outcome = "noai";  // a noai response with no body bytes for the rule to stop
    // The detail earlier journals and outputs carry for this case.
    if (r.detail.empty()) r.detail = curl_easy_strerror(CURLE_OK);
    r.body.clear();
  } else {
    r.detail.clear();  // e.g. an address refused before another of the same name was used
  }
  return r;
}

}  // namespace

bool is_transient_failure(std::string_view outcome, long http_status) {
  if (outcome == "http_error") return http_status >= 500 || http_status == 429;
  return outcome == "dns_failed" || outcome == "connect_failed" || outcome == "timeout" ||
         outcome == "transfer_error";
}

Downloader::Downloader(FetchOptions options)
    : honour_noai_(options.honour_noai), opt_out_(options.opt_out),
      engine_(with_noai_rule(std::move(options))) {}

void Downloader::run(const std::function<void(FetchResult&&)>& on_result,
                     const std::function<bool()>& should_stop) {
  engine_.run([&](Response&& r) { on_result(judge(std::move(r), honour_noai_, opt_out_)); }, should_stop);
}

}  // namespace warcpairs::net
