// robots.txt as RFC 9309 (Robots Exclusion Protocol) defines it: groups by user-agent,
// allow/disallow rules with `*` and `$`, the longest match wins; plus Crawl-delay, which the
// RFC leaves to crawlers (§2.2.4 "other records") and most read as seconds between requests.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace warcpairs::text {

// §2.5: a crawler MUST parse at least 500 kibibytes; bytes past this are ignored.
inline constexpr std::size_t kRobotsTxtMaxBytes = 500 * 1024;

class RobotsTxt {
 public:
  // The rules for the crawler whose product token is `product` (the User-Agent's name part,
  // letters, '_' and '-' only, §2.2.1), from the bytes of a robots.txt (first 500 KiB).
  static RobotsTxt parse(std::string_view body, std::string_view product);
  // §2.3.1.3 "unavailable" (4xx): any URL may be fetched.
  static RobotsTxt allow_all();
  // §2.3.1.4 "unreachable" (5xx, network error): nothing may be fetched.
  static RobotsTxt disallow_all();

  // Whether `path` ("/a/b?q=1": path and query of the URL, percent-encoded as sent) may be
  // fetched. "/robots.txt" is always allowed (§2.2.2).
  bool allowed(std::string_view path) const;
  // The Crawl-delay of the group that applies, in seconds, when it gave one.
  std::optional<double> crawl_delay() const { return crawl_delay_; }
  // The rules taken (for logs and tests): "allow:/x" or "disallow:/y", in file order.
  std::vector<std::string> rules() const;

 private:
  struct Rule {
    bool allow = false;
    std::string pattern;  // canonical percent-encoding, '*' and a final '$' kept
  };
  std::vector<Rule> rules_;
  std::optional<double> crawl_delay_;
};

// Whether a robots.txt `pattern` (canonical, with `*` and a final `$`) matches the start of
// `path` (canonical), §2.2.3.
bool robots_pattern_matches(std::string_view pattern, std::string_view path);

}  // namespace warcpairs::text
