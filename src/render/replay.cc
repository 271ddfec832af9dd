// Replay: Fetch.requestPaused → archive lookup → fulfillRequest (status, headers, decoded body as
// base64) or failRequest; base64 through OpenSSL's EVP block coder.
#include "warcpairs/render/replay.h"

#include <openssl/evp.h>

#include <spdlog/spdlog.h>

namespace warcpairs::render {

std::string base64_encode(std::string_view bytes) {
  std::string out(4 * ((bytes.size() + 2) / 3), '\0');
  const int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                                reinterpret_cast<const unsigned char*>(bytes.data()),
                                static_cast<int>(bytes.size()));
  out.resize(static_cast<std::size_t>(n));
  return out;
}

std::string base64_decode(std::string_view text) {
  if (text.size() % 4 != 0) throw Error("base64 text of a length that is not a multiple of 4");
  std::string out(3 * (text.size() / 4), '\0');
  const int n = EVP_DecodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                                reinterpret_cast<const unsigned char*>(text.data()),
                                static_cast<int>(text.size()));
  if (n < 0) throw Error("bad base64 text");
  std::size_t pad = 0;
  for (std::size_t i = text.size(); i > 0 && text[i - 1] == '=' && pad < 2; --i) ++pad;
  out.resize(static_cast<std::size_t>(n) - pad);
  return out;
}

void Replay::enable(const std::string& session) {
  browser_.call("Fetch.enable", {{"patterns", cdp::Json::array({{{"urlPattern", "*"}}})}}, session);
}

bool Replay::on_event(const cdp::Json& event) {
  if (event.value("method", std::string()) != "Fetch.requestPaused") return false;
  const cdp::Json& p = event["params"];
  const std::string session = event.value("sessionId", std::string());
  const std::string request_id = p.value("requestId", std::string());
  const std::string url = p["request"].value("url", std::string());
  ++counts_.requested;
  // data: and blob: URLs never reach Fetch; anything else not archived is failed at once.
  std::optional<ArchivedResponse> response;
  if (url.rfind("http://", 0) == 0 || url.rfind("https://", 0) == 0) response = archive_.find(url);
  if (!response) {
    ++counts_.failed;
    if (failed_urls_.size() < kMaxFailedUrls) failed_urls_.push_back(url);
    spdlog::debug("replay: not archived: {}", url);
    browser_.send("Fetch.failRequest", {{"requestId", request_id}, {"errorReason", "InternetDisconnected"}},
                  session);
    return true;
  }
  if (!main_url_.empty() && lookup_key(url) == lookup_key(main_url_)) main_status_ = response->status;
  cdp::Json headers = cdp::Json::array();
  for (const auto& [name, value] : response->headers) headers.push_back({{"name", name}, {"value", value}});
  ++counts_.fulfilled;
  counts_.revisits += response->revisit;
  counts_.body_bytes += response->body.size();
  browser_.send("Fetch.fulfillRequest",
                {{"requestId", request_id},
                 {"responseCode", response->status},
                 {"responseHeaders", std::move(headers)},
                 {"body", base64_encode(response->body)}},
                session);
  return true;
}

}  // namespace warcpairs::render
