// Language identification of UTF-8 text with CLD2 (Debian libcld2, its built-in tables): the
// language of a page's visible text, of an image's context and of a description.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace warcpairs::text {

// What CLD2 said about one text. code: CLD2's code for the top language (ISO 639-1 where one
// exists: "en", "de", "pl", "zh", "zh-Hant", ...), "" when CLD2 found none (no letters,
// too little text, invalid UTF-8). reliable: CLD2's is_reliable (the top language clearly
// ahead of the second, enough text). percent: share of the text's letters in that language.
struct LanguageGuess {
  std::string code;
  bool reliable = false;
  int32_t percent = 0;
};

// Plain text in (no HTML), bytes checked as UTF-8 by CLD2 itself; never throws. Only the
// first max_bytes are read (cut at a character boundary): CLD2 costs time in proportion to
// the bytes (~13-30 MB/s on one core) and its answer settles early. Measured on the 990
// pages of shared/data/warc-real (their visible texts; the same code as with no cap):
// 512 B 96.9 %, 1 KiB 98.5 %, 2 KiB 99.1 %, 4 KiB 99.6 %, 16 KiB 99.8 %; on their 5,104
// contexts: 256 B 97.5 %, 512 B 99.3 %, 1 KiB 100 % (bench/lang, BENCHMARKS.md).
inline constexpr std::size_t kPageLanguageBytes = 2048;
inline constexpr std::size_t kContextLanguageBytes = 512;
void detect_language(std::string_view utf8, LanguageGuess& out,
                     std::size_t max_bytes = kPageLanguageBytes);
LanguageGuess detect_language(std::string_view utf8);

// The primary subtag of a BCP 47 tag, lower case: "en-US" → "en", "pt_BR" → "pt",
// "zh-Hant" → "zh". The form detected codes and <html lang> are compared in.
std::string primary_language(std::string_view tag);

}  // namespace warcpairs::text
