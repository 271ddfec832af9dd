// find_label: case-insensitive, whitespace-collapsed match of the alt text, nearest wins.
#include "warcpairs/text/normalize.h"

#include <gtest/gtest.h>

#include <random>
#include <string>

#include "label_reference.h"

namespace warcpairs::text {
namespace {

using Span = std::optional<std::pair<int32_t, int32_t>>;
Span span(int32_t a, int32_t b) { return std::make_pair(a, b); }

struct LabelCase {
  const char* context;
  const char* alt;
  int32_t image_pos;
  Span expected;
  const char* why;
};

TEST(FindLabel, Table) {
  const LabelCase cases[] = {
      {"A red fox jumps", "red fox", 0, span(2, 9), "simple"},
      {"A red fox jumps", "RED FOX", 0, span(2, 9), "case-insensitive"},
      {"A red\n  fox jumps", "red fox", 0, span(2, 11), "context whitespace run"},
      {"A red fox jumps", " red\t\tfox ", 0, span(2, 9), "alt whitespace differs"},
      {"A red fox jumps", "", 0, std::nullopt, "empty alt"},
      {"A red fox jumps", "   ", 0, std::nullopt, "whitespace-only alt"},
      {"A red fox jumps", "ox", 0, std::nullopt, "shorter than min_chars"},
      {"fox", "a fox that is longer than the context", 0, std::nullopt, "alt longer"},
      {"", "fox", 0, std::nullopt, "empty context"},
      {"A red fox jumps", "blue fox", 0, std::nullopt, "absent"},
      // Several occurrences: the nearest to image_pos wins; ties go to the earlier one.
      {"cat one. cat two. cat three.", "cat", 0, span(0, 3), "first"},
      {"cat one. cat two. cat three.", "cat", 10, span(9, 12), "inside second"},
      {"cat one. cat two. cat three.", "cat", 17, span(18, 21), "nearest after"},
      {"cat one. cat two. cat three.", "cat", 28, span(18, 21), "from the end"},
      {"cat xx cat", "cat", 5, span(0, 3), "tie: earlier wins"},
      // Word boundaries in spaced scripts.
      {"the start of art", "art", 0, span(13, 16), "not inside 'start'"},
      {"catalog", "cat", 0, std::nullopt, "prefix of a word"},
      {"(cat)", "cat", 0, span(1, 4), "punctuation is a boundary"},
      // Unicode: offsets count code points, case folds beyond ASCII.
      {"Ein schönes Äpfelchen", "äpfelchen", 0, span(12, 21), "latin-1 case"},
      {"Москва ночью", "МОСКВА", 0, span(0, 6), "cyrillic"},
      {"ΟΔΟΣ Σ", "οδος", 0, span(0, 4), "greek"},
      {"日本の猫の写真です", "猫の写真", 0, span(3, 7), "CJK, no word boundaries"},
      {"😀 smile 😀", "smile", 0, span(2, 7), "astral code points count one"},
      {"a\xC2\xA0" "b\xC2\xA0" "c d", "b c", 0, span(2, 5), "NBSP in context"},
      {"x  y z", "Y   Z", 0, span(3, 6), "double space in context"},
  };
  for (const LabelCase& c : cases) {
    EXPECT_EQ(find_label(c.context, c.alt, c.image_pos), c.expected) << c.why;
  }
}

TEST(FindLabel, MinCharsIsConfigurable) {
  EXPECT_EQ(find_label("an ox here", "ox", 0, 2), span(3, 5));
  EXPECT_EQ(find_label("an ox here", "ox", 0, 3), std::nullopt);
  EXPECT_EQ(find_label("an ox here", "", 0, 0), std::nullopt);
}

// Exhaustive over positions: for every image_pos the span returned must be an occurrence,
// and no other occurrence may be strictly nearer.
TEST(FindLabel, NearestOccurrenceForEveryPosition) {
  const std::string context = "dog a dog b c dog d e f g dog";
  const std::vector<std::pair<int32_t, int32_t>> occurrences = {{0, 3}, {6, 9}, {14, 17}, {26, 29}};
  auto distance = [](std::pair<int32_t, int32_t> s, int32_t p) {
    return p < s.first ? s.first - p : (p > s.second ? p - s.second : 0);
  };
  for (int32_t pos = 0; pos <= codepoint_count(context); ++pos) {
    const Span got = find_label(context, "DOG", pos);
    ASSERT_TRUE(got.has_value());
    ASSERT_NE(std::find(occurrences.begin(), occurrences.end(), *got), occurrences.end());
    for (const auto& o : occurrences) EXPECT_GE(distance(o, pos), distance(*got, pos)) << pos;
  }
}

TEST(FindLabel, SpanTextMatchesAlt) {
  const std::string context = "Photo:\nThe Eiffel  Tower at night, Paris";
  const Span got = find_label(context, "the eiffel tower", 6);
  ASSERT_TRUE(got);
  const std::size_t a = byte_offset_of_codepoint(context, got->first);
  const std::size_t b = byte_offset_of_codepoint(context, got->second);
  EXPECT_EQ(collapse_whitespace(context.substr(a, b - a)), "The Eiffel Tower");
}

// Up to max_pieces pieces drawn at random, joined.
template <std::size_t N>
std::string random_pieces(std::mt19937& rng, const char* const (&pieces)[N], int max_pieces) {
  std::string s;
  const int n = std::uniform_int_distribution<int>(0, max_pieces)(rng);
  for (int k = 0; k < n; ++k) s += pieces[rng() % N];
  return s;
}

// The in-place scan against the straightforward fold-then-search algorithm, on random
// texts mixing case, whitespace runs, U+0130 (the one non-ASCII letter folding to ASCII),
// its lone lead byte, stray continuation bytes, Greek sigmas and CJK.
TEST(FindLabel, AgreesWithReferenceOnRandomTexts) {
  static const char* const kPieces[] = {"a", "A", "b", "B", "i", "I", "\xC4\xB0", "\xC4",
                                        "\xC4\xB1", "\xC3\xA9", "\xC3\x89", " ", "  ", "\n",
                                        "\xC2\xA0", "\x80", "\xCF\x83", "\xCE\xA3", "\xCF\x82",
                                        "\xE7\x8C\xAB", ".", "1", "\xF0\x9F\x98\x80", "\xE2\x80"};
  std::mt19937 rng(20240607);
  auto random_text = [&](int max_pieces) { return random_pieces(rng, kPieces, max_pieces); };
  int hits = 0;
  for (int round = 0; round < 200000; ++round) {
    const std::string context = random_text(40);
    std::string alt = random_text(4);
    if (round % 2 && !context.empty()) {  // often a piece of the context: matches happen
      const std::size_t from = rng() % context.size();
      alt = context.substr(from, rng() % 12);
    }
    hits += find_label(context, alt, 0, 0).has_value();
    const int32_t pos = std::uniform_int_distribution<int32_t>(0, 45)(rng);
    const int32_t min_chars = std::uniform_int_distribution<int32_t>(0, 3)(rng);
    ASSERT_EQ(find_label(context, alt, pos, min_chars),
              testing::reference_find_label(context, alt, pos, min_chars))
        << "context=" << ::testing::PrintToString(context) << " alt=" << ::testing::PrintToString(alt)
        << " pos=" << pos;
  }
  EXPECT_GT(hits, 20000);  // the comparison covered many matches, not only misses
}

// The same on valid UTF-8 whose first code points have no case (CJK, kana, Hangul: found by
// a byte search) mixed with fullwidth Latin (which has case), Unicode spaces and ASCII.
TEST(FindLabel, AgreesWithReferenceOnValidCaselessTexts) {
  static const char* const kPieces[] = {"\xE7\x8C\xAB", "\xE7\x8A\xAC", "\xE3\x82\xA2",
                                        "\xED\x95\x9C", "\xEF\xBC\xA2", "\xEF\xBD\x82",
                                        " ", "\xE3\x80\x80", "\xC2\xA0", "a", "\xF0\x9F\x98\x80",
                                        "\xD0\x96", "\xE0\xB8\x81"};
  std::mt19937 rng(20261208);
  auto random_text = [&](int max_pieces) { return random_pieces(rng, kPieces, max_pieces); };
  int hits = 0;
  for (int round = 0; round < 100000; ++round) {
    const std::string context = random_text(40);
    std::string alt = random_text(4);
    if (round % 2 && !context.empty()) {  // a piece of the context, cut at a character start
      std::size_t from = rng() % context.size();
      while (from > 0 && (static_cast<unsigned char>(context[from]) & 0xC0) == 0x80) --from;
      std::size_t to = std::min(context.size(), from + rng() % 16);
      while (to < context.size() && (static_cast<unsigned char>(context[to]) & 0xC0) == 0x80) ++to;
      alt = context.substr(from, to - from);
    }
    const int32_t pos = std::uniform_int_distribution<int32_t>(0, 45)(rng);
    const int32_t min_chars = std::uniform_int_distribution<int32_t>(0, 3)(rng);
    const Span got = find_label(context, alt, pos, min_chars);
    hits += got.has_value();
    ASSERT_EQ(got, testing::reference_find_label(context, alt, pos, min_chars))
        << "context=" << ::testing::PrintToString(context) << " alt=" << ::testing::PrintToString(alt)
        << " pos=" << pos;
  }
  EXPECT_GT(hits, 20000);
}

}  // namespace
}  // namespace warcpairs::text
