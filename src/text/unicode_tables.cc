// Lookups into the generated Unicode tables (unicode_tables.inc) for the WordPiece normaliser.
#include "unicode_tables.h"

#include <algorithm>
#include <cstdint>

namespace warcpairs::text::detail {
namespace {

struct Mapping {
  char32_t cp;
  uint16_t offset;  // into kMappingPool
  uint8_t length;
};

#include "unicode_tables.inc"

constexpr char32_t kBlock = 128;

}  // namespace

uint8_t char_flags(char32_t c) {
  if (c >= 0x110000) return kRemoved;
  return kStage2[static_cast<std::size_t>(kStage1[c / kBlock]) * kBlock + c % kBlock];
}

int char_mapping(char32_t c, char32_t* out) {
  const auto* end = kMappings + std::size(kMappings);
  const auto* it = std::lower_bound(kMappings, end, c,
                                    [](const Mapping& m, char32_t v) { return m.cp < v; });
  if (it == end || it->cp != c) {
    out[0] = c;
    return 1;
  }
  const int n = std::min<int>(it->length, kMaxMapping);
  std::copy_n(kMappingPool + it->offset, n, out);
  return n;
}

std::string_view unicode_tables_version() { return kUnicodeVersion; }

}  // namespace warcpairs::text::detail
