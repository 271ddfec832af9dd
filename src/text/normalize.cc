// Whitespace collapsing, UTF-8 validation/sanitising and the alt-text training label.
#include "warcpairs/text/normalize.h"

#include <cstdlib>
#include <cstring>
#include <vector>

#include "utf8.h"

namespace warcpairs::text {
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

std::string collapse_whitespace(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  bool pending_space = false;
  for (std::size_t i = 0; i < s.size();) {
    char32_t c;
    std::size_t n = decode_utf8(s, i, c);
    if (n == 0) {  // keep invalid bytes as they are: sanitising is not this function's job
      if (pending_space) out.push_back(' ');
      pending_space = false;
      out.push_back(s[i++]);
      continue;
    }
    if (is_unicode_space(c)) {
      pending_space = !out.empty();
    } else {
      if (pending_space) out.push_back(' ');
      pending_space = false;
      out.append(s.data() + i, n);
    }
    i += n;
  }
  return out;
}

int32_t codepoint_count(std::string_view utf8) {
  int32_t n = 0;
  for (unsigned char b : utf8) n += (b & 0xC0) != 0x80;
  return n;
}

std::size_t byte_offset_of_codepoint(std::string_view utf8, int32_t cp) {
  if (cp <= 0) return 0;
  int32_t seen = 0;
  for (std::size_t i = 0; i < utf8.size(); ++i) {
    if ((static_cast<unsigned char>(utf8[i]) & 0xC0) != 0x80 && seen++ == cp) return i;
  }
  return utf8.size();
}

// Length of the all-ASCII prefix of s[i..], 8 bytes at a time.
static std::size_t ascii_run(std::string_view s, std::size_t i) {
  const std::size_t start = i;
  while (i + 8 <= s.size()) {
    uint64_t w;
    std::memcpy(&w, s.data() + i, 8);
    if (w & 0x8080808080808080ull) break;
    i += 8;
  }
  while (i < s.size() && static_cast<unsigned char>(s[i]) < 0x80) ++i;
  return i - start;
}

bool is_valid_utf8(std::string_view s) {
  for (std::size_t i = 0; i < s.size();) {
    i += ascii_run(s, i);
    if (i >= s.size()) break;
    char32_t c;
    std::size_t n = decode_utf8(s, i, c);
    if (n == 0) return false;
    i += n;
  }
  return true;
}

// WHATWG Encoding Standard §8.1.1 (UTF-8 decoder): an invalid sequence is replaced by one
// U+FFFD per maximal subpart, i.e. the bytes that could have started a valid sequence.
std::size_t sanitize_utf8(std::string_view in, std::string& out) {
  out.clear();
  out.reserve(in.size());
  std::size_t replaced = 0;
  std::size_t i = 0;
  while (i < in.size()) {
    std::size_t run = i;  // copy valid runs in bulk
    while (run < in.size()) {
      run += ascii_run(in, run);
      if (run >= in.size()) break;
      char32_t c;
      std::size_t n = decode_utf8(in, run, c);
      if (n == 0) break;
      run += n;
    }
    out.append(in.data() + i, run - i);
    i = run;
    if (i >= in.size()) break;
    // Maximal subpart: the lead byte plus the continuation bytes that keep it a valid prefix.
    const auto b0 = static_cast<unsigned char>(in[i]);
    std::size_t len = 1;
    const std::size_t need = detail::lead_length(b0);
    if (b0 >= 0xC2 && b0 <= 0xF4) {
      unsigned char lo = 0x80, hi = 0xBF;
      if (b0 == 0xE0) lo = 0xA0;
      if (b0 == 0xED) hi = 0x9F;
      if (b0 == 0xF0) lo = 0x90;
      if (b0 == 0xF4) hi = 0x8F;
      while (len < need && i + len < in.size()) {
        const auto b = static_cast<unsigned char>(in[i + len]);
        if (b < lo || b > hi) break;
        lo = 0x80, hi = 0xBF;
        ++len;
      }
    }
    out.append("\xEF\xBF\xBD");
    ++replaced;
    i += len;
  }
  return replaced;
}

std::optional<std::pair<int32_t, int32_t>> find_label(std::string_view context,
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

}  // namespace warcpairs::text
