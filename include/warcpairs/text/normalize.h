// Text normalisation shared by the HTML layer, labels and (later) tokenizers. Pure functions.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

namespace warcpairs::text {

// Collapses every run of whitespace (ASCII and Unicode White_Space, incl. NBSP) to one
// space and trims both ends. Input and output UTF-8.
std::string collapse_whitespace(std::string_view s);

// Number of code points in valid UTF-8.
int32_t codepoint_count(std::string_view utf8);
// Byte offset of code point `cp` (clamped to the end).
std::size_t byte_offset_of_codepoint(std::string_view utf8, int32_t cp);

// True if `s` is valid UTF-8 (no overlongs, no surrogates, <= U+10FFFF).
bool is_valid_utf8(std::string_view s);
// Replaces every invalid sequence with U+FFFD (WHATWG "decode" replacement behaviour).
// Returns the number of replacements.
std::size_t sanitize_utf8(std::string_view in, std::string& out);

// The training label (DESIGN.md): where the normalised alt text occurs in the context,
// matched case-insensitively on whitespace-collapsed text; when it occurs more than once,
// the occurrence nearest `image_pos` wins (distance 0 when the span touches it; ties: the
// earlier one). Case folding is simple folding for Latin, Greek, Cyrillic and fullwidth
// Latin. A match may not start or end inside a word of a spaced script ("art" is not found
// in "start"); CJK has no such rule. Returns the code-point span [start, end), or
// nullopt (alt empty, shorter than `min_chars` code points, or absent).
std::optional<std::pair<int32_t, int32_t>> find_label(std::string_view context,
                                                      std::string_view alt, int32_t image_pos,
                                                      int32_t min_chars = 3);

}  // namespace warcpairs::text
