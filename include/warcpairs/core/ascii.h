// ASCII case folding for protocol and markup names (HTTP headers, robots.txt keys, ARIA roles,
// host names): locale-independent, bytes >= 0x80 compared as they are. One copy for every layer.
#pragma once

#include <cstddef>
#include <string_view>

namespace warcpairs {

inline char ascii_lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c + 32) : c; }

inline bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i)
    if (ascii_lower(a[i]) != ascii_lower(b[i])) return false;
  return true;
}

}  // namespace warcpairs
