// SURT keys as internetarchive/surt's default transform makes them (see surt.h for the
// rules). Written here because no Debian library makes SURTs; IDNA is libidn2's and the
// IPv4 forms are libc's inet_aton (what Python's gethostbyname_ex does for numeric names).
#include "warcpairs/warc/surt.h"

#include <arpa/inet.h>
#include <idn2.h>

#include <algorithm>
#include <optional>
#include <regex>
#include <vector>

#include "ascii.h"

namespace warcpairs::warc {
namespace {

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// Python's decode('utf-8', 'replace'): each maximal ill-formed subpart becomes U+FFFD
// (Unicode §3.9, Table 3-7 bounds on the second byte).
std::string utf8_replace_invalid(const std::string& in) {
  std::string out;
  out.reserve(in.size());
  std::size_t i = 0;
  const auto byte = [&](std::size_t k) { return static_cast<unsigned char>(in[k]); };
  while (i < in.size()) {
    unsigned char c = byte(i);
    int need = 0;
    unsigned char lo = 0x80, hi = 0xbf;
    if (c < 0x80) { out += static_cast<char>(c); ++i; continue; }
    if (c >= 0xc2 && c <= 0xdf) need = 1;
    else if (c >= 0xe0 && c <= 0xef) { need = 2; if (c == 0xe0) lo = 0xa0; if (c == 0xed) hi = 0x9f; }
    else if (c >= 0xf0 && c <= 0xf4) { need = 3; if (c == 0xf0) lo = 0x90; if (c == 0xf4) hi = 0x8f; }
    std::size_t j = i + 1;
    int got = 0;
    while (got < need && j < in.size()) {
      unsigned char d = byte(j);
      if (got == 0 ? (d < lo || d > hi) : (d < 0x80 || d > 0xbf)) break;
      ++j;
      ++got;
    }
    if (need > 0 && got == need) out.append(in, i, j - i);
    else out.append("\xef\xbf\xbd");
    i = (need == 0) ? i + 1 : j;
  }
  return out;
}

// urllib.parse.unquote applied until nothing changes (GoogleURLCanonicalizer
// unescapeRepeatedly), then the UTF-8 decoding Python does on the way.
std::string unescape_repeatedly(std::string s) {
  for (;;) {
    std::string u;
    u.reserve(s.size());
    for (std::size_t i = 0; i < s.size(); ++i) {
      if (s[i] == '%' && i + 2 < s.size() && hex_value(s[i + 1]) >= 0 && hex_value(s[i + 2]) >= 0) {
        u += static_cast<char>(hex_value(s[i + 1]) * 16 + hex_value(s[i + 2]));
        i += 2;
      } else {
        u += s[i];
      }
    }
    if (u == s) return utf8_replace_invalid(s);
    s = std::move(u);
  }
}

// urllib.parse.quote with safe = !"$&'()*+,-./:;<=>?@[\]^_`{|}~ (escapeOnce): what is
// escaped is bytes up to space, DEL and above, '%' and '#'.
std::string escape_once(std::string_view s) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(s.size());
  for (char ch : s) {
    auto c = static_cast<unsigned char>(ch);
    if (c <= 0x20 || c >= 0x7f || c == '%' || c == '#') {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 15];
    } else {
      out += ch;
    }
  }
  return out;
}

void lower_ascii(std::string& s) {
  for (char& c : s) c = ascii_lower(c);
}

