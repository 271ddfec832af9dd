// Lookups into the generated CLIP BPE Unicode tables (clip_bpe_tables.inc).
#include "clip_bpe_tables.h"

#include <algorithm>
#include <cstdint>
#include <iterator>

namespace warcpairs::text::clip {
namespace {

struct Mapping {
  char32_t cp;
  uint16_t offset;  // into the pool
  uint8_t length;
};
struct CombiningClass {
  char32_t cp;
  uint8_t rank;
};
struct Composition {
  char32_t first, second, composite;
};

#include "clip_bpe_tables.inc"

constexpr char32_t kBlock = 128;

template <std::size_t N, std::size_t P>
int lookup(const Mapping (&table)[N], const char32_t (&pool)[P], char32_t c, char32_t* out) {
  const auto* it = std::lower_bound(std::begin(table), std::end(table), c,
                                    [](const Mapping& m, char32_t v) { return m.cp < v; });
  if (it == std::end(table) || it->cp != c) {
    out[0] = c;
    return 1;
  }
  const int n = std::min<int>(it->length, kMaxMapping);
  std::copy_n(pool + it->offset, n, out);
  return n;
}

// UAX #15 §3.12, Hangul syllable composition.
constexpr char32_t kSBase = 0xAC00, kLBase = 0x1100, kVBase = 0x1161, kTBase = 0x11A7;
constexpr char32_t kLCount = 19, kVCount = 21, kTCount = 28, kSCount = 11172;

}  // namespace

uint8_t flags(char32_t c) {
  if (c >= 0x110000) return 0;
  return kStage2[static_cast<std::size_t>(kStage1[c / kBlock]) * kBlock + c % kBlock];
}

int decompose(char32_t c, char32_t* out) {
  return lookup(kDecompositions, kDecompositionPool, c, out);
}

int lowercase(char32_t c, char32_t* out) { return lookup(kLowercase, kLowercasePool, c, out); }

uint8_t ccc(char32_t c) {
  const auto* it = std::lower_bound(std::begin(kCombiningClasses), std::end(kCombiningClasses), c,
                                    [](const CombiningClass& m, char32_t v) { return m.cp < v; });
  return it != std::end(kCombiningClasses) && it->cp == c ? it->rank : 0;
}

char32_t compose(char32_t first, char32_t second) {
  if (first >= kLBase && first < kLBase + kLCount && second >= kVBase && second < kVBase + kVCount)
    return kSBase + ((first - kLBase) * kVCount + (second - kVBase)) * kTCount;
  if (first >= kSBase && first < kSBase + kSCount && (first - kSBase) % kTCount == 0 &&
      second > kTBase && second < kTBase + kTCount)
    return first + (second - kTBase);
  const auto* it = std::lower_bound(std::begin(kCompositions), std::end(kCompositions),
                                    std::pair{first, second},
                                    [](const Composition& m, const std::pair<char32_t, char32_t>& v) {
                                      return m.first < v.first ||
                                             (m.first == v.first && m.second < v.second);
                                    });
  return it != std::end(kCompositions) && it->first == first && it->second == second
             ? it->composite
             : 0;
}

std::string_view tables_version() { return kClipUnicodeVersion; }

}  // namespace warcpairs::text::clip
