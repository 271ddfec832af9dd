// RFC 3986 §5.2 reference resolution and HTML Living Standard §4.8.4.3.10 srcset parsing.
#include "warcpairs/text/url.h"

#include <cstdlib>

namespace warcpairs::text {
namespace {

// RFC 3986 Appendix B split; `has_*` keeps "defined but empty" apart from "undefined".
struct UriParts {
  std::string_view scheme, authority, path, query, fragment;
  bool has_scheme = false, has_authority = false, has_query = false, has_fragment = false;
};

bool is_alpha(char c) { return (c | 32) >= 'a' && (c | 32) <= 'z'; }

// The first of the characters Cs at or after `from` (string_view::find_first_of calls
// memchr over the set for every byte, which showed in profiles: it runs twice per URL).
template <char... Cs>
std::size_t find_first(std::string_view s, std::size_t from) {
  for (; from < s.size(); ++from) {
    if (((s[from] == Cs) || ...)) return from;
  }
  return std::string_view::npos;
}

UriParts split_uri(std::string_view s) {
  UriParts u;
  // scheme = ALPHA *( ALPHA / DIGIT / "+" / "-" / "." ) ":" (§3.1)
  std::size_t i = 0;
  if (!s.empty() && is_alpha(s[0])) {
    std::size_t k = 1;
    while (k < s.size() && (is_alpha(s[k]) || (s[k] >= '0' && s[k] <= '9') || s[k] == '+' ||
                            s[k] == '-' || s[k] == '.'))
      ++k;
    if (k < s.size() && s[k] == ':') {
      u.scheme = s.substr(0, k);
      u.has_scheme = true;
      i = k + 1;
    }
  }
  if (s.compare(i, 2, "//") == 0) {
    const std::size_t end = find_first<'/', '?', '#'>(s, i + 2);
    u.authority = s.substr(i + 2, (end == std::string_view::npos ? s.size() : end) - i - 2);
    u.has_authority = true;
    i = end == std::string_view::npos ? s.size() : end;
  }
  std::size_t end = find_first<'?', '#'>(s, i);
  if (end == std::string_view::npos) end = s.size();
  u.path = s.substr(i, end - i);
  i = end;
  if (i < s.size() && s[i] == '?') {
    end = s.find('#', i);
    if (end == std::string_view::npos) end = s.size();
    u.query = s.substr(i + 1, end - i - 1);
    u.has_query = true;
    i = end;
  }
  if (i < s.size() && s[i] == '#') {
    u.fragment = s.substr(i + 1);
    u.has_fragment = true;
  }
  return u;
}

// RFC 3986 §5.2.4.
std::string remove_dot_segments(std::string_view in) {
  std::string out;
  out.reserve(in.size());
  while (!in.empty()) {
    if (in.starts_with("../")) { in.remove_prefix(3); continue; }
    if (in.starts_with("./")) { in.remove_prefix(2); continue; }
    if (in.starts_with("/./")) { in.remove_prefix(2); continue; }
    if (in == "/.") { in = "/"; continue; }
    if (in.starts_with("/../") || in == "/..") {
      in = in.size() == 3 ? std::string_view("/") : in.substr(3);
      const std::size_t slash = out.rfind('/');
      out.resize(slash == std::string::npos ? 0 : slash);
      continue;
    }
    if (in == "." || in == "..") break;
    const std::size_t next = in.find('/', in[0] == '/' ? 1 : 0);
    const std::size_t len = next == std::string_view::npos ? in.size() : next;
    out.append(in.substr(0, len));
    in.remove_prefix(len);
  }
  return out;
}

// §5.2.3.
std::string merge_paths(const UriParts& base, std::string_view ref_path) {
  if (base.has_authority && base.path.empty()) {
    std::string out(1, '/');  // (not "/" + string: GCC 12 warns falsely on that, -Wrestrict)
    out.append(ref_path);
    return out;
  }
  const std::size_t slash = base.path.rfind('/');
  std::string out(slash == std::string_view::npos ? std::string_view{}
                                                  : base.path.substr(0, slash + 1));
  out.append(ref_path);
  return out;
}

// What browsers do before parsing (URL Standard basic URL parser, steps 1–3): strip
// leading/trailing C0 controls and spaces, remove every tab and newline.
std::string clean_reference(std::string_view s) {
  while (!s.empty() && static_cast<unsigned char>(s.front()) <= 0x20) s.remove_prefix(1);
  while (!s.empty() && static_cast<unsigned char>(s.back()) <= 0x20) s.remove_suffix(1);
  // Almost every reference has no tab or newline: one copy instead of a push_back per byte
  // (this runs twice per resolve_url, several times per image).
  std::size_t i = 0;
  while (i < s.size() && s[i] != '\t' && s[i] != '\n' && s[i] != '\r') ++i;
  std::string out(s.substr(0, i));
  for (; i < s.size(); ++i) {
    if (s[i] != '\t' && s[i] != '\n' && s[i] != '\r') out.push_back(s[i]);
  }
  return out;
}

bool is_ascii_space(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\f' || c == '\r';
}

bool parse_nonneg_integer(std::string_view s, long& v) {
  if (s.empty() || s.size() > 9) return false;
  v = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
    v = v * 10 + (c - '0');
  }
  return true;
}

// HTML "valid floating-point number": -? (digits | digits.digits | .digits) ([eE][+-]?digits)?
bool parse_float(std::string_view s, double& v) {
  std::size_t i = 0;
  auto digits = [&] { std::size_t n = 0; while (i < s.size() && s[i] >= '0' && s[i] <= '9') ++i, ++n; return n; };
  if (i < s.size() && s[i] == '-') ++i;
  std::size_t n = digits();
  if (i < s.size() && s[i] == '.') { ++i; if (digits() == 0) return false; n = 1; }
  if (n == 0) return false;
  if (i < s.size() && (s[i] == 'e' || s[i] == 'E')) {
    ++i;
    if (i < s.size() && (s[i] == '+' || s[i] == '-')) ++i;
    if (digits() == 0) return false;
  }
  if (i != s.size()) return false;
  v = std::strtod(std::string(s).c_str(), nullptr);
  return true;
}

// "Parse a srcset attribute" step 13 (descriptor parser): true when the candidate is valid.
bool descriptors_valid(const std::vector<std::string_view>& descriptors) {
  bool width = false, density = false, height = false;
  for (std::string_view d : descriptors) {
    const char last = d.back();
    const std::string_view value = d.substr(0, d.size() - 1);
    long n;
    double x;
    if (last == 'w') {
      if (width || density || !parse_nonneg_integer(value, n) || n == 0) return false;
      width = true;
    } else if (last == 'x') {
      if (width || density || height || !parse_float(value, x) || x < 0) return false;
      density = true;
    } else if (last == 'h') {
      if (height || density || !parse_nonneg_integer(value, n) || n == 0) return false;
      height = true;
    } else {
      return false;
    }
  }
  return !height || width;
}

// Steps 8–12 ("descriptor tokenizer"): splits at whitespace outside parentheses, stops at
// a comma outside parentheses. Returns the position after the candidate.
std::size_t tokenize_descriptors(std::string_view s, std::size_t i,
                                 std::vector<std::string_view>& out) {
  while (i < s.size() && is_ascii_space(s[i])) ++i;
  std::size_t start = i;
  int depth = 0;
  for (; i < s.size(); ++i) {
    const char c = s[i];
    if (depth > 0) {
      if (c == ')') depth = 0;
      continue;
    }
    if (c == '(') { depth = 1; continue; }
    if (is_ascii_space(c) || c == ',') {
      if (i > start) out.push_back(s.substr(start, i - start));
      start = i + 1;
      if (c == ',') return i + 1;
    }
  }
  if (i > start) out.push_back(s.substr(start, i - start));
  return i;
}

}  // namespace

