// RFC 3986 reference resolution (§5.2) and the srcset grammar of the HTML Living Standard.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace warcpairs::text {

// Resolves `ref` against the absolute `base` (RFC 3986 §5.2.2, dot segments removed §5.2.4).
// Leading/trailing ASCII whitespace is stripped from `ref` and tab/newline removed, as
// browsers do. Returns "" when `base` is not absolute and `ref` is relative.
std::string resolve_url(std::string_view base, std::string_view ref);

// The host of an absolute URL (RFC 3986 §3.2.2) as written, without userinfo and port (an
// IPv6 literal keeps its brackets); "" when `url` has no "://" authority. A view into `url`.
std::string_view url_host_view(std::string_view url);
// url_host_view in lower case. For grouping pages by site, not for connecting.
std::string url_host(std::string_view url);

struct SrcsetCandidate {
  std::string url;         // as written (resolve separately)
  std::string descriptor;  // "2x", "640w" or ""
};
// HTML Living Standard §4.8.4.3.10 "parse a srcset attribute".
std::vector<SrcsetCandidate> parse_srcset(std::string_view srcset);

}  // namespace warcpairs::text
