// find_label: the alt text's nearest case-insensitive, whitespace-collapsed occurrence in
// the context. Runs once per image, so the context is scanned in place: nothing is folded
// into a copy, and for an ASCII first letter (the common case) whole runs of bytes that
// cannot start a match are skipped without decoding.
#include <cstdint>
#include <cstring>
#include <vector>

#include "utf8.h"
#include "warcpairs/text/normalize.h"

namespace warcpairs::text {
namespace {

using detail::decode_utf8;
using detail::is_unicode_space;

constexpr std::size_t kNoMatch = static_cast<std::size_t>(-1);

// Simple case folding for the scripts that have case and are common on the web (Latin,
// Greek, Cyrillic, fullwidth Latin). Enough for matching alt text; not full Unicode folding.
// The only non-ASCII code point that folds into ASCII is U+0130 (İ → i).
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

// One code point at s[i]; an invalid byte reads as U+FFFD of length 1 (as the label's
// offsets count it).
std::size_t next_cp(std::string_view s, std::size_t i, char32_t& c) {
  c = static_cast<unsigned char>(s[i]);
  if (c < 0x80) return 1;
  const std::size_t n = decode_utf8(s, i, c);
  if (n == 0) c = 0xFFFD;
  return n == 0 ? 1 : n;
}

// Does a word of a spaced script go on across this code point? Whitespace never does.
bool continues_word(char32_t c) { return !is_unicode_space(c) && is_word_char(fold_case(c)); }

// The alt text folded and whitespace-collapsed: no leading or trailing space, one U' '
// per whitespace run.
void fold_alt(std::string_view s, std::vector<char32_t>& out) {
  out.clear();
  bool pending_space = false;
  for (std::size_t i = 0; i < s.size();) {
    char32_t c;
    i += next_cp(s, i, c);
    if (is_unicode_space(c)) {
      pending_space = !out.empty();
      continue;
    }
    if (pending_space) out.push_back(U' ');
    pending_space = false;
    out.push_back(fold_case(c));
  }
}

// Matches `alt` at byte i of the context (a U' ' in alt matches a whitespace run). Returns
// the byte after the match, or kNoMatch; `cps` gets the code points the match covers.
std::size_t match_at(std::string_view s, std::size_t i, const std::vector<char32_t>& alt,
                     int32_t& cps) {
  cps = 0;
  for (const char32_t want : alt) {
    if (i >= s.size()) return kNoMatch;
    char32_t c;
    std::size_t n = next_cp(s, i, c);
    if (want != U' ') {
      if (is_unicode_space(c) || fold_case(c) != want) return kNoMatch;
      i += n, ++cps;
      continue;
    }
    if (!is_unicode_space(c)) return kNoMatch;
    do {
      i += n, ++cps;
    } while (i < s.size() && (n = next_cp(s, i, c), is_unicode_space(c)));
  }
  return i;
}

// The nearest occurrence so far; candidates arrive in text order.
struct Nearest {
  const std::vector<char32_t>& alt;
  int32_t image_pos;
  std::optional<std::pair<int32_t, int32_t>> best{};
  int64_t best_distance = 0;

  // Code points of the occurrence of alt at byte i, whose preceding code point is `before`
  // (U' ' at the start of the text); -1 when there is none.
  int32_t match(std::string_view s, std::size_t i, char32_t before) const {
    if (is_word_char(alt.front()) && continues_word(before)) return -1;
    int32_t cps;
    const std::size_t end = match_at(s, i, alt, cps);
    if (end == kNoMatch) return -1;
    if (end < s.size() && is_word_char(alt.back())) {
      char32_t after;
      next_cp(s, end, after);
      if (continues_word(after)) return -1;
    }
    return cps;
  }

