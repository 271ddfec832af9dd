// RFC 3986 §6.2.2 normalisation of http(s) URLs (scheme, host, port, path, query).
#include "warcpairs/text/url_normalize.h"

#include "warcpairs/text/url.h"

namespace warcpairs::text {
namespace {

char lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c + 32) : c; }

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  c = lower(c);
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return -1;
}

bool is_unreserved(unsigned char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
         c == '-' || c == '.' || c == '_' || c == '~';
}

// Bytes RFC 3986 §2 allows in a URI outside a percent triplet (unreserved, gen-delims,
// sub-delims).
bool may_appear(unsigned char c) {
  if (is_unreserved(c)) return true;
  switch (c) {
    case ':': case '/': case '?': case '#': case '[': case ']': case '@':
    case '!': case '$': case '&': case '\'': case '(': case ')': case '*': case '+':
    case ',': case ';': case '=':
      return true;
    default:
      return false;
  }
}

void append_triplet(std::string& out, unsigned char c) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  out.push_back('%');
  out.push_back(kHex[c >> 4]);
  out.push_back(kHex[c & 15]);
}

}  // namespace

std::string canonical_percent_encoding(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size(); ++i) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c == '%' && i + 2 < s.size() && hex_value(s[i + 1]) >= 0 && hex_value(s[i + 2]) >= 0) {
      const auto v = static_cast<unsigned char>(hex_value(s[i + 1]) * 16 + hex_value(s[i + 2]));
      if (is_unreserved(v)) out.push_back(static_cast<char>(v));
      else append_triplet(out, v);
      i += 2;
    } else if (may_appear(c)) {
      out.push_back(static_cast<char>(c));
    } else {
      append_triplet(out, c);
    }
  }
  return out;
}

std::string normalize_url(std::string_view in) {
  // resolve_url against itself removes dot segments (§5.2.4) and lower-cases the scheme.
  const std::string url = resolve_url(in, in);
  const std::size_t colon = url.find("://");
  if (colon == std::string::npos) return "";
  const std::string_view scheme = std::string_view(url).substr(0, colon);
  int default_port;
  if (scheme == "http") default_port = 80;
  else if (scheme == "https") default_port = 443;
  else return "";
  std::string_view rest = std::string_view(url).substr(colon + 3);
  const std::size_t end = rest.find_first_of("/?#");
  std::string_view authority = rest.substr(0, end);
  rest = end == std::string_view::npos ? std::string_view{} : rest.substr(end);
  if (const std::size_t at = authority.rfind('@'); at != std::string_view::npos)
    authority.remove_prefix(at + 1);
  std::string_view host = authority, port;
  const std::size_t bracket = authority.find(']');
  const std::size_t port_colon =
      authority.find(':', authority.starts_with('[') && bracket != std::string_view::npos ? bracket : 0);
  if (port_colon != std::string_view::npos) {
    host = authority.substr(0, port_colon);
    port = authority.substr(port_colon + 1);
  }
  if (host.empty()) return "";
  long port_value = 0;
  for (char c : port) {
    if (c < '0' || c > '9' || port_value > 65535) return "";
    port_value = port_value * 10 + (c - '0');
  }
  if (!port.empty() && (port_value < 1 || port_value > 65535)) return "";
  std::string out(scheme);
  out.append("://");
  // The host is case-insensitive (§3.2.2); its percent-triplets canonical like the rest.
  for (char c : canonical_percent_encoding(host)) out.push_back(lower(c));
  if (!port.empty() && port_value != default_port) out.append(":").append(std::to_string(port_value));
  const std::size_t hash = rest.find('#');
  if (hash != std::string_view::npos) rest = rest.substr(0, hash);
  if (rest.empty() || rest.front() == '?') out.push_back('/');
  out.append(canonical_percent_encoding(rest));
  return out;
}

}  // namespace warcpairs::text
