// HTML Living Standard §13.2.3.2 "prescan a byte stream to determine its encoding".
#include <cstring>
#include <string>

#include "warcpairs/html/charset.h"

namespace warcpairs::html {
namespace {

constexpr std::size_t kPrescanBytes = 1024;

bool is_ws(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\f' || c == '\r'; }
char lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c + 32) : c; }
bool is_letter(char c) { return (c | 32) >= 'a' && (c | 32) <= 'z'; }

struct Attribute {
  std::string name, value;
};

// "Get an attribute" (§13.2.3.2). Returns false at '>' or at the end of the bytes.
bool get_attribute(std::string_view s, std::size_t& p, Attribute& a) {
  while (p < s.size() && (is_ws(s[p]) || s[p] == '/')) ++p;
  if (p >= s.size() || s[p] == '>') return false;
  a.name.clear();
  a.value.clear();
  for (;; ++p) {  // step 4: the name
    if (p >= s.size()) return false;
    const char c = s[p];
    if (c == '=' && !a.name.empty()) { ++p; goto value; }
    if (is_ws(c)) break;
    if (c == '/' || c == '>') return true;
    a.name.push_back(lower(c));
  }
  while (p < s.size() && is_ws(s[p])) ++p;  // step 5
  if (p >= s.size()) return false;
  if (s[p] != '=') return true;
  ++p;
value:
  while (p < s.size() && is_ws(s[p])) ++p;
  if (p >= s.size()) return false;
  if (s[p] == '"' || s[p] == '\'') {
    const char quote = s[p];
    for (++p; p < s.size(); ++p) {
      if (s[p] == quote) { ++p; return true; }
      a.value.push_back(lower(s[p]));
    }
    return false;
  }
  if (s[p] == '>') return true;
  for (; p < s.size(); ++p) {
    if (is_ws(s[p]) || s[p] == '>') return true;
    a.value.push_back(lower(s[p]));
  }
  return false;
}

// §2.6.x "algorithm for extracting a character encoding from a meta element".
std::string_view charset_from_meta_content(std::string_view s) {
  std::size_t p = 0;
  while (true) {
    const std::size_t at = s.find("charset", p);  // value is lower-cased already
    if (at == std::string_view::npos) return {};
    p = at + 7;
    while (p < s.size() && is_ws(s[p])) ++p;
    if (p >= s.size() || s[p] != '=') continue;
    ++p;
    while (p < s.size() && is_ws(s[p])) ++p;
    if (p >= s.size()) return {};
    if (s[p] == '"' || s[p] == '\'') {
      const std::size_t end = s.find(s[p], p + 1);
      if (end == std::string_view::npos) return {};
      return canonical_charset(s.substr(p + 1, end - p - 1));
    }
    std::size_t end = p;
    while (end < s.size() && !is_ws(s[end]) && s[end] != ';') ++end;
    return canonical_charset(s.substr(p, end - p));
  }
}

// The <meta> branch; `p` is just after "<meta". Returns the charset or "".
std::string_view meta_charset(std::string_view s, std::size_t& p) {
  bool got_pragma = false, seen_http_equiv = false, seen_content = false, seen_charset = false;
  int need_pragma = -1;  // -1 null, 0 false, 1 true
  std::string_view charset;
  Attribute a;
  while (get_attribute(s, p, a)) {
    if (a.name == "http-equiv") {
      if (seen_http_equiv) continue;
      seen_http_equiv = true;
      if (a.value == "content-type") got_pragma = true;
    } else if (a.name == "content") {
      if (seen_content) continue;
      seen_content = true;
      if (charset.empty() && need_pragma == -1) {
        const std::string_view c = charset_from_meta_content(a.value);
        if (!c.empty()) charset = c, need_pragma = 1;
      }
    } else if (a.name == "charset") {
      if (seen_charset) continue;
      seen_charset = true;
      if (need_pragma == -1) {
        charset = canonical_charset(a.value);
        need_pragma = 0;
      }
    }
  }
  if (need_pragma == -1 || (need_pragma == 1 && !got_pragma) || charset.empty()) return {};
  if (charset == "utf-16le" || charset == "utf-16be") return "utf-8";
  if (charset == "x-user-defined") return "windows-1252";
  return charset;
}

}  // namespace

std::string_view prescan_charset(std::string_view bytes) {
  const std::string_view s = bytes.substr(0, kPrescanBytes);
  Attribute a;
  for (std::size_t p = 0; p < s.size(); ++p) {
    if (s[p] != '<') continue;
    const std::string_view rest = s.substr(p);
    if (rest.starts_with("<!--")) {
      const std::size_t end = s.find("-->", p + 2);
      if (end == std::string_view::npos) return {};
      p = end + 2;
    } else if (rest.size() > 5 && strncasecmp(rest.data(), "<meta", 5) == 0 &&
               (is_ws(rest[5]) || rest[5] == '/')) {
      p += 5;
      const std::string_view c = meta_charset(s, p);
      if (!c.empty()) return c;
      if (p >= s.size()) return {};
    } else if ((rest.size() > 1 && is_letter(rest[1])) ||
               (rest.size() > 2 && rest[1] == '/' && is_letter(rest[2]))) {
      while (p < s.size() && !is_ws(s[p]) && s[p] != '>') ++p;
      while (get_attribute(s, p, a)) {
      }
      if (p >= s.size()) return {};
    } else if (rest.starts_with("<!") || rest.starts_with("</") || rest.starts_with("<?")) {
      const std::size_t end = s.find('>', p + 2);
      if (end == std::string_view::npos) return {};
      p = end;
    }
  }
  return {};
}

}  // namespace warcpairs::html
