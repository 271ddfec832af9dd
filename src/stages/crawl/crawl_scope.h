// Which discovered URLs the crawl takes: scope (same host, same registrable domain, or URL
// prefixes from a file) and trap caps (URL length, query parameters).
#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

#include "warcpairs/stages/crawl/crawl.h"

namespace warcpairs::stages::crawl {

// "scheme://host[:port]" of a normalised URL: the unit of robots.txt (RFC 9309 §2.3) and of
// politeness.
std::string origin_of(std::string_view url);

// The normalised seed URLs, streamed (a seed list of millions is not held in memory): calls
// its argument once per seed, in file order.
using SeedSource = std::function<void(const std::function<void(const std::string&)>&)>;

class ScopeRules {
 public:
  // Throws UsageError for an unreadable prefix file.
  ScopeRules(const CrawlConfig& config, const SeedSource& seeds);
  // Whether a discovered page URL is within the scope (requisites are not asked).
  bool in_scope(std::string_view url) const;
  // "" when no trap cap applies, else why: "url_length", "query_params".
  std::string trap(std::string_view url) const;

 private:
  CrawlScope scope_;
  std::unordered_set<std::string> hosts_;    // same_host: seed hosts; same_domain: registrable domains
  std::vector<std::string> prefixes_;
  int max_length_, max_params_;
};

// The registrable domain of `host` by the Public Suffix List (libpsl), or `host` itself when
// it has none (an IP address, a single label).
std::string registrable_domain(std::string_view host);

}  // namespace warcpairs::stages::crawl
