// Language identification of UTF-8 text with CLD2 (Debian libcld2, its built-in tables): the
// language of a page's visible text, of an image's context and of a description.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

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
// the bytes (~13-30 MB/s on one core, ~290 instructions a byte). Measured on the 990 pages
// of shared/data/warc-real (their visible texts; the same code as with no cap): 512 B
// 96.9 %, 1 KiB 98.5 %, 2 KiB 99.1 %, 4 KiB 99.6 %, 16 KiB 99.8 % (bench/lang,
// BENCHMARKS.md). extract reads pages from a sample (detect_page_language) and contexts
// from a window around the image (language_window), all of a page's in one pass.
inline constexpr std::size_t kTextLanguageBytes = 2048;
void detect_language(std::string_view utf8, LanguageGuess& out,
                     std::size_t max_bytes = kTextLanguageBytes);
LanguageGuess detect_language(std::string_view utf8);

// A page's language (extract's pages.text_language) is read from a bounded sample of its
// visible text, not from its head: a text of at most kPageSampleBytes whole; a longer one as
// kPageSampleSlices slices of kPageSampleBytes / kPageSampleSlices bytes, evenly spaced from
// its start to its end (the first at byte 0, the last ending at the text's end; each cut at
// character boundaries), joined by "\n". The head of a page is mostly its navigation, often
// in English whatever the page's language; slices reach its body and its footer. Measured on
// the 990 pages of warc-real, agreement with <html lang> (bench/lang/lang_quality.cc; other
// sample sizes from a sweep, BENCHMARKS.md):
// 3 slices of 512 B in all 97.5 % (874/896; 384 B 97.1 %, 768 B and 1 KiB 97.7 %), the
// first 2 KiB 97.4 % (873/896), the first 1 KiB 97.0 %; CLD2 reads a quarter of the bytes of
// a 2 KiB head.
inline constexpr std::size_t kPageSampleBytes = 512;
inline constexpr std::size_t kPageSampleSlices = 3;
// The sample itself: `text` when it is short enough, else the slices written to `scratch`.
std::string_view page_language_sample(std::string_view text, std::string& scratch);
// detect_language on page_language_sample(text, scratch).
void detect_page_language(std::string_view text, LanguageGuess& out, std::string& scratch);

// An image's context (html/image_record.h) is read from the kContextLanguageBytes around the
// image: the text next to it says most about the image, and a context's two sides may
// differ. language_window: the byte range [first, second) of `text` of at most `bytes`
// bytes centred on byte `at` (shifted inside the text at its ends), cut at character
// boundaries; all of `text` when it is no longer. Measured on the 5,104 contexts of
// warc-real, read in one pass per page: the same code as CLD2 on the whole context for
// 98.9 % of them with 192 B centred (128 B 98.6 %, 256 B 98.9 %), 98.1 % with the first
// 256 B, 98.9 % with the first 512 B (bench/lang/lang_quality.cc).
inline constexpr std::size_t kContextLanguageBytes = 192;
std::pair<std::size_t, std::size_t> language_window(std::string_view text, std::size_t at,
                                                    std::size_t bytes = kContextLanguageBytes);

// A byte range [begin, end) of a text and the language CLD2 gave it in one pass over the
// text (its ResultChunkVector); code: CLD2's code, nullptr where CLD2 said unknown (too
// short, unreliable). The chunks of one pass are in order and do not overlap.
struct LanguageChunk {
  std::size_t begin = 0, end = 0;
  const char* code = nullptr;  // CLD2's static string
};

// detect_language plus the chunks: one CLD2 pass over the first max_bytes of utf8 (cut as
// above) gives the summary in `out` and a language per byte range in `chunks` (offsets into
// utf8). Costs what detect_language costs on the same bytes.
void detect_language_chunks(std::string_view utf8, LanguageGuess& out,
                            std::vector<LanguageChunk>& chunks,
                            std::size_t max_bytes = kTextLanguageBytes);

// The language of the range [begin, end) of a text from the chunks of one pass over it (so
// that many contexts of one page cost one pass): the language with the most bytes among the
// chunks the range overlaps (bytes counted inside the range only; unknown chunks count for
// none; a tie goes to the first language met). reliable: that language holds at least 3/4
// of the range's bytes in known chunks, and known chunks cover at least half of the range
// (CLD2 calls its short or unsure chunks unknown). percent: its share of the range's bytes.
// A range that overlaps no chunk of a known language (outside every chunk, or only in unknown
// ones) gets "" and unreliable.
void language_of_range(const std::vector<LanguageChunk>& chunks, std::size_t begin,
                       std::size_t end, LanguageGuess& out);

// The primary subtag of a BCP 47 tag, lower case: "en-US" → "en", "pt_BR" → "pt",
// "zh-Hant" → "zh". The form detected codes and <html lang> are compared in.
std::string primary_language(std::string_view tag);

}  // namespace warcpairs::text
