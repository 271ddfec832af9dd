// RFC 9309 robots.txt parsing (§2.2) and matching (§2.2.2, §2.2.3).
#include "warcpairs/text/robots_txt.h"

#include <cstdlib>

#include "warcpairs/core/ascii.h"
#include "warcpairs/text/url_normalize.h"

namespace warcpairs::text {
namespace {

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.remove_suffix(1);
  return s;
}

// The product token a user-agent line names: its leading run of letters, '_' and '-' (§2.2.1
// lets crawlers match "the product token"; a line like "Googlebot/2.1" names Googlebot).
std::string_view product_token(std::string_view value) {
  std::size_t n = 0;
  while (n < value.size()) {
    const char c = ascii_lower(value[n]);
    if (!((c >= 'a' && c <= 'z') || c == '_' || c == '-')) break;
    ++n;
  }
  return value.substr(0, n);
}

struct Line {
  std::string_view key, value;
};

// One line's "key: value" with the comment removed; key empty when the line has none.
Line split_line(std::string_view line) {
  if (const std::size_t hash = line.find('#'); hash != std::string_view::npos) line = line.substr(0, hash);
  const std::size_t colon = line.find(':');
  if (colon == std::string_view::npos) return {};
  return {trim(line.substr(0, colon)), trim(line.substr(colon + 1))};
}

// §2.2.2: the pattern and the path are compared in one percent-encoding; '*' and '$' are
// kept as they are (canonical_percent_encoding leaves both alone: sub-delims).
std::string canonical_pattern(std::string_view value) { return canonical_percent_encoding(value); }

}  // namespace

bool robots_pattern_matches(std::string_view pattern, std::string_view path) {
  const bool anchored = !pattern.empty() && pattern.back() == '$';
  if (anchored) pattern.remove_suffix(1);
  // Greedy match of '*'-separated pieces with backtracking to the last star (linear-ish).
  std::size_t p = 0, s = 0, star = std::string_view::npos, star_s = 0;
  while (true) {
    if (p == pattern.size()) {
      if (!anchored || s == path.size()) return true;
      if (star == std::string_view::npos) return false;
      p = star + 1, s = ++star_s;  // the star takes one more byte
      continue;
    }
    if (pattern[p] == '*') {
      star = p++, star_s = s;
      continue;
    }
    if (s < path.size() && pattern[p] == path[s]) {
      ++p, ++s;
      continue;
    }
    if (star == std::string_view::npos || star_s >= path.size()) return false;
    p = star + 1, s = ++star_s;
  }
}

RobotsTxt RobotsTxt::allow_all() { return {}; }

RobotsTxt RobotsTxt::disallow_all() {
  RobotsTxt r;
  r.rules_.push_back({false, "/"});
  return r;
}

RobotsTxt RobotsTxt::parse(std::string_view body, std::string_view product) {
  body = body.substr(0, kRobotsTxtMaxBytes);
  if (body.starts_with("\xEF\xBB\xBF")) body.remove_prefix(3);
  // Groups: consecutive user-agent lines open one; rules follow. Rules of every group naming
  // `product` are combined (§2.2.1); without one, those of every "*" group.
  RobotsTxt mine, star;
  bool mine_found = false;
  bool in_agents = false;       // the previous record was a user-agent line
  bool group_mine = false, group_star = false;
  std::size_t pos = 0;
  while (pos < body.size()) {
    std::size_t eol = body.find_first_of("\r\n", pos);
    if (eol == std::string_view::npos) eol = body.size();
    const Line line = split_line(body.substr(pos, eol - pos));
    pos = eol + 1;
    if (line.key.empty()) continue;
    if (iequals(line.key, "user-agent")) {
      if (!in_agents) group_mine = group_star = false;
      in_agents = true;
      const std::string_view token = product_token(line.value);
      if (line.value == "*") group_star = true;
      else if (!token.empty() && iequals(token, product)) group_mine = mine_found = true;
      continue;
    }
    const bool allow = iequals(line.key, "allow");
    if (allow || iequals(line.key, "disallow")) {
      in_agents = false;
      // An empty disallow allows everything: it adds no rule (§2.2.2).
      if (line.value.empty()) continue;
      Rule rule{allow, canonical_pattern(line.value)};
      if (group_mine) mine.rules_.push_back(rule);
      if (group_star) star.rules_.push_back(rule);
    } else if (iequals(line.key, "crawl-delay")) {
      in_agents = false;
      char* end = nullptr;
      const std::string value(line.value);
      const double d = std::strtod(value.c_str(), &end);
      if (end != value.c_str() && d >= 0) {
        if (group_mine) mine.crawl_delay_ = d;
        if (group_star) star.crawl_delay_ = d;
      }
    } else if (!iequals(line.key, "sitemap")) {
      // Other records (§2.2.4) do not end a run of user-agent lines.
    } else {
      in_agents = false;
    }
  }
  return mine_found ? mine : star;
}

bool RobotsTxt::allowed(std::string_view path) const {
  if (path == "/robots.txt") return true;
  const std::string canonical = canonical_percent_encoding(path.empty() ? "/" : path);
  // §2.2.2: the most specific match (most octets in the pattern) wins; allow wins a tie.
  std::size_t best = 0;
  bool best_allow = true, any = false;
  for (const Rule& r : rules_) {
    if (!robots_pattern_matches(r.pattern, canonical)) continue;
    const std::size_t len = r.pattern.size();
    if (!any || len > best || (len == best && r.allow)) {
      best = len, best_allow = r.allow, any = true;
    }
  }
  return !any || best_allow;
}

std::vector<std::string> RobotsTxt::rules() const {
  std::vector<std::string> out;
  for (const Rule& r : rules_) out.push_back((r.allow ? "allow:" : "disallow:") + r.pattern);
  return out;
}

}  // namespace warcpairs::text
