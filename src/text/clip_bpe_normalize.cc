// CLIP normaliser with alignment: NFC (UAX #15), then runs of White_Space → one " ", then
// String.toLowerCase (with Final_Sigma), each output character remembering its originals.
//
// Alignment through NFC: the text is cut before every character NFC leaves alone whatever its
// neighbours (NFC_QC=Yes, combining class 0, never the second of a composition; the kNfc flag
// is clear), which is a normalisation boundary. A chunk NFC leaves unchanged keeps its
// character-to-character alignment; every character of a chunk NFC changes points at the whole
// chunk (so "e" + U+0301 → "é" spans both originals). The parity reference does the same.
#include <algorithm>

#include "clip_bpe_scratch.h"
#include "clip_bpe_tables.h"
#include "utf8.h"

namespace warcpairs::text::clip {
namespace {

constexpr char32_t kCapitalSigma = 0x3A3, kSmallSigma = 0x3C3, kFinalSigma = 0x3C2;
constexpr char32_t kSBase = 0xAC00, kLBase = 0x1100, kVBase = 0x1161, kTBase = 0x11A7;
constexpr char32_t kNCount = 21 * 28, kTCount = 28, kSCount = 11172;

void decompose_into(char32_t c, std::vector<char32_t>& out) {
  if (c >= kSBase && c < kSBase + kSCount) {  // UAX #15 §3.12
    const char32_t s = c - kSBase;
    out.push_back(kLBase + s / kNCount);
    out.push_back(kVBase + (s % kNCount) / kTCount);
    if (s % kTCount != 0) out.push_back(kTBase + s % kTCount);
    return;
  }
  char32_t d[kMaxMapping];
  const int n = decompose(c, d);
  out.insert(out.end(), d, d + n);
}

// Canonical ordering (stable sort of each run of non-starters by combining class), then
// canonical composition with blocking (UAX #15 §1.3, the reference algorithm of its sample code).
void compose_chunk(std::vector<char32_t>& cs) {
  for (std::size_t i = 1; i < cs.size(); ++i) {
    const uint8_t ci = ccc(cs[i]);
    if (ci == 0) continue;
    for (std::size_t k = i; k > 0 && ccc(cs[k - 1]) > ci; --k) std::swap(cs[k - 1], cs[k]);
  }
  if (cs.empty()) return;
  std::size_t starter = 0, out = 1;
  int last = ccc(cs[0]) ? 256 : 0;
  for (std::size_t i = 1; i < cs.size(); ++i) {
    const char32_t c = cs[i];
    const int cc = ccc(c);
    const char32_t composite = compose(cs[starter], c);
    if (composite != 0 && (last < cc || last == 0)) {
      cs[starter] = composite;
      continue;
    }
    if (cc == 0) starter = out;
    last = cc;
    cs[out++] = c;
  }
  cs.resize(out);
}

// NFC of in → out, chunk by chunk (see the file comment).
void nfc(const std::vector<NormChar>& in, std::vector<NormChar>& out, std::vector<char32_t>& cs) {
  out.clear();
  for (std::size_t i = 0; i < in.size();) {
    std::size_t j = i + 1;
    while (j < in.size() && (flags(in[j].c) & kNfc)) ++j;
    if (j == i + 1 && !(flags(in[i].c) & kNfc)) {
      out.push_back(in[i++]);
      continue;
    }
    cs.clear();
    for (std::size_t k = i; k < j; ++k) decompose_into(in[k].c, cs);
    compose_chunk(cs);
    bool same = cs.size() == j - i;
    for (std::size_t k = 0; same && k < cs.size(); ++k) same = cs[k] == in[i + k].c;
    if (same) {
      out.insert(out.end(), in.begin() + static_cast<std::ptrdiff_t>(i),
                 in.begin() + static_cast<std::ptrdiff_t>(j));
    } else {
      NormChar span = in[i];
      for (std::size_t k = i + 1; k < j; ++k) {
        span.cp_start = std::min(span.cp_start, in[k].cp_start);
        span.cp_end = std::max(span.cp_end, in[k].cp_end);
        span.byte_start = std::min(span.byte_start, in[k].byte_start);
        span.byte_end = std::max(span.byte_end, in[k].byte_end);
      }
      for (char32_t c : cs) {
        span.c = c;
        out.push_back(span);
      }
    }
    i = j;
  }
}

// Final_Sigma (Unicode §3.13, Table 3-17) around position i, skipping case-ignorables.
bool final_sigma(const std::vector<NormChar>& t, std::size_t i) {
  bool before = false;
  for (std::size_t k = i; k-- > 0;) {
    const uint8_t f = flags(t[k].c);
    if (f & kIgnorable) continue;
    before = (f & kCased) != 0;
    break;
  }
  if (!before) return false;
  for (std::size_t k = i + 1; k < t.size(); ++k) {
    const uint8_t f = flags(t[k].c);
    if (f & kIgnorable) continue;
    return (f & kCased) == 0;
  }
  return true;
}

void append_span(NormChar& span, const NormChar& c) {
  span.cp_start = std::min(span.cp_start, c.cp_start);
  span.cp_end = std::max(span.cp_end, c.cp_end);
  span.byte_start = std::min(span.byte_start, c.byte_start);
  span.byte_end = std::max(span.byte_end, c.byte_end);
}

// Replace(\s+ → " ") and Lowercase in one pass: no White_Space character is cased or
// case-ignorable, so Final_Sigma sees the same context before and after the replacement.
void replace_and_lower(const std::vector<NormChar>& in, std::vector<NormChar>& out) {
  out.clear();
  for (std::size_t i = 0; i < in.size(); ++i) {
    NormChar n = in[i];
    const char32_t c = n.c;
    if (c < 0x80 && c != ' ' && (c < 0x09 || c > 0x0D)) {
      if (c >= 'A' && c <= 'Z') n.c = c + 32;
      out.push_back(n);
      continue;
    }
    const uint8_t f = flags(c);
    if (f & kSpace) {
      if (i > 0 && (flags(in[i - 1].c) & kSpace)) {
        append_span(out.back(), n);
      } else {
        n.c = U' ';
        out.push_back(n);
      }
      continue;
    }
    if (!(f & kLower)) {
      out.push_back(n);
    } else if (c == kCapitalSigma) {
      n.c = final_sigma(in, i) ? kFinalSigma : kSmallSigma;
      out.push_back(n);
    } else {
      char32_t m[kMaxMapping];
      const int count = lowercase(c, m);
      for (int k = 0; k < count; ++k) {
        n.c = m[k];
        out.push_back(n);
      }
    }
  }
}

// Bytes one U+FFFD replaces at an invalid sequence: its maximal subpart (Unicode §3.9, U+FFFD
// substitution of maximal subparts; WHATWG's UTF-8 decoder, so Node's readFileSync, does this).
std::size_t invalid_length(std::string_view s, std::size_t i) {
  const auto b0 = static_cast<unsigned char>(s[i]);
  std::size_t need;
  if (b0 >= 0xC2 && b0 <= 0xDF) need = 1;
  else if (b0 >= 0xE0 && b0 <= 0xEF) need = 2;
  else if (b0 >= 0xF0 && b0 <= 0xF4) need = 3;
  else return 1;
  std::size_t k = 1;
  for (; k <= need && i + k < s.size(); ++k) {
    const auto b = static_cast<unsigned char>(s[i + k]);
    unsigned char lo = 0x80, hi = 0xBF;
    if (k == 1) {  // Table 3-7: the second byte's narrower ranges
      if (b0 == 0xE0) lo = 0xA0;
      if (b0 == 0xED) hi = 0x9F;
      if (b0 == 0xF0) lo = 0x90;
      if (b0 == 0xF4) hi = 0x8F;
    }
    if (b < lo || b > hi) break;
  }
  return k;
}

}  // namespace

void normalize(std::string_view text, ClipBpe::Scratch& s) {
  std::vector<NormChar>& chars = s.tmp;
  chars.clear();
  bool any_nfc = false;
  int32_t cp = 0;
  for (std::size_t i = 0; i < text.size(); ++cp) {
    char32_t c;
    std::size_t n = detail::decode_utf8(text, i, c);
    if (n == 0) {
      c = 0xFFFD;
      n = invalid_length(text, i);
    }
    if (c >= 0x80) any_nfc |= (flags(c) & kNfc) != 0;
    chars.push_back({c, cp, cp + 1, static_cast<uint32_t>(i), static_cast<uint32_t>(i + n)});
    i += n;
  }
  if (any_nfc) {
    nfc(chars, s.norm, s.chunk);
    std::swap(chars, s.norm);
  }
  replace_and_lower(chars, s.norm);
}

}  // namespace warcpairs::text::clip
