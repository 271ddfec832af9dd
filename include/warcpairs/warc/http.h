// HTTP/1.x response parsing for WARC response records: status, headers, de-chunking,
// Content-Encoding gzip/deflate/br/zstd, also stacked (RFC 9112 §4–§7, RFC 9110 §8.4).
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "warcpairs/core/limits.h"
#include "warcpairs/warc/record.h"

namespace warcpairs::warc {

struct HttpResponse {
  int status = 0;
  std::vector<HeaderField> headers;
  std::string_view body;      // decoded payload: into the record block, or the parser's scratch
  // Set when decoding hit a problem but a body is still returned (e.g. "chunked_malformed":
  // declared chunked but not, body taken as is, as warcio does; "content_encoding_failed";
  // "payload_truncated_at_cap"). Empty when clean. The caller counts it.
  std::string_view problem;

  std::string_view header(std::string_view name) const { return find_header(headers, name); }
};

// One per thread; reuses its buffers, so `body` is valid until the next parse().
class HttpParser {
 public:
  explicit HttpParser(const Limits& limits);
  ~HttpParser();

  // False when the block is not an HTTP response at all (no status line, headers over the
  // cap, ...); `error` then names the reason as a short token for SkipLog.
  bool parse(std::string_view block, HttpResponse& out, std::string& error);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace warcpairs::warc