// GoogleURLCanonicalizer.normalizePath: dot segments resolved, empty segments dropped
// (but a trailing '/' kept), ".." above the root kept.
std::string normalize_path(const std::string& path) {
  if (path.empty()) return "/";
  std::vector<std::string> kept, parts;
  {
    std::size_t p = 0;
    for (;;) {
      std::size_t q = path.find('/', p);
      parts.push_back(path.substr(p, q == std::string::npos ? q : q - p));
      if (q == std::string::npos) break;
      p = q + 1;
    }
  }
  for (std::size_t i = 1; i < parts.size(); ++i) {
    if (parts[i] == ".") continue;
    if (parts[i] == "..") {
      if (!kept.empty()) kept.pop_back();
      else kept.push_back(parts[i]);
      continue;
    }
    kept.push_back(parts[i]);
  }
  std::string out = "/";
  for (std::size_t i = 0; i + 1 < kept.size(); ++i)
    if (!kept[i].empty()) out += kept[i] + "/";
  if (!kept.empty()) out += kept.back();
  return out;
}

// attemptIPFormats: a number is masked to 32 bits; dotted decimal/octal forms go through
// inet_aton as gethostbyname_ex would.
std::optional<std::string> ip_form(const std::string& host) {
  if (host.empty()) return std::nullopt;
  if (std::all_of(host.begin(), host.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    uint64_t v = 0;
    for (char c : host) v = (v * 10 + static_cast<uint64_t>(c - '0')) & 0xffffffffffffull;
    v &= 0xffffffffull;
    return std::to_string(v >> 24) + "." + std::to_string((v >> 16) & 255) + "." +
           std::to_string((v >> 8) & 255) + "." + std::to_string(v & 255);
  }
  static const std::regex decimal(R"(^([1-9][0-9]*)(\.[0-9]+)?(\.[0-9]+)?(\.[0-9]+)?$)");
  static const std::regex octal(R"(^(0[0-7]*)(\.[0-7]+)?(\.[0-7]+)?(\.[0-7]+)?$)");
  if (!std::regex_match(host, decimal) && !std::regex_match(host, octal)) return std::nullopt;
  in_addr a{};
  if (inet_aton(host.c_str(), &a) == 0) return std::nullopt;
  char buf[INET_ADDRSTRLEN];
  return std::string(inet_ntop(AF_INET, &a, buf, sizeof buf));
}

std::string canonical_host(const std::string& raw) {
  std::string host = unescape_repeatedly(raw);
  if (std::any_of(host.begin(), host.end(), [](char c) { return (c & 0x80) != 0; })) {
    char* ascii = nullptr;
    if (idn2_to_ascii_8z(host.c_str(), &ascii, IDN2_NFC_INPUT | IDN2_TRANSITIONAL) ==
        IDN2_OK) {
      host = ascii;
    }
    idn2_free(ascii);
  }
  std::string dedot;  // Python's str.replace('..', '.'): left to right, not overlapping
  for (std::size_t i = 0; i < host.size(); ++i) {
    if (host[i] == '.' && i + 1 < host.size() && host[i + 1] == '.') ++i;
    dedot += host[i];
  }
  std::size_t b = dedot.find_first_not_of('.');
  std::size_t e = dedot.find_last_not_of('.');
  host = b == std::string::npos ? std::string() : dedot.substr(b, e - b + 1);
  if (auto ip = ip_form(host)) return *ip;
  lower_ascii(host);
  return escape_once(host);
}

std::string strip_path_session_id(std::string path) {
  static const std::regex p1(R"(^(.*/)(\((?:[a-z]\([0-9a-z]{24}\))+\)/)([^\?]+\.aspx.*)$)",
                             std::regex::icase);
  static const std::regex p2(R"(^(.*/)(\([0-9a-z]{24}\)/)([^\?]+\.aspx.*)$)", std::regex::icase);
  std::smatch m;
  for (const std::regex* re : {&p1, &p2})
    if (std::regex_match(path, m, *re)) path = m.str(1) + m.str(3);
  return path;
}

std::string strip_query_session_id(std::string query) {
  static const std::regex res[] = {
      std::regex(R"(^(.*)(?:jsessionid=[0-9a-zA-Z]{32})(?:&(.*))?$)", std::regex::icase),
      std::regex(R"(^(.*)(?:phpsessid=[0-9a-zA-Z]{32})(?:&(.*))?$)", std::regex::icase),
      std::regex(R"(^(.*)(?:sid=[0-9a-zA-Z]{32})(?:&(.*))?$)", std::regex::icase),
      std::regex(R"(^(.*)(?:ASPSESSIONID[a-zA-Z]{8}=[a-zA-Z]{24})(?:&(.*))?$)", std::regex::icase),
      std::regex(R"(^(.*)(?:cfid=[^&]+&cftoken=[^&]+)(?:&(.*))?$)", std::regex::icase),
  };
  std::smatch m;
  for (const std::regex& re : res)
    if (std::regex_match(query, m, re)) query = m.str(1) + (m[2].matched ? m.str(2) : "");
  return query;
}

// IAURLCanonicalizer.alphaReorderQuery: arguments sorted as Python sorts (name,) / (name,
// value) tuples.
std::string alpha_reorder_query(const std::string& q) {
  if (q.size() <= 1) return q;
  struct Arg { std::string name; bool has_value; std::string value; };
  std::vector<Arg> args;
  std::size_t p = 0;
  for (;;) {
    std::size_t amp = q.find('&', p);
    std::string a = q.substr(p, amp == std::string::npos ? amp : amp - p);
    std::size_t eq = a.find('=');
    if (eq == std::string::npos) args.push_back({a, false, {}});
    else args.push_back({a.substr(0, eq), true, a.substr(eq + 1)});
    if (amp == std::string::npos) break;
    p = amp + 1;
  }
  std::stable_sort(args.begin(), args.end(), [](const Arg& x, const Arg& y) {
    if (x.name != y.name) return x.name < y.name;
    if (x.has_value != y.has_value) return !x.has_value;
    return x.value < y.value;
  });
  std::string out;
  for (const Arg& a : args) out += a.name + (a.has_value ? "=" + a.value : "") + "&";
  out.pop_back();
  return out;
}

struct Parts {
  std::string scheme;
  std::optional<std::string> host, path, query;
  std::optional<long> port;
};

// handyurl.parse (urllib.parse.urlsplit underneath). False where Python raises (a port that
// is not a number in 0..65535, an unclosed IPv6 bracket): the caller keeps the URL as is.
bool parse(std::string url, Parts& out) {
  std::string cleaned;
  for (char c : url)
    if (c != '\n' && c != '\r' && c != '\t') cleaned += c;
  static const std::regex has_scheme(R"(^[a-zA-Z][a-zA-Z0-9+\-.]*:)");
  if (!std::regex_search(cleaned, has_scheme)) cleaned = "http://" + cleaned;
  static const std::regex repeated(R"(^(https?://)+)");
  cleaned = std::regex_replace(cleaned, repeated, "$1", std::regex_constants::format_first_only);

  std::size_t colon = cleaned.find(':');
  out.scheme = cleaned.substr(0, colon);
  lower_ascii(out.scheme);
  std::string rest = cleaned.substr(colon + 1);
  std::string netloc;
  bool has_netloc = rest.compare(0, 2, "//") == 0;
  if (has_netloc) {
    std::size_t end = rest.find_first_of("/?#", 2);
    netloc = rest.substr(2, end == std::string::npos ? end : end - 2);
    rest = end == std::string::npos ? std::string() : rest.substr(end);
    if ((netloc.find('[') == std::string::npos) != (netloc.find(']') == std::string::npos))
      return false;
  }
  if (std::size_t hash = rest.find('#'); hash != std::string::npos) rest.resize(hash);
  if (std::size_t q = rest.find('?'); q != std::string::npos) {
    if (q + 1 < rest.size()) out.query = rest.substr(q + 1);
    rest.resize(q);
  }
  while (!netloc.empty() && netloc.back() == ':') netloc.pop_back();
  std::string hostport = netloc.substr(netloc.rfind('@') == std::string::npos ? 0 : netloc.rfind('@') + 1);
  std::string hostname, port;
  if (std::size_t lb = hostport.find('['); lb != std::string::npos) {
    std::size_t rb = hostport.find(']', lb);
    hostname = hostport.substr(lb + 1, rb - lb - 1);
    std::size_t pc = hostport.find(':', rb);
    if (pc != std::string::npos) port = hostport.substr(pc + 1);
  } else {
    std::size_t pc = hostport.find(':');
    hostname = hostport.substr(0, pc);
    if (pc != std::string::npos) port = hostport.substr(pc + 1);
  }
  if (!port.empty()) {
    if (port.size() > 5 || !std::all_of(port.begin(), port.end(), [](char c) { return c >= '0' && c <= '9'; }))
      return false;
    long v = std::stol(port);
    if (v > 65535) return false;
    if (v != 0) out.port = v;
  }
  lower_ascii(hostname);
  if (out.scheme == "dns") {
    if (!rest.empty()) out.host = rest;
  } else {
    if (!hostname.empty()) out.host = hostname;
    if (!rest.empty()) out.path = rest;
  }
  if (out.scheme.rfind("http", 0) == 0 && !out.host && out.path) {
    std::string p = *out.path;
    p.erase(0, p.find_first_not_of('/') == std::string::npos ? p.size() : p.find_first_not_of('/'));
    std::size_t slash = p.find('/');
    out.host = p.substr(0, slash);
    out.path = "/" + (slash == std::string::npos ? std::string() : p.substr(slash + 1));
  }
  return true;
}

}  // namespace