  void add(int32_t start, int32_t cps) {
    const int32_t stop = start + cps;
    int64_t distance = 0;  // 0 when the span touches or covers the image position
    if (image_pos < start) distance = int64_t{start} - image_pos;
    if (image_pos > stop) distance = int64_t{image_pos} - stop;
    if (!best || distance < best_distance) {  // ties: the earlier occurrence
      best = std::make_pair(start, stop);
      best_distance = distance;
    }
  }
};

// Any context: decode every code point.
void scan_decoding(std::string_view s, Nearest& n) {
  const char32_t first = n.alt.front();
  char32_t before = U' ';
  int32_t index = 0;
  for (std::size_t i = 0; i < s.size(); ++index) {
    char32_t c;
    const std::size_t len = next_cp(s, i, c);
    if (!is_unicode_space(c) && fold_case(c) == first) {
      if (const int32_t cps = n.match(s, i, before); cps >= 0) n.add(index, cps);
    }
    before = c;
    i += len;
  }
}

constexpr uint64_t kOnes = 0x0101010101010101ull;
bool has_zero_byte(uint64_t v) { return ((v - kOnes) & ~v & (kOnes * 0x80)) != 0; }

// The next i >= from with (p[i] | 0x20) == key or p[i] == extra, 8 bytes at a time.
std::size_t next_candidate(const unsigned char* p, std::size_t i, std::size_t n,
                           unsigned char key, unsigned char extra) {
  const uint64_t k = kOnes * key, e = kOnes * extra;
  for (; i + 8 <= n; i += 8) {
    uint64_t w;
    std::memcpy(&w, p + i, 8);
    if (has_zero_byte((w | (kOnes * 0x20)) ^ k) || has_zero_byte(w ^ e)) break;
  }
  while (i < n && (p[i] | 0x20) != key && p[i] != extra) ++i;
  return i;
}

// A scan of valid UTF-8 that visits only the candidate starts of a match, in text order:
// code points are counted (up to the candidate) only when a match is found there.
class CandidateScan {
 public:
  CandidateScan(std::string_view s, Nearest& n)
      : s_(s), p_(reinterpret_cast<const unsigned char*>(s.data())), n_(n) {}

  // Tries a match at byte i, the start of a code point.
  void at(std::size_t i) {
    char32_t before = U' ';
    if (i > 0) {
      std::size_t lead = i - 1;
      while (lead > 0 && (p_[lead] & 0xC0) == 0x80) --lead;
      next_cp(s_, lead, before);
    }
    const int32_t cps = n_.match(s_, i, before);
    if (cps < 0) return;
    for (; counted_ < i; ++counted_) index_ += (p_[counted_] & 0xC0) != 0x80;
    n_.add(index_, cps);
  }

 private:
  std::string_view s_;
  const unsigned char* p_;
  Nearest& n_;
  int32_t index_ = 0;
  std::size_t counted_ = 0;  // index_ counts the code points of s_[0, counted_)
};

// Valid UTF-8 and an ASCII first code point: only bytes that fold to it (or the lead byte
// of U+0130 for 'i') can start a match. Those are found with a cheap superset test (case
// bit ignored).
void scan_ascii_first(std::string_view s, Nearest& n) {
  const auto first = static_cast<unsigned char>(n.alt.front());
  const unsigned char key = first | 0x20, extra = first == 'i' ? 0xC4 : key;
  const auto* p = reinterpret_cast<const unsigned char*>(s.data());
  CandidateScan scan(s, n);
  for (std::size_t i = next_candidate(p, 0, s.size(), key, extra); i < s.size();
       i = next_candidate(p, i + 1, s.size(), key, extra)) {
    char32_t c;
    next_cp(s, i, c);
    if (fold_case(c) == first) scan.at(i);  // not '@' for '`', 0xC4 that is not U+0130, ...
  }
}

// A first code point that no other one folds to: no case (CJK, Hangul, kana, Thai, ...:
// fold_case changes nothing from U+0500 on but fullwidth Latin capitals, which fold to
// U+FF41-U+FF5A).
bool only_itself_folds_to(char32_t c) { return c >= 0x500 && !(c >= 0xFF41 && c <= 0xFF5A); }

// Valid UTF-8 and such a first code point: a match starts only where its UTF-8 bytes stand
// (a lead byte is never inside another character), found with a byte search.
void scan_exact_first(std::string_view s, Nearest& n) {
  std::string key;
  detail::append_utf8(key, n.alt.front());
  CandidateScan scan(s, n);
  for (std::size_t i = s.find(key); i != std::string_view::npos; i = s.find(key, i + 1)) scan.at(i);
}

}  // namespace

std::optional<std::pair<int32_t, int32_t>> find_label(std::string_view context,
                                                      std::string_view alt, int32_t image_pos,
                                                      int32_t min_chars) {
  thread_local std::vector<char32_t> folded;  // reused: find_label runs once per image
  fold_alt(alt, folded);
  if (folded.empty() || static_cast<int32_t>(folded.size()) < min_chars) return std::nullopt;
  Nearest nearest{folded, image_pos};
  if (folded.front() < 0x80 && is_valid_utf8(context)) {
    scan_ascii_first(context, nearest);
  } else if (only_itself_folds_to(folded.front()) && is_valid_utf8(context)) {
    scan_exact_first(context, nearest);
  } else {
    scan_decoding(context, nearest);
  }
  return nearest.best;
}

}  // namespace warcpairs::text
