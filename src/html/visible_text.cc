// Visible text accumulation and context windows.
#include "visible_text.h"

#include <algorithm>
#include <array>
#include <bit>
#include <cstring>

#include "warcpairs/text/normalize.h"

namespace warcpairs::html {
namespace {

static_assert(std::endian::native == std::endian::little,
              "VisibleText::append reads bytes as little-endian words");

// How far (code points) a window edge may move to avoid cutting a word in half: at most
// 32, and at most half the window, so a small window is not emptied by the search.
int32_t word_search(int32_t chars) { return std::min(32, chars / 2); }

bool is_cont(char c) { return (static_cast<unsigned char>(c) & 0xC0) == 0x80; }
bool is_sep(char c) { return c == ' ' || c == '\n'; }

// Byte length of a Unicode White_Space character at s[i], or 0 (s is valid UTF-8).
std::size_t space_length(std::string_view s, std::size_t i) {
  const auto b = static_cast<unsigned char>(s[i]);
  if (b < 0x80) return (b == ' ' || (b >= 0x09 && b <= 0x0D)) ? 1 : 0;
  const std::size_t left = s.size() - i;
  const auto b1 = left > 1 ? static_cast<unsigned char>(s[i + 1]) : 0;
  const auto b2 = left > 2 ? static_cast<unsigned char>(s[i + 2]) : 0;
  if (b == 0xC2) return (b1 == 0xA0 || b1 == 0x85) ? 2 : 0;  // NBSP, NEL
  if (b == 0xE1) return (b1 == 0x9A && b2 == 0x80) ? 3 : 0;  // U+1680
  if (b == 0xE2) {
    if (b1 == 0x80) return ((b2 >= 0x80 && b2 <= 0x8A) || b2 == 0xA8 || b2 == 0xA9 || b2 == 0xAF) ? 3 : 0;
    return (b1 == 0x81 && b2 == 0x9F) ? 3 : 0;  // U+205F
  }
  if (b == 0xE3) return (b1 == 0x80 && b2 == 0x80) ? 3 : 0;  // U+3000
  return 0;
}

// True when s[pos, pos + 8) is all ASCII: eight code points that can be stepped at once.
bool ascii8(const std::string& s, std::size_t pos) {
  uint64_t w;
  std::memcpy(&w, s.data() + pos, 8);
  return (w & 0x8080808080808080ull) == 0;
}

// Moves `pos` back over `n` code points, not before `lo`.
std::size_t back_codepoints(const std::string& s, std::size_t pos, std::size_t lo, int32_t n) {
  while (n > 0 && pos > lo) {
    if (n >= 8 && pos >= lo + 8 && ascii8(s, pos - 8)) {
      pos -= 8, n -= 8;
      continue;
    }
    --pos;
    while (pos > lo && is_cont(s[pos])) --pos;
    --n;
  }
  return pos;
}

std::size_t forward_codepoints(const std::string& s, std::size_t pos, std::size_t hi, int32_t n) {
  while (n > 0 && pos < hi) {
    if (n >= 8 && pos + 8 <= hi && ascii8(s, pos)) {
      pos += 8, n -= 8;
      continue;
    }
    ++pos;
    while (pos < hi && is_cont(s[pos])) ++pos;
    --n;
  }
  return pos;
}

}  // namespace

// Byte classes for the scan: 0 plain, 1 ASCII whitespace, 2 lead byte that may start a
// non-ASCII White_Space character (U+0085, U+00A0, U+1680, U+2000.., U+3000).
constexpr auto kByteClass = [] {
  std::array<uint8_t, 256> t{};
  for (unsigned char c : {' ', '\t', '\n', '\v', '\f', '\r'}) t[c] = 1;
  for (unsigned char c : {0xC2, 0xE1, 0xE2, 0xE3}) t[c] = 2;
  return t;
}();

void VisibleText::append(std::string_view s) {
  const auto* p = reinterpret_cast<const unsigned char*>(s.data());
  const std::size_t n = s.size();
  std::size_t i = 0;
  while (i < n) {
    const uint8_t cls = kByteClass[p[i]];
    const std::size_t ws = cls == 0 ? 0 : cls == 1 ? 1 : space_length(s, i);
    if (ws) {
      if (!text_.empty() && pending_ == kNone) pending_ = kSpace;
      i += ws;
      continue;
    }
    std::size_t run = i + 1;
    // 8 bytes at a time: the first byte that is ASCII whitespace/control or may start a
    // non-ASCII space (0xC2, 0xE0-0xE3: the byte loop's class 2, and 0xE0) is found with a
    // SWAR test and jumped to; every other byte is plain (most of a text in Cyrillic, Greek,
    // CJK, accented Latin as well as ASCII). Only the byte found is looked at one by one.
    while (run < n) {
      if (run + 8 <= n) {
        uint64_t w;
        std::memcpy(&w, p + run, 8);
        constexpr uint64_t kOnes = 0x0101010101010101ull, kHigh = kOnes * 0x80;
        // The high bit of each byte x < k (k <= 0x80); exact up to the first such byte
        // (a borrow may flag later ones): that first byte is the lowest set bit.
        auto less = [](uint64_t x, uint64_t k) { return (x - kOnes * k) & ~x & kHigh; };
        const uint64_t m =
            less(w, 0x21) | less(w ^ (kOnes * 0xC2), 1) | less(w ^ (kOnes * 0xE0), 4);
        if (m == 0) {
          run += 8;
          continue;
        }
        run += static_cast<std::size_t>(std::countr_zero(m)) / 8;
      }
      const uint8_t c = kByteClass[p[run]];
      if (c == 1 || (c == 2 && space_length(s, run))) break;
      ++run;
    }
    if (pending_ != kNone) text_.push_back(pending_ == kBreak ? '\n' : ' ');
    pending_ = kNone;
    text_.append(s.data() + i, run - i);
    i = run;
  }
}

std::size_t VisibleText::context(std::size_t anchor, int32_t chars, std::string& out,
                                 int32_t& image_pos) const {
  return cut_context(text_, anchor, chars, out, image_pos);
}

std::size_t cut_context(const std::string& t, std::size_t anchor, int32_t chars,
                        std::string& out, int32_t& image_pos) {
  // A separator written at the anchor belongs to the text before the image.
  if (anchor < t.size() && is_sep(t[anchor])) ++anchor;
  // Before: back `chars` code points; if that splits a word, move forward to its end.
  std::size_t lo = back_codepoints(t, anchor, 0, chars);
  if (lo > 0 && lo < anchor && !is_sep(t[lo - 1]) && !is_sep(t[lo])) {
    const std::size_t limit = forward_codepoints(t, lo, anchor, word_search(chars));
    std::size_t k = lo;
    while (k < limit && !is_sep(t[k])) ++k;
    if (k < limit) lo = k;
  }
  while (lo < anchor && is_sep(t[lo])) ++lo;
  // After: forward `chars` code points; if that splits a word, move back to its start.
  std::size_t hi = forward_codepoints(t, anchor, t.size(), chars);
  if (hi < t.size() && !is_sep(t[hi]) && hi > anchor && !is_sep(t[hi - 1])) {
    const std::size_t limit = back_codepoints(t, hi, anchor, word_search(chars));
    std::size_t k = hi;
    while (k > limit && !is_sep(t[k - 1])) --k;
    if (k > limit) hi = k;
  }
  while (hi > anchor && is_sep(t[hi - 1])) --hi;
  out.assign(t, lo, anchor - lo);
  image_pos = text::codepoint_count(out);
  out.append(t, anchor, hi - anchor);
  return lo;
}

}  // namespace warcpairs::html
