// Whitespace collapsing and UTF-8 validation/sanitising (find_label is in label.cc).
#include "warcpairs/text/normalize.h"

#include <cstring>

#include "utf8.h"

namespace warcpairs::text {
using detail::decode_utf8;
using detail::is_unicode_space;

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

}  // namespace warcpairs::text
