// HttpParser: status line, header fields with obs-fold, body decoding (RFC 9112 §4, §5, §7).
#include "warcpairs/warc/http.h"

#include <cstring>

#include "ascii.h"
#include "body_decoding.h"

namespace warcpairs::warc {

struct HttpParser::Impl {
  Limits limits;
  std::string folded;   // joined obs-fold values; reserved up front so views stay valid
  std::string chunked;  // de-chunked body
  std::string decoded[2];  // content-decoded body (two: stacked codings alternate)
  Inflater inflater;
  ZstdDecoder zstd;

  bool parse_status(std::string_view line, int& status);
  std::size_t parse_headers(std::string_view block, std::size_t p, HttpResponse& out,
                            std::string& error);
  void decode_body(std::string_view raw, HttpResponse& out);
};

HttpParser::HttpParser(const Limits& limits) : impl_(std::make_unique<Impl>()) {
  impl_->limits = limits;
}
HttpParser::~HttpParser() = default;

// RFC 9112 §4: HTTP-version SP 3DIGIT SP reason. Tolerated: several spaces, no reason.
bool HttpParser::Impl::parse_status(std::string_view line, int& status) {
  std::string_view v = line.substr(5);  // after "HTTP/"
  std::size_t i = 0;
  while (i < v.size() && ((v[i] >= '0' && v[i] <= '9') || v[i] == '.')) ++i;
  if (i == 0 || i == v.size() || v[i] != ' ') return false;
  while (i < v.size() && v[i] == ' ') ++i;
  if (i + 3 > v.size()) return false;
  status = 0;
  for (std::size_t k = i; k < i + 3; ++k) {
    if (v[k] < '0' || v[k] > '9') return false;
    status = status * 10 + (v[k] - '0');
  }
  return (i + 3 == v.size() || v[i + 3] == ' ' || v[i + 3] == '\t') && status >= 100;
}

// Parses header lines from p to the blank line; returns where the body starts (the end of
// the block when the blank line is missing), or npos with `error` set.
std::size_t HttpParser::Impl::parse_headers(std::string_view block, std::size_t p,
                                            HttpResponse& out, std::string& error) {
  std::size_t limit = limits.max_http_header_bytes;
  folded.clear();
  folded.reserve(std::min(block.size(), limit) + 16);
  while (p < block.size()) {
    std::size_t eol = block.find('\n', p);
    std::size_t next = eol == std::string_view::npos ? block.size() : eol + 1;
    if (next > limit) {
      error = "http_header_too_large";
      return std::string_view::npos;
    }
    std::string_view line = block.substr(p, next - p);
    p = next;
    if (!line.empty() && line.back() == '\n') line.remove_suffix(1);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.empty()) return p;  // RFC 9112 §2.1: the empty line ends the header section
    if (line[0] == ' ' || line[0] == '\t') {  // obs-fold (§5.2): joined with one space
      std::string_view more = trim(line);
      if (out.headers.empty() || more.empty()) continue;
      std::string_view& value = out.headers.back().value;
      bool tail = !folded.empty() && value.data() == folded.data() + folded.size() - value.size();
      std::size_t need = (tail ? 0 : value.size()) + 1 + more.size();
      if (folded.size() + need > folded.capacity()) continue;  // would move the views
      std::size_t start = tail ? folded.size() - value.size() : folded.size();
      if (!tail) folded.append(value);
      folded.append(1, ' ').append(more);
      value = std::string_view(folded.data() + start, folded.size() - start);
      continue;
    }
    std::size_t colon = line.find(':');
    if (colon == std::string_view::npos || colon == 0) continue;  // not a field: ignored
    out.headers.push_back({trim(line.substr(0, colon)), trim(line.substr(colon + 1))});
  }
  return block.size();
}

bool HttpParser::parse(std::string_view block, HttpResponse& out, std::string& error) {
  out.status = 0;
  out.headers.clear();
  out.body = {};
  out.problem = {};
  std::size_t eol = block.find('\n');
  std::string_view line = block.substr(0, eol);
  if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
  if (line.substr(0, 5) != "HTTP/") {
    error = "http_not_response";
    return false;
  }
  if (!impl_->parse_status(line, out.status)) {
    error = "http_status_malformed";
    return false;
  }
  if (eol == std::string_view::npos) return true;  // status line only: no headers, no body
  std::size_t body = impl_->parse_headers(block, eol + 1, out, error);
  if (body == std::string_view::npos) return false;
  impl_->decode_body(block.substr(body), out);
  return true;
}

void HttpParser::Impl::decode_body(std::string_view raw, HttpResponse& out) {
  uint64_t cap = limits.max_payload_bytes;
  std::string_view body = raw;
  if (icontains(out.header("Transfer-Encoding"), "chunked")) {
    switch (dechunk(raw, chunked, cap)) {
      case DecodeResult::malformed: out.problem = "chunked_malformed"; break;  // kept as is
      case DecodeResult::truncated: out.problem = "chunked_truncated"; body = chunked; break;
      case DecodeResult::capped: out.problem = "payload_truncated_at_cap"; body = chunked; break;
      case DecodeResult::ok: body = chunked; break;
    }
  }
  // Content-Encoding lists the codings in the order they were applied (RFC 9110 §8.4):
  // they are undone last first, each step's output in the other buffer.
  std::string_view codings[4];
  std::size_t n = 0;
  bool known = true;
  for (std::string_view rest = out.header("Content-Encoding"); !rest.empty();) {
    std::size_t comma = rest.find(',');
    std::string_view c = trim(rest.substr(0, comma));
    rest = comma == std::string_view::npos ? std::string_view{} : rest.substr(comma + 1);
    if (c.empty() || iequals(c, "identity")) continue;
    known = known && n < std::size(codings) &&
            (iequals(c, "gzip") || iequals(c, "x-gzip") || iequals(c, "deflate") ||
             iequals(c, "br") || iequals(c, "zstd"));
    if (known) codings[n++] = c;
  }
  if (!known) out.problem = "content_encoding_unsupported";
  for (std::size_t k = 0; known && k < n; ++k) {
    std::string_view c = codings[n - 1 - k];
    std::string& buf = decoded[k % 2];
    std::size_t len = 0;
    DecodeResult r = iequals(c, "br")     ? unbrotli(body, cap, buf, len)
                     : iequals(c, "zstd") ? zstd.decode(body, cap, buf, len)
                     : inflater.inflate(body, !iequals(c, "deflate"), cap, buf, len);
    if (r == DecodeResult::malformed && len == 0) {
      out.problem = "content_encoding_failed";  // body kept as it was: the caller can tell
      break;
    }
    body = std::string_view(buf.data(), len);
    if (r == DecodeResult::malformed) {
      out.problem = "content_encoding_failed";
      break;
    }
    // A cut or capped layer still yields its decoded part, which the next layer takes.
    if (r == DecodeResult::truncated) out.problem = "content_encoding_truncated";
    if (r == DecodeResult::capped) out.problem = "payload_truncated_at_cap";
  }
  if (body.size() > cap) {
    body = body.substr(0, cap);
    out.problem = "payload_truncated_at_cap";
  }
  out.body = body;
}

}  // namespace warcpairs::warc
