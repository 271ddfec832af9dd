// Reference for find_label's differential test: the straightforward algorithm (fold the
// whole context into code points, then compare at every position) that label.cc's in-place
// scan replaced for speed. The two must agree on every input, valid UTF-8 or not.
#include "label_reference.h"

#include <vector>

#include "../../../src/text/utf8.h"

namespace warcpairs::text::testing {
namespace {

using detail::decode_utf8;
using detail::is_unicode_space;

// Simple case folding for the scripts that have case and are common on the web (Latin,
// Greek, Cyrillic, fullwidth Latin). Enough for matching alt text; not full Unicode folding.
char32_t fold_case(char32_t c) {
  if (c < 0x80) return (c >= 'A' && c <= 'Z') ? c + 32 : c;
  if (c >= 0xC0 && c <= 0xDE && c != 0xD7) return c + 32;
  if (c >= 0x100 && c <= 0x17F) {
    if (c == 0x130) return 'i';
    if (c == 0x178) return 0xFF;
    const bool odd_upper = (c >= 0x139 && c <= 0x148) || (c >= 0x179 && c <= 0x17E);
    if (odd_upper) return (c & 1) ? c + 1 : c;
    if (c == 0x138 || c == 0x149 || c == 0x17F) return c;
    return (c & 1) ? c : c + 1;
  }
  if (c >= 0x391 && c <= 0x3A9 && c != 0x3A2) return c + 32;
  if (c == 0x3C2) return 0x3C3;  // final sigma matches sigma
  if (c == 0x386) return 0x3AC;
  if (c >= 0x388 && c <= 0x38A) return c + 37;
  if (c >= 0x410 && c <= 0x42F) return c + 32;
  if (c >= 0x400 && c <= 0x40F) return c + 80;
  if (c >= 0xFF21 && c <= 0xFF3A) return c + 32;
  return c;
}

// Letters and digits of scripts that separate words with spaces: a label must not start
// or end inside such a word ("art" is not a label inside "start"). CJK has no such rule.
bool is_word_char(char32_t c) {
  if (c < 0x80) return (c >= '0' && c <= '9') || ((c | 32) >= 'a' && (c | 32) <= 'z');
  return (c >= 0xC0 && c <= 0x24F && c != 0xD7 && c != 0xF7) || (c >= 0x370 && c <= 0x4FF);
}

// Folded, whitespace-collapsed code points and, for each, its code-point index in the input.
struct FoldedText {
  std::vector<char32_t> cps;
  std::vector<int32_t> index;
};

void fold_text(std::string_view s, FoldedText& out) {
  out.cps.clear();
  out.index.clear();
  bool pending_space = false;
  int32_t cp_index = 0;
  for (std::size_t i = 0; i < s.size(); ++cp_index) {
    char32_t c = static_cast<unsigned char>(s[i]);
    if (c < 0x80) {
      ++i;
    } else {
      std::size_t n = decode_utf8(s, i, c);
      if (n == 0) { c = 0xFFFD; n = 1; }
      i += n;
    }
    if (is_unicode_space(c)) {
      pending_space = !out.cps.empty();
      continue;
    }
    if (pending_space) {
      out.cps.push_back(U' ');
      out.index.push_back(cp_index - 1);
      pending_space = false;
    }
    out.cps.push_back(fold_case(c));
    out.index.push_back(cp_index);
  }
}

bool is_match_at(const FoldedText& ctx, const FoldedText& alt, std::size_t pos) {
  for (std::size_t k = 0; k < alt.cps.size(); ++k) {
    if (ctx.cps[pos + k] != alt.cps[k]) return false;
  }
  const std::size_t end = pos + alt.cps.size();
  if (pos > 0 && is_word_char(alt.cps.front()) && is_word_char(ctx.cps[pos - 1])) return false;
  if (end < ctx.cps.size() && is_word_char(alt.cps.back()) && is_word_char(ctx.cps[end]))
    return false;
  return true;
}


}  // namespace

std::optional<std::pair<int32_t, int32_t>> reference_find_label(std::string_view context,
                                                      std::string_view alt, int32_t image_pos,
                                                      int32_t min_chars) {
  thread_local FoldedText a, c;  // reused: find_label runs once per image
  fold_text(alt, a);
  if (a.cps.empty() || static_cast<int32_t>(a.cps.size()) < min_chars) return std::nullopt;
  fold_text(context, c);
  if (a.cps.size() > c.cps.size()) return std::nullopt;
  std::optional<std::pair<int32_t, int32_t>> best;
  int64_t best_distance = 0;
  for (std::size_t pos = 0; pos + a.cps.size() <= c.cps.size(); ++pos) {
    if (c.cps[pos] != a.cps[0] || !is_match_at(c, a, pos)) continue;
    const int32_t start = c.index[pos];
    const int32_t end = c.index[pos + a.cps.size() - 1] + 1;
    int64_t distance = 0;  // 0 when the span touches or covers the image position
    if (image_pos < start) distance = int64_t{start} - image_pos;
    if (image_pos > end) distance = int64_t{image_pos} - end;
    if (!best || distance < best_distance) {  // ties: the earlier occurrence
      best = std::make_pair(start, end);
      best_distance = distance;
    }
  }
  return best;
}

}  // namespace warcpairs::text::testing
