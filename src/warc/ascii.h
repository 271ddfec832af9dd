// ASCII helpers shared by the WARC and HTTP header parsers (private to src/warc).
#pragma once

#include <cstddef>
#include <string_view>

#include "warcpairs/core/ascii.h"

namespace warcpairs::warc {

using warcpairs::ascii_lower;
using warcpairs::iequals;

inline bool is_space(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

inline std::string_view trim(std::string_view s) {
  while (!s.empty() && is_space(s.front())) s.remove_prefix(1);
  while (!s.empty() && is_space(s.back())) s.remove_suffix(1);
  return s;
}

// Case-insensitive search for `needle` (already lower case) in `hay`.
inline bool icontains(std::string_view hay, std::string_view needle) {
  if (needle.size() > hay.size()) return false;
  for (std::size_t i = 0; i + needle.size() <= hay.size(); ++i)
    if (iequals(hay.substr(i, needle.size()), needle)) return true;
  return false;
}

}  // namespace warcpairs::warc
