// CLD2 behind text/language.h: ExtDetectLanguageSummaryCheckUTF8 on plain text, no hints.
#include "warcpairs/text/language.h"

#include <cld2/public/compact_lang_det.h>
#include <cld2/public/encodings.h>

#include <algorithm>
#include <climits>

namespace warcpairs::text {

void detect_language(std::string_view utf8, LanguageGuess& out, std::size_t max_bytes) {
  out.code.clear();
  out.reliable = false;
  out.percent = 0;
  std::size_t n = std::min({utf8.size(), max_bytes, std::size_t{INT_MAX}});
  // Back off to a character boundary: CLD2 would report a cut sequence as invalid UTF-8.
  while (n < utf8.size() && n > 0 && (static_cast<unsigned char>(utf8[n]) & 0xC0) == 0x80) --n;
  if (n == 0) return;
  CLD2::Language language3[3];
  int percent3[3] = {0, 0, 0};
  double scores3[3] = {0, 0, 0};
  int text_bytes = 0;
  int valid_prefix = 0;
  bool reliable = false;
  const CLD2::CLDHints hints{nullptr, nullptr, CLD2::UNKNOWN_ENCODING, CLD2::UNKNOWN_LANGUAGE};
  const CLD2::Language top = CLD2::ExtDetectLanguageSummaryCheckUTF8(
      utf8.data(), static_cast<int>(n), /*is_plain_text=*/true, &hints, /*flags=*/0, language3,
      percent3, scores3, /*resultchunkvector=*/nullptr, &text_bytes, &reliable, &valid_prefix);
  if (top == CLD2::UNKNOWN_LANGUAGE || top == CLD2::TG_UNKNOWN_LANGUAGE) return;
  out.code = CLD2::LanguageCode(top);
  out.reliable = reliable;
  out.percent = language3[0] == top ? percent3[0] : 0;
}

LanguageGuess detect_language(std::string_view utf8) {
  LanguageGuess g;
  detect_language(utf8, g);
  return g;
}

std::string primary_language(std::string_view tag) {
  std::string out;
  for (char c : tag) {
    if (c == '-' || c == '_') break;
    out.push_back((c >= 'A' && c <= 'Z') ? static_cast<char>(c + 32) : c);
  }
  return out;
}

}  // namespace warcpairs::text
