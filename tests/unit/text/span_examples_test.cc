// Span-model examples on the real bert-base-uncased vocab: marker placement, label token spans,
// windows and their overlap, code-point offsets of Unicode text, the train/validation split.
#include "warcpairs/text/span_examples.h"

#include <gtest/gtest.h>

#include <string>

#include "warcpairs/core/error.h"

namespace warcpairs::text {
namespace {

using Spans = std::vector<std::pair<int32_t, int32_t>>;
using Tokens = std::vector<std::string>;
constexpr int32_t kCls = 101, kSep = 102, kUnused1 = 2;

const WordPiece& bert() {
  static const WordPiece wp = WordPiece::from_vocab_file(
      std::string(WARCPAIRS_SHARED_DIR) + "/data/vocab/bert-base-uncased-vocab.txt");
  return wp;
}

std::vector<SpanWindow> build(std::string_view context, int32_t image_pos,
                              std::optional<CodePointSpan> label, SpanExampleOptions opt = {}) {
  SpanExampleBuilder b(bert(), opt);
  std::vector<SpanWindow> out;
  b.build(context, image_pos, label, out);
  return out;
}

Tokens tokens(const SpanWindow& w, int32_t first = 0, int32_t last = -1) {
  if (last < 0) last = w.length - 1;
  Tokens t;
  for (int32_t i = first; i <= last; ++i) t.emplace_back(bert().token(w.input_ids[i]));
  return t;
}

// "a b c ... " : n one-letter words, each one token, token k at code points [2k, 2k+1).
std::string letters(int n) {
  std::string s;
  for (int k = 0; k < n; ++k) {
    if (k) s += ' ';
    s += static_cast<char>('a' + k % 26);
  }
  return s;
}

TEST(SpanExamples, MarkerIsUnused1) {
  EXPECT_EQ(bert().token(kUnused1), "[unused1]");
  EXPECT_EQ(SpanExampleBuilder(bert()).marker_id(), kUnused1);
}

TEST(SpanExamples, ShortContextOneWindowWithLabelTokens) {
  //                     0123456789012345678901234567890123
  const std::string ctx = "A red fox jumps over the lazy dog.";
  const auto w = build(ctx, 10, CodePointSpan{2, 9});  // image before "jumps"; label "red fox"
  ASSERT_EQ(w.size(), 1u);
  EXPECT_EQ(tokens(w[0]), (Tokens{"[CLS]", "a", "red", "fox", "[unused1]", "jumps", "over", "the",
                                  "lazy", "dog", ".", "[SEP]"}));
  EXPECT_EQ(w[0].length, 12);
  EXPECT_EQ(w[0].marker_token, 4);
  EXPECT_EQ(w[0].start_token, 2);
  EXPECT_EQ(w[0].end_token, 3);
  EXPECT_EQ(tokens(w[0], w[0].start_token, w[0].end_token), (Tokens{"red", "fox"}));
  EXPECT_EQ(w[0].offsets, (Spans{{-1, -1}, {0, 1}, {2, 5}, {6, 9}, {-1, -1}, {10, 15}, {16, 20},
                                 {21, 24}, {25, 29}, {30, 33}, {33, 34}, {-1, -1}}));
  EXPECT_TRUE(w[0].has_span());
}

TEST(SpanExamples, LabelAfterTheMarkerShiftsByOne) {
  const std::string ctx = "A red fox jumps over the lazy dog.";
  const auto w = build(ctx, 0, CodePointSpan{25, 33});  // label "lazy dog"
  ASSERT_EQ(w.size(), 1u);
  EXPECT_EQ(w[0].marker_token, 1);
  EXPECT_EQ(tokens(w[0], w[0].start_token, w[0].end_token), (Tokens{"lazy", "dog"}));
  EXPECT_EQ(w[0].start_token, 8);
}

TEST(SpanExamples, MarkerAtStartEndAndInsideAWord) {
  const std::string ctx = "red fox";
  auto w = build(ctx, 0, std::nullopt);
  EXPECT_EQ(tokens(w[0]), (Tokens{"[CLS]", "[unused1]", "red", "fox", "[SEP]"}));
  w = build(ctx, 7, std::nullopt);  // at the end (= length in code points)
  EXPECT_EQ(tokens(w[0]), (Tokens{"[CLS]", "red", "fox", "[unused1]", "[SEP]"}));
  EXPECT_EQ(w[0].marker_token, 3);
  w = build(ctx, 3, std::nullopt);  // right after "red", before the space
  EXPECT_EQ(tokens(w[0]), (Tokens{"[CLS]", "red", "[unused1]", "fox", "[SEP]"}));
  w = build(ctx, 4, std::nullopt);  // right before "fox"
  EXPECT_EQ(tokens(w[0]), (Tokens{"[CLS]", "red", "[unused1]", "fox", "[SEP]"}));
  w = build(ctx, 5, std::nullopt);  // inside "fox": the word stays whole, marker after it
  EXPECT_EQ(tokens(w[0]), (Tokens{"[CLS]", "red", "fox", "[unused1]", "[SEP]"}));
  w = build(ctx, 99, std::nullopt);  // past the end: clamped
  EXPECT_EQ(w[0].marker_token, 3);
  w = build(ctx, -5, std::nullopt);
  EXPECT_EQ(w[0].marker_token, 1);
  EXPECT_FALSE(w[0].has_span());
  EXPECT_EQ(w[0].start_token, 0);
  EXPECT_EQ(w[0].end_token, 0);
}

// Line breaks are block boundaries of the page; with a line marker each gap between two tokens
// that holds one becomes [unused2], on the correct side of the image marker, never in a label.
TEST(SpanExamples, LineMarkerStandsForLineBreaks) {
  SpanExampleOptions opt;
  opt.line_marker = kLineMarker;
  const std::string ctx = "The Tribune\nNassau Guardian\n\nContact";  // "Nassau Guardian": [12, 27)
  // Image at the start of the second line (after the \n): line marker, then image marker.
  auto w = build(ctx, 12, CodePointSpan{12, 27}, opt);
  ASSERT_EQ(w.size(), 1u);
  EXPECT_EQ(tokens(w[0]), (Tokens{"[CLS]", "the", "tribune", "[unused2]", "[unused1]", "nassau",
                                  "guardian", "[unused2]", "contact", "[SEP]"}));
  EXPECT_EQ(tokens(w[0], w[0].start_token, w[0].end_token), (Tokens{"nassau", "guardian"}));
  EXPECT_EQ(w[0].marker_token, 4);
  EXPECT_EQ(w[0].offsets[3], (std::pair<int32_t, int32_t>{-1, -1}));
  // Image at the end of the first line (before the \n): image marker, then line marker.
  w = build(ctx, 11, std::nullopt, opt);
  EXPECT_EQ(tokens(w[0], 1, 4), (Tokens{"the", "tribune", "[unused1]", "[unused2]"}));
  // Without the option nothing changes.
  w = build(ctx, 12, CodePointSpan{12, 27});
  EXPECT_EQ(tokens(w[0]), (Tokens{"[CLS]", "the", "tribune", "[unused1]", "nassau", "guardian",
                                  "contact", "[SEP]"}));
  EXPECT_EQ(SpanExampleBuilder(bert(), opt).line_marker_id(), 3);
  opt.line_marker = "[unused1]";
  EXPECT_THROW(SpanExampleBuilder(bert(), opt), UsageError);
}

// centre_marker: one window, the image marker at token max_length / 2, [PAD] in front where
// the context has fewer tokens before the image, the label's tokens shifted alike.
TEST(SpanExamples, CentredMarkerSitsAtTheSamePositionInEveryWindow) {
  SpanExampleOptions opt;
  opt.max_length = 10;  // capacity 8: the marker at sequence token 4, window token 5
  opt.stride = 2;
  opt.line_marker = kLineMarker;
  opt.centre_marker = true;
  const std::string ctx = "The Tribune\nNassau Guardian\n\nContact";
  auto w = build(ctx, 12, CodePointSpan{12, 27}, opt);
  ASSERT_EQ(w.size(), 1u);
  // Sequence: the tribune [unused2] [unused1] nassau guardian [unused2] contact: the marker is
  // sequence token 3, so one [PAD] comes first; the window ends at [SEP] after 8 tokens.
  EXPECT_EQ(tokens(w[0]), (Tokens{"[CLS]", "[PAD]", "the", "tribune", "[unused2]", "[unused1]", "nassau",
                                  "guardian", "[unused2]", "[SEP]"}));
  EXPECT_EQ(w[0].marker_token, 5);
  EXPECT_EQ(w[0].sequence_begin, -1);
  EXPECT_EQ(w[0].offsets[1], (std::pair<int32_t, int32_t>{-1, -1}));
  EXPECT_EQ(tokens(w[0], w[0].start_token, w[0].end_token), (Tokens{"nassau", "guardian"}));
  // A long context: still one window, the marker at token 5, no padding.
  w = build(letters(40), 40, CodePointSpan{40, 41}, opt);
  ASSERT_EQ(w.size(), 1u);
  EXPECT_EQ(w[0].marker_token, 5);
  EXPECT_EQ(w[0].length, 10);
  EXPECT_EQ(w[0].start_token, 6);
  // Image at the very start: four [PAD] tokens, then the marker.
  w = build(letters(40), 0, std::nullopt, opt);
  EXPECT_EQ(tokens(w[0], 0, 6), (Tokens{"[CLS]", "[PAD]", "[PAD]", "[PAD]", "[PAD]", "[unused1]", "a"}));
}

// near_line_markers: the two line markers nearest the image on each side get ids of their own,
// the others stay [unused2]; tokens, offsets and the label do not move.
TEST(SpanExamples, NearLineMarkersNameTheLinesAroundTheImage) {
  SpanExampleOptions opt;
  opt.line_marker = kLineMarker;
  const std::string ctx = "a\nb\nc\nd\ne\nf\ng";  // one-letter lines; "d" at code point 6
  const auto plain = build(ctx, 6, CodePointSpan{6, 7}, opt);
  opt.near_line_markers = true;
  const auto w = build(ctx, 6, CodePointSpan{6, 7}, opt);
  ASSERT_EQ(w.size(), 1u);
  EXPECT_EQ(tokens(w[0]), (Tokens{"[CLS]", "a", "[unused2]", "b", "[unused6]", "c", "[unused5]", "[unused1]",
                                  "d", "[unused3]", "e", "[unused4]", "f", "[unused2]", "g", "[SEP]"}));
  EXPECT_EQ(w[0].offsets, plain[0].offsets);
  EXPECT_EQ(w[0].start_token, plain[0].start_token);
  EXPECT_EQ(w[0].end_token, plain[0].end_token);
  EXPECT_EQ(tokens(w[0], w[0].start_token, w[0].end_token), (Tokens{"d"}));
  // Image inside a line ("x [img] y"): the nearest markers are the line's own ends.
  const auto mid = build("a\nx y\nb", 4, std::nullopt, opt);
  EXPECT_EQ(tokens(mid[0]), (Tokens{"[CLS]", "a", "[unused5]", "x", "[unused1]", "y", "[unused3]", "b", "[SEP]"}));
  // Needs the line marker.
  opt.line_marker = "";
  EXPECT_THROW(SpanExampleBuilder(bert(), opt), UsageError);
}

TEST(SpanExamples, EmptyContextIsClsMarkerSep) {
  const auto w = build("", 0, CodePointSpan{0, 0});
  ASSERT_EQ(w.size(), 1u);
  EXPECT_EQ(w[0].input_ids, (std::vector<int32_t>{kCls, kUnused1, kSep}));
  EXPECT_EQ(w[0].offsets, (Spans{{-1, -1}, {-1, -1}, {-1, -1}}));
  EXPECT_FALSE(w[0].has_span());
}

TEST(SpanExamples, LabelNotOnTokenBoundariesGrowsToCoveringTokens) {
  //                     0123456789012345678
  const std::string ctx = "the unaffable child";
  auto w = build(ctx, 0, CodePointSpan{6, 11});  // "affab": inside "unaffable"
  // [CLS] [unused1] the <unaffable pieces> child [SEP]
  const Tokens word = tokens(w[0], 3, w[0].length - 3);
  ASSERT_GT(word.size(), 1u) << "unaffable should be several pieces";
  EXPECT_EQ(tokens(w[0], w[0].start_token, w[0].end_token), word);
  EXPECT_EQ(w[0].start_token, 3);
  EXPECT_LE(w[0].offsets[w[0].start_token].first, 6);
  EXPECT_GE(w[0].offsets[w[0].end_token].second, 11);
  // From the middle of "the" to the middle of "child": all three words.
  w = build(ctx, 0, CodePointSpan{1, 15});
  EXPECT_EQ(w[0].start_token, 2);
  EXPECT_EQ(w[0].end_token, w[0].length - 2);
  // Only the space between words: no token, no span. Inverted and empty: no span.
  EXPECT_FALSE(build(ctx, 0, CodePointSpan{3, 4})[0].has_span());
  EXPECT_FALSE(build(ctx, 0, CodePointSpan{10, 4})[0].has_span());
  EXPECT_FALSE(build(ctx, 0, CodePointSpan{4, 4})[0].has_span());
}

TEST(SpanExamples, UnicodeOffsetsAreCodePoints) {
  // "Ça" 2 cps, "€" 1 cp (3 bytes), CJK ideographs one token each.
  //                     Ç a _ c o û t e _ 5 _ € _ 日 本 語 _ c a f é
  //                     0 1 2 3 4 5 6 7 8 9 10  12  14  16  18    21
  const std::string ctx = "\xC3\x87" "a co\xC3\xBBte 5 \xE2\x82\xAC \xE6\x97\xA5\xE6\x9C\xAC\xE8\xAA\x9E caf\xC3\xA9";
  const auto w = build(ctx, 13, CodePointSpan{13, 16});  // image before 日本語, label 日本語
  ASSERT_EQ(w.size(), 1u);
  const int32_t m = w[0].marker_token;
  EXPECT_EQ(w[0].input_ids[m], kUnused1);
  EXPECT_EQ(w[0].offsets[m - 1], (std::pair<int32_t, int32_t>{11, 12}));  // €
  EXPECT_EQ(tokens(w[0], m - 1, m - 1), (Tokens{"€"}));
  EXPECT_EQ(w[0].start_token, m + 1);
  EXPECT_EQ(tokens(w[0], w[0].start_token, w[0].end_token), (Tokens{"日", "本", "語"}));
  EXPECT_EQ(w[0].offsets[w[0].start_token], (std::pair<int32_t, int32_t>{13, 14}));
  EXPECT_EQ(w[0].offsets[w[0].end_token], (std::pair<int32_t, int32_t>{15, 16}));
  EXPECT_EQ(w[0].offsets[1].first, 0);                                   // ça
  EXPECT_EQ(w[0].offsets[w[0].length - 2].second, 21);                   // end of café
}

TEST(SpanExamples, LongContextWindowsOverlapByStride) {
  // 30 tokens + marker = 31; window holds 10, step 10 - 4 = 6. Marker at sequence 15, centre
  // window [10, 20); left: 4, then 0 (clamped); right: 16, then 21 (clamped to end at 31).
  SpanExampleOptions opt;
  opt.max_length = 12;
  opt.stride = 4;
  opt.only_windows_with_marker = false;
  const std::string ctx = letters(30);
  const auto w = build(ctx, 30, CodePointSpan{0, 3}, opt);  // image before token 15; label a b
  std::vector<int32_t> begins;
  for (const auto& x : w) begins.push_back(x.sequence_begin);
  EXPECT_EQ(begins, (std::vector<int32_t>{0, 4, 10, 16, 21}));
  const std::vector<int32_t> overlap{6, 4, 4, 5};
  for (std::size_t k = 0; k < w.size(); ++k) {
    EXPECT_EQ(w[k].length, 12);
    EXPECT_EQ(w[k].input_ids.front(), kCls);
    EXPECT_EQ(w[k].input_ids.back(), kSep);
    if (k + 1 == w.size()) break;
    // The last `overlap` tokens before [SEP] open the next window, id for id, offset for offset.
    const int32_t o = overlap[k];
    for (int32_t i = 0; i < o; ++i) {
      EXPECT_EQ(w[k].input_ids[11 - o + i], w[k + 1].input_ids[1 + i]) << k << " " << i;
      EXPECT_EQ(w[k].offsets[11 - o + i], w[k + 1].offsets[1 + i]) << k << " " << i;
    }
    EXPECT_NE(w[k].offsets[11 - o - 1], w[k + 1].offsets[1]);  // and no more than that
  }
  // Coverage: first token a at [0,1), last token at [58,59).
  EXPECT_EQ(w.front().offsets[1], (std::pair<int32_t, int32_t>{0, 1}));
  EXPECT_EQ(w.back().offsets[10], (std::pair<int32_t, int32_t>{58, 59}));
  // Only the centre window holds the marker; the label (tokens 0-1) lies in windows 0 and 1.
  for (std::size_t k = 0; k < w.size(); ++k) EXPECT_EQ(w[k].marker_token >= 0, k == 2) << k;
  EXPECT_EQ(w[2].marker_token, 6);
  EXPECT_EQ(w[0].start_token, 1);
  EXPECT_EQ(w[0].end_token, 2);
  EXPECT_EQ(w[1].start_token, 0);  // window [4, 14) lacks the label
  EXPECT_EQ(w[2].start_token, 0);
}

TEST(SpanExamples, DefaultKeepsOnlyWindowsWithTheMarkerLabelOutsideIsNoSpan) {
  SpanExampleOptions opt;
  opt.max_length = 12;
  opt.stride = 4;
  const auto w = build(letters(30), 30, CodePointSpan{0, 3}, opt);
  ASSERT_EQ(w.size(), 1u);
  EXPECT_EQ(w[0].sequence_begin, 10);
  EXPECT_EQ(w[0].marker_token, 6);
  EXPECT_EQ(w[0].start_token, 0);  // label "a b" is 10 tokens left of this window
  EXPECT_EQ(w[0].end_token, 0);
  // A label straddling the window's left edge (tokens 9-10) is not whole in it: no span.
  EXPECT_FALSE(build(letters(30), 30, CodePointSpan{18, 21}, opt)[0].has_span());
  // Tokens 10-11 are inside: span at window tokens 1-2.
  const auto in = build(letters(30), 30, CodePointSpan{20, 23}, opt);
  EXPECT_EQ(in[0].start_token, 1);
  EXPECT_EQ(in[0].end_token, 2);
}

TEST(SpanExamples, LargeStrideGivesSeveralWindowsAllWithTheMarker) {
  SpanExampleOptions opt;
  opt.max_length = 12;
  opt.stride = 8;  // step 2
  const auto w = build(letters(30), 30, std::nullopt, opt);
  // Centre [10, 20), left [8, 18) [6, 16); [4, 14) would lose the marker; right [12, 22)
  // [14, 24); [16, 26) loses it.
  std::vector<int32_t> begins;
  for (const auto& x : w) {
    begins.push_back(x.sequence_begin);
    ASSERT_GE(x.marker_token, 1);
    EXPECT_EQ(x.input_ids[x.marker_token], kUnused1);
    EXPECT_EQ(x.offsets[x.marker_token], (std::pair<int32_t, int32_t>{-1, -1}));
    EXPECT_EQ(x.offsets[x.marker_token - 1].second, 29);  // token o at [28, 29)
    // In [6, 16) the marker is last, [SEP] follows.
    if (x.marker_token + 1 < x.length - 1) {
      EXPECT_EQ(x.offsets[x.marker_token + 1].first, 30);
    }
  }
  EXPECT_EQ(begins, (std::vector<int32_t>{6, 8, 10, 12, 14}));
}

TEST(SpanExamples, ImageAtTheVeryEndOfALongContext) {
  SpanExampleOptions opt;
  opt.max_length = 12;
  opt.stride = 4;
  const auto w = build(letters(30), 59, CodePointSpan{58, 59}, opt);
  ASSERT_EQ(w.size(), 1u);
  EXPECT_EQ(w[0].sequence_begin, 21);
  EXPECT_EQ(w[0].marker_token, 10);  // last before [SEP]
  EXPECT_EQ(w[0].start_token, 9);
  EXPECT_EQ(w[0].end_token, 9);
}

TEST(SpanExamples, BuilderReusesOutput) {
  SpanExampleBuilder b(bert(), {12, 8, "[unused1]", true});
  std::vector<SpanWindow> out;
  b.build(letters(30), 30, std::nullopt, out);
  EXPECT_EQ(out.size(), 5u);
  b.build("red fox", 4, CodePointSpan{0, 3}, out);
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(tokens(out[0]), (Tokens{"[CLS]", "red", "[unused1]", "fox", "[SEP]"}));
  EXPECT_EQ(out[0].sequence_begin, 0);
  EXPECT_EQ(out[0].start_token, 1);
}

TEST(SpanExamples, BadOptionsAreUsageErrors) {
  EXPECT_THROW(SpanExampleBuilder(bert(), {12, 10, "[unused1]", true}), UsageError);
  EXPECT_THROW(SpanExampleBuilder(bert(), {12, -1, "[unused1]", true}), UsageError);
  EXPECT_THROW(SpanExampleBuilder(bert(), {3, 0, "[unused1]", true}), UsageError);
  EXPECT_THROW(SpanExampleBuilder(bert(), {12, 4, "[no-such-token]", true}), UsageError);
  EXPECT_NO_THROW(SpanExampleBuilder(bert(), {12, 9, "[unused1]", true}));
}

TEST(SplitByPage, Fnv1aKnownValues) {
  // Reference values of the FNV-1a 64-bit test suite (isthe.com/chongo/tech/comp/fnv).
  EXPECT_EQ(fnv1a64(""), 0xcbf29ce484222325ULL);
  EXPECT_EQ(fnv1a64("a"), 0xaf63dc4c8601ec8cULL);
  EXPECT_EQ(fnv1a64("foobar"), 0x85944171f73967e8ULL);
}

TEST(SplitByPage, DeterministicAndAboutTheFraction) {
  int validation = 0;
  for (int i = 0; i < 10000; ++i) {
    const std::string url = "https://example.com/articles/page?id=" + std::to_string(i);
    const bool v = is_validation(url);
    EXPECT_EQ(v, is_validation(url));
    EXPECT_EQ(v, is_validation(url, 0.1));
    validation += v;
    EXPECT_FALSE(is_validation(url, 0.0));
    EXPECT_TRUE(is_validation(url, 1.0));
    if (v) {
      EXPECT_TRUE(is_validation(url, 0.5));  // monotone in the fraction
    }
    // The split point train --dev-fraction slices above the held-out pages.
    const double point = page_split_point(url);
    EXPECT_GE(point, 0.0);
    EXPECT_LT(point, 1.0);
    EXPECT_EQ(v, point < 0.1);
  }
  EXPECT_GE(validation, 800);
  EXPECT_LE(validation, 1200);
}

}  // namespace
}  // namespace warcpairs::text
