// collapse_whitespace, code-point offsets, UTF-8 validation and sanitising.
#include "warcpairs/text/normalize.h"

#include <gtest/gtest.h>

namespace warcpairs::text {
namespace {

TEST(CollapseWhitespace, Cases) {
  const std::pair<const char*, const char*> cases[] = {
      {"", ""},
      {"   ", ""},
      {"a", "a"},
      {"  a  b  ", "a b"},
      {"a\t\n\r\fb", "a b"},
      {"a\xC2\xA0\xC2\xA0" "b", "a b"},             // NBSP
      {"\xE3\x80\x80x\xE2\x80\x83y\xE3\x80\x80", "x y"},  // ideographic space, em space
      {"caf\xC3\xA9  cr\xC3\xA8me", "caf\xC3\xA9 cr\xC3\xA8me"},
      {"a\xE2\x80\x8B" "b", "a\xE2\x80\x8B" "b"},    // zero-width space is not White_Space
      {"a \xFF b", "a \xFF b"},                      // invalid byte kept as is
  };
  for (const auto& [in, out] : cases) EXPECT_EQ(collapse_whitespace(in), out) << in;
}

TEST(CodePoints, CountAndOffsets) {
  const std::string s = "a\xC3\xA9\xE6\x97\xA5\xF0\x9F\x98\x80z";  // a é 日 😀 z
  EXPECT_EQ(codepoint_count(s), 5);
  EXPECT_EQ(codepoint_count(""), 0);
  EXPECT_EQ(byte_offset_of_codepoint(s, 0), 0u);
  EXPECT_EQ(byte_offset_of_codepoint(s, 1), 1u);
  EXPECT_EQ(byte_offset_of_codepoint(s, 2), 3u);
  EXPECT_EQ(byte_offset_of_codepoint(s, 3), 6u);
  EXPECT_EQ(byte_offset_of_codepoint(s, 4), 10u);
  EXPECT_EQ(byte_offset_of_codepoint(s, 5), s.size());
  EXPECT_EQ(byte_offset_of_codepoint(s, 99), s.size());
  EXPECT_EQ(byte_offset_of_codepoint(s, -1), 0u);
}

TEST(Utf8, Validity) {
  EXPECT_TRUE(is_valid_utf8(""));
  EXPECT_TRUE(is_valid_utf8("plain ascii"));
  EXPECT_TRUE(is_valid_utf8("\xF4\x8F\xBF\xBF"));   // U+10FFFF
  EXPECT_FALSE(is_valid_utf8("\xF4\x90\x80\x80"));  // > U+10FFFF
  EXPECT_FALSE(is_valid_utf8("\xC0\xAF"));          // overlong '/'
  EXPECT_FALSE(is_valid_utf8("\xE0\x80\xAF"));      // overlong
  EXPECT_FALSE(is_valid_utf8("\xED\xA0\x80"));      // surrogate U+D800
  EXPECT_FALSE(is_valid_utf8("\x80"));              // stray continuation
  EXPECT_FALSE(is_valid_utf8("\xE6\x97"));          // truncated
  EXPECT_FALSE(is_valid_utf8("caf\xE9"));           // latin-1 é
}

TEST(Utf8, SanitizeReplacesMaximalSubparts) {
  // Expected outputs follow the WHATWG/Unicode "maximal subpart" practice (Unicode §3.9,
  // table 3-8): one U+FFFD per maximal subpart.
  const std::string R = "\xEF\xBF\xBD";
  struct { std::string in, out; std::size_t n; } cases[] = {
      {"ok", "ok", 0},
      {"caf\xE9", "caf" + R, 1},
      {"\xE6\x97", R, 1},                    // truncated 3-byte: one subpart
      {"\xE6\x97" "a", R + "a", 1},
      {"\xC0\xAF", R + R, 2},                // C0 never starts a sequence
      {"\xED\xA0\x80", R + R + R, 3},        // surrogate: ED then A0 out of range
      {"\xF0\x9F\x98", R, 1},                // truncated emoji
      {"\xF4\x90\x80\x80", R + R + R + R, 4},
      {"\x80\x80", R + R, 2},
      {"a\xFF" "b\xE6\x97\xA5", "a" + R + "b\xE6\x97\xA5", 1},
  };
  std::string out;
  for (const auto& c : cases) {
    EXPECT_EQ(sanitize_utf8(c.in, out), c.n) << c.in;
    EXPECT_EQ(out, c.out) << c.in;
    EXPECT_TRUE(is_valid_utf8(out));
  }
}

}  // namespace
}  // namespace warcpairs::text