std::string surt(std::string_view url_in) {
  if (url_in.empty()) return "-";
  if (url_in.substr(0, 8) == "filedesc") return std::string(url_in);
  std::string url(trim(url_in));
  Parts u;
  if (!parse(url, u)) return std::string(url_in);

  // GoogleURLCanonicalizer
  if (u.query) u.query = escape_once(unescape_repeatedly(*u.query));
  if (u.host) u.host = canonical_host(*u.host);
  std::string path = unescape_repeatedly(u.path.value_or(""));
  if (u.host) path = normalize_path(path);
  u.path = escape_once(path);

  // IAURLCanonicalizer
  if (u.host && u.scheme != "dns") {
    static const std::regex www(R"(^www\d*\.)");
    *u.host = std::regex_replace(*u.host, www, "", std::regex_constants::format_first_only);
  }
  if (u.port && ((u.scheme == "http" && *u.port == 80) || (u.scheme == "https" && *u.port == 443)))
    u.port.reset();
  if (!u.path->empty()) {
    lower_ascii(*u.path);
    *u.path = strip_path_session_id(*u.path);
    if (u.path->size() > 1 && u.path->back() == '/') u.path->pop_back();
  }
  if (u.query) {
    std::string q = strip_query_session_id(*u.query);
    lower_ascii(q);
    q = alpha_reorder_query(q);
    if (q.empty()) u.query.reset();
    else u.query = q;
  }

  // SURT format: no scheme, no trailing comma, IPv4 addresses reversed too.
  std::string s;
  if (!u.host || u.host->empty()) {
    s = u.scheme + ":";
  } else {
    // _host_to_surt: labels reversed (IPv4 addresses too), joined by ','
    const std::string& h = *u.host;
    std::size_t end = h.size();
    for (;;) {
      std::size_t dot = end == 0 ? std::string::npos : h.rfind('.', end - 1);
      if (dot == std::string::npos) {
        s += h.substr(0, end);
        break;
      }
      s += h.substr(dot + 1, end - dot - 1) + ",";
      end = dot;
    }
    if (u.port) s += ":" + std::to_string(*u.port);
    s += ")";
  }
  if (!u.path->empty()) s += *u.path;
  else if (u.query) s += "/";
  if (u.query) s += "?" + *u.query;
  return s;
}

}  // namespace warcpairs::warc
