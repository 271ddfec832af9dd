// CLD2 behind text/language.h: ExtDetectLanguageSummaryCheckUTF8 on plain text, no hints.
#include "warcpairs/text/language.h"

#include <cstdio>  // compact_lang_det.h names FILE without including it

#include <cld2/public/compact_lang_det.h>
#include <cld2/public/encodings.h>

#include <algorithm>
#include <climits>

namespace warcpairs::text {

namespace {

// Byte i of text is inside a character (a UTF-8 continuation byte), not at its start.
bool inside_character(std::string_view text, std::size_t i) {
  return i > 0 && i < text.size() && (static_cast<unsigned char>(text[i]) & 0xC0) == 0x80;
}

void detect(std::string_view utf8, LanguageGuess& out, std::size_t max_bytes,
            std::vector<LanguageChunk>* chunks) {
  if (chunks) chunks->clear();
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
  CLD2::ResultChunkVector result;
  const CLD2::CLDHints hints{nullptr, nullptr, CLD2::UNKNOWN_ENCODING, CLD2::UNKNOWN_LANGUAGE};
  const CLD2::Language top = CLD2::ExtDetectLanguageSummaryCheckUTF8(
      utf8.data(), static_cast<int>(n), /*is_plain_text=*/true, &hints, /*flags=*/0, language3,
      percent3, scores3, chunks ? &result : nullptr, &text_bytes, &reliable, &valid_prefix);
  if (chunks) {
    for (const CLD2::ResultChunk& c : result) {
      if (c.offset < 0 || c.bytes <= 0) continue;
      const auto lang = static_cast<CLD2::Language>(c.lang1);
      const bool known = lang != CLD2::UNKNOWN_LANGUAGE && lang != CLD2::TG_UNKNOWN_LANGUAGE;
      const std::size_t b = static_cast<std::size_t>(c.offset);
      chunks->push_back({b, std::min(b + static_cast<std::size_t>(c.bytes), n),
                         known ? CLD2::LanguageCode(lang) : nullptr});
    }
  }
  if (top == CLD2::UNKNOWN_LANGUAGE || top == CLD2::TG_UNKNOWN_LANGUAGE) return;
  out.code = CLD2::LanguageCode(top);
  out.reliable = reliable;
  out.percent = language3[0] == top ? percent3[0] : 0;
}

}  // namespace

void detect_language(std::string_view utf8, LanguageGuess& out, std::size_t max_bytes) {
  detect(utf8, out, max_bytes, nullptr);
}

void detect_language_chunks(std::string_view utf8, LanguageGuess& out,
                            std::vector<LanguageChunk>& chunks, std::size_t max_bytes) {
  detect(utf8, out, max_bytes, &chunks);
}

void language_of_range(const std::vector<LanguageChunk>& chunks, std::size_t begin,
                       std::size_t end, LanguageGuess& out) {
  out.code.clear();
  out.reliable = false;
  out.percent = 0;
  if (end <= begin) return;
  // A page has a handful of chunks: count bytes per distinct code in a small array.
  const char* codes[8];
  std::size_t bytes[8];
  int distinct = 0;
  for (const LanguageChunk& c : chunks) {
    if (!c.code || c.end <= begin || c.begin >= end) continue;
    const std::size_t overlap = std::min(c.end, end) - std::max(c.begin, begin);
    int k = 0;
    while (k < distinct && std::string_view(codes[k]) != c.code) ++k;
    if (k == distinct) {
      if (distinct == 8) continue;  // a ninth language in one context: too small to matter
      codes[k] = c.code, bytes[k] = 0, ++distinct;
    }
    bytes[k] += overlap;
  }
  int best = -1;
  std::size_t known = 0;
  for (int k = 0; k < distinct; ++k) {
    known += bytes[k];
    if (best < 0 || bytes[k] > bytes[best]) best = k;
  }
  if (best < 0) return;
  const std::size_t range = end - begin;
  out.code = codes[best];
  out.reliable = bytes[best] * 4 >= known * 3 && known * 2 >= range;
  out.percent = static_cast<int32_t>(bytes[best] * 100 / range);
}

static_assert(kPageSampleSlices >= 2 && kPageSampleBytes / kPageSampleSlices >= 4);

std::string_view page_language_sample(std::string_view text, std::string& scratch) {
  if (text.size() <= kPageSampleBytes) return text;
  const std::size_t slice = kPageSampleBytes / kPageSampleSlices;
  scratch.clear();
  for (std::size_t j = 0; j < kPageSampleSlices; ++j) {
    // [at, end) nominally, `at` moved back to the start of its character and `end` too; a
    // character has at most 3 continuation bytes: no boundary within 3 bytes is invalid UTF-8
    // (CLD2 answers nothing for it), and the cut stays where it was.
    std::size_t at = (text.size() - slice) * j / (kPageSampleSlices - 1);
    std::size_t end = at + slice;
    for (int k = 0; k < 3 && inside_character(text, at); ++k) --at;
    for (int k = 0; k < 3 && end > at && inside_character(text, end); ++k) --end;
    if (j > 0) scratch.push_back('\n');
    scratch.append(text.substr(at, end - at));
  }
  return scratch;
}

void detect_page_language(std::string_view text, LanguageGuess& out, std::string& scratch) {
  const std::string_view sample = page_language_sample(text, scratch);
  detect_language(sample, out, sample.size());
}

std::pair<std::size_t, std::size_t> language_window(std::string_view text, std::size_t at,
                                                    std::size_t bytes) {
  if (text.size() <= bytes) return {0, text.size()};
  std::size_t begin = at > bytes / 2 ? at - bytes / 2 : 0;
  begin = std::min(begin, text.size() - bytes);
  // Back to character boundaries, 3 bytes at most (see page_language_sample).
  for (int k = 0; k < 3 && inside_character(text, begin); ++k) --begin;
  std::size_t end = begin + bytes;
  for (int k = 0; k < 3 && end > begin && inside_character(text, end); ++k) --end;
  return {begin, end};
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
