// Opt-outs (robots_tag.h): X-Robots-Tag as img2dataset reads it, and <meta name="robots">.
#include "warcpairs/net/robots_tag.h"

#include <algorithm>

#include "warcpairs/net/transfer_engine.h"

namespace warcpairs::net {
namespace {

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f' || c == '\v'; }

std::string_view trim(std::string_view s) {
  while (!s.empty() && is_space(s.front())) s.remove_prefix(1);
  while (!s.empty() && is_space(s.back())) s.remove_suffix(1);
  return s;
}

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) if (c >= 'A' && c <= 'Z') c = static_cast<char>(c + 32);
  return out;
}

// The first of `directives` (','-separated, trimmed, lower-cased) that is in `wanted`.
template <class Wanted>
std::string first_listed(std::string_view directives, const Wanted& wanted) {
  std::size_t start = 0;
  while (start <= directives.size()) {
    std::size_t end = std::min(directives.find(',', start), directives.size());
    const std::string d = lower(trim(directives.substr(start, end - start)));
    if (std::find(std::begin(wanted), std::end(wanted), d) != std::end(wanted)) return d;
    start = end + 1;
  }
  return {};
}

}  // namespace

std::string robots_tag_opt_out(std::string_view value, const OptOutRules& rules) {
  value = trim(value);
  const std::size_t colon = value.find(':');
  if (colon != std::string_view::npos) {
    // Python's values.split(":", 1)[0].lower(): the token as written, not trimmed.
    if (lower(value.substr(0, colon)) != rules.user_agent_token) return {};
    value.remove_prefix(colon + 1);
  }
  return first_listed(value, rules.disallowed);
}

std::string headers_opt_out(std::string_view headers, const OptOutRules& rules) {
  for (std::string_view value : header_values(headers, "x-robots-tag")) {
    std::string hit = robots_tag_opt_out(value, rules);
    if (!hit.empty()) return hit;
  }
  return {};
}

std::string_view meta_robots_opt_out(std::string_view directives) {
  static constexpr std::string_view kAi[] = {"noai", "noimageai"};
  const std::string hit = first_listed(directives, kAi);
  for (std::string_view a : kAi)
    if (hit == a) return a;
  return {};
}

}  // namespace warcpairs::net