std::string resolve_url(std::string_view base_in, std::string_view ref_in) {
  const std::string ref_s = clean_reference(ref_in), base_s = clean_reference(base_in);
  const UriParts r = split_uri(ref_s), base = split_uri(base_s);
  if (!r.has_scheme && !base.has_scheme) return "";
  const UriParts& top = r.has_scheme ? r : base;
  std::string path;
  std::string_view authority, query;
  bool has_authority, has_query;
  if (r.has_scheme || r.has_authority) {
    authority = r.authority, has_authority = r.has_authority;
    path = remove_dot_segments(r.path);
    query = r.query, has_query = r.has_query;
  } else {
    authority = base.authority, has_authority = base.has_authority;
    if (r.path.empty()) {
      path = std::string(base.path);
      query = r.has_query ? r.query : base.query;
      has_query = r.has_query || base.has_query;
    } else {
      path = remove_dot_segments(r.path[0] == '/' ? std::string(r.path) : merge_paths(base, r.path));
      query = r.query, has_query = r.has_query;
    }
  }
  // §5.3 component recomposition; the scheme is case-insensitive (§3.1), lower-cased here.
  std::string out;
  out.reserve(ref_s.size() + base_s.size());
  for (char c : top.scheme) out.push_back(static_cast<char>(c >= 'A' && c <= 'Z' ? c + 32 : c));
  out.push_back(':');
  if (has_authority) out.append("//").append(authority);
  out.append(path);
  if (has_query) out.append("?").append(query);
  if (r.has_fragment) out.append("#").append(r.fragment);
  return out;
}

std::vector<SrcsetCandidate> parse_srcset(std::string_view s) {
  std::vector<SrcsetCandidate> out;
  std::vector<std::string_view> descriptors;
  std::size_t i = 0;
  while (true) {
    while (i < s.size() && (is_ascii_space(s[i]) || s[i] == ',')) ++i;  // step 4
    if (i >= s.size()) return out;
    const std::size_t url_start = i;
    while (i < s.size() && !is_ascii_space(s[i])) ++i;
    std::string_view url = s.substr(url_start, i - url_start);
    descriptors.clear();
    if (url.back() == ',') {  // step 7: trailing commas end the candidate, no descriptors
      while (!url.empty() && url.back() == ',') url.remove_suffix(1);
    } else {
      i = tokenize_descriptors(s, i, descriptors);
    }
    if (url.empty() || !descriptors_valid(descriptors)) continue;
    SrcsetCandidate c;
    c.url = std::string(url);
    for (std::string_view d : descriptors) {
      if (!c.descriptor.empty()) c.descriptor.push_back(' ');
      c.descriptor.append(d);
    }
    out.push_back(std::move(c));
  }
}

std::string_view url_host_view(std::string_view url) {
  const std::size_t scheme = url.find("://");
  if (scheme == std::string_view::npos) return {};
  std::string_view rest = url.substr(scheme + 3);
  rest = rest.substr(0, rest.find_first_of("/?#"));
  if (const std::size_t at = rest.rfind('@'); at != std::string_view::npos) rest.remove_prefix(at + 1);
  if (!rest.empty() && rest.front() == '[') {  // IPv6 literal: the port follows the ']'
    rest = rest.substr(0, rest.find(']') + 1);
  } else if (const std::size_t colon = rest.find(':'); colon != std::string_view::npos) {
    rest = rest.substr(0, colon);
  }
  return rest;
}

std::string url_host(std::string_view url) {
  std::string host(url_host_view(url));
  for (char& c : host) c = (c >= 'A' && c <= 'Z') ? static_cast<char>(c + 32) : c;
  return host;
}

}  // namespace warcpairs::text
