// Span decoding (HF QA postprocessing), SQuAD metrics and the sentence baselines.
#include <gtest/gtest.h>

#include "warcpairs/text/span_answer.h"

namespace warcpairs::text {
namespace {

// A window [CLS] t1 t2 t3 [unused1] t4 [SEP] with hand-set offsets into "aa bb cc dd".
SpanWindow window() {
  SpanWindow w;
  w.input_ids = {101, 1, 2, 3, 5, 4, 102};
  w.offsets = {{-1, -1}, {0, 2}, {3, 5}, {6, 8}, {-1, -1}, {9, 11}, {-1, -1}};
  w.length = 7;
  return w;
}

TEST(SpanDecoder, PicksTheBestValidSpanAgainstNoSpan) {
  const SpanWindow w = window();
  //                      CLS   t1   t2   t3  mark   t4  SEP
  const float start[] = {0.0f, 1.0f, 5.0f, 0.0f, 9.0f, 0.0f, 9.0f};
  const float end[] = {0.0f, 0.0f, 1.0f, 4.0f, 9.0f, 2.0f, 9.0f};
  SpanDecoder d;
  d.add_window(w, start, end);
  const SpanAnswer a = d.answer();
  // The marker and [SEP] have the largest logits but are not context tokens.
  EXPECT_EQ(a.start, 3);
  EXPECT_EQ(a.end, 8);  // t2..t3 = "bb cc"
  EXPECT_DOUBLE_EQ(a.score, 9.0);
}

TEST(SpanDecoder, EndBeforeStartAndTooLongSpansAreNotAnswers) {
  const SpanWindow w = window();
  const float start[] = {0, 0, 0, 6, 0, 0, 0};
  const float end[] = {0, 5, 0, 0, 0, 0, 0};  // best end precedes best start
  SpanDecoder d(/*max_answer_tokens=*/1);
  d.add_window(w, start, end);
  const SpanAnswer a = d.answer();
  EXPECT_EQ(a.start, 6);  // t3 alone (6 + 0) beats t1 alone (0 + 5); t1..t3 is too long
  EXPECT_EQ(a.end, 8);
}

TEST(SpanDecoder, NoSpanWinsWhenItsScoreIsHigherOverAllWindows) {
  const SpanWindow w = window();
  const float start[] = {5, 1, 1, 1, 0, 1, 0};
  const float end[] = {5, 1, 1, 1, 0, 1, 0};
  SpanDecoder d;
  d.add_window(w, start, end);
  EXPECT_FALSE(d.answer().has_span());
  // A second window whose null score is low: HF takes the minimum null score over windows.
  const float start2[] = {-5, 1, 1, 1, 0, 1, 0};
  const float end2[] = {-5, 1, 1, 1, 0, 1, 0};
  d.add_window(w, start2, end2);
  EXPECT_TRUE(d.answer().has_span());
  EXPECT_DOUBLE_EQ(d.answer().score, 2.0 - (-10.0));
  d.reset();
  EXPECT_FALSE(d.answer().has_span());
}

// Spans are whole words and never cross a marker (image or line break), whatever the logits.
TEST(SpanDecoder, SpansAreWholeWordsAndStopAtMarkers) {
  SpanWindow w = window();                  // [CLS] t1 t2 t3 [unused1] t4 [SEP]
  w.continues_word = {0, 0, 1, 0, 0, 0, 0};  // t2 continues t1's word
  const float start[] = {0, 5, 9, 0, 0, -10, 0};
  const float end[] = {0, 9, 0, 1, 0, 8, 0};
  SpanDecoder d;
  d.add_window(w, start, end);
  // t2 cannot start, t1 cannot end (t2 continues it), t1..t4 (13) would cross the marker.
  EXPECT_EQ(d.answer().start, 0);
  EXPECT_EQ(d.answer().end, 8);  // t1..t3: 5 + 1
  EXPECT_DOUBLE_EQ(d.answer().score, 6.0);
}

// Line decoding: only the runs of context tokens between markers, of any length.
TEST(SpanDecoder, LineDecodingAnswersWholeLinesOnly) {
  const SpanWindow w = window();  // [CLS] t1 t2 t3 [unused1] t4 [SEP]: lines t1..t3 and t4
  const float start[] = {0, 1, 9, 0, 0, 2, 0};
  const float end[] = {0, 0, 9, 1, 0, 2, 0};
  SpanDecoder spans;
  spans.add_window(w, start, end);
  EXPECT_EQ(spans.answer().start, 3);  // free spans: t2 alone (18)
  EXPECT_EQ(spans.answer().end, 5);
  SpanDecoder lines(30, SpanDecoding::kLines);
  lines.add_window(w, start, end);
  EXPECT_EQ(lines.answer().start, 9);  // t4 (2 + 2) beats t1..t3 (1 + 1)
  EXPECT_EQ(lines.answer().end, 11);
  EXPECT_DOUBLE_EQ(lines.answer().score, 4.0);
  // Lines are not capped at max_answer_tokens; kBoth adds them to the free spans.
  const float start2[] = {0, 5, 0, 0, 0, 1, 0};
  const float end2[] = {0, 0, 0, 5, 0, 1, 0};
  SpanDecoder capped(2, SpanDecoding::kSpans), both(2, SpanDecoding::kBoth), long_lines(2, SpanDecoding::kLines);
  capped.add_window(w, start2, end2);
  both.add_window(w, start2, end2);
  long_lines.add_window(w, start2, end2);
  EXPECT_EQ(capped.answer().start, 0);  // t1..t3 is 3 tokens: t1 alone or t1..t2 (5)
  EXPECT_EQ(capped.answer().end, 2);
  for (const SpanDecoder* d : {&both, &long_lines}) {
    EXPECT_EQ(d->answer().start, 0);
    EXPECT_EQ(d->answer().end, 8);  // t1..t3 (10)
  }
  // A line cut by the window's edge inside a word is no candidate.
  SpanWindow cut = window();
  cut.continues_word = {0, 1, 0, 0, 0, 0, 0};
  SpanDecoder edge(30, SpanDecoding::kLines);
  edge.add_window(cut, start2, end2);
  EXPECT_EQ(edge.answer().start, 9);
}

TEST(SpanDecoder, DecodingNames) {
  SpanDecoding d = SpanDecoding::kSpans;
  EXPECT_TRUE(parse_decoding("lines", d));
  EXPECT_EQ(d, SpanDecoding::kLines);
  EXPECT_STREQ(decoding_name(d), "lines");
  EXPECT_TRUE(parse_decoding("both", d));
  EXPECT_STREQ(decoding_name(d), "both");
  EXPECT_FALSE(parse_decoding("words", d));
  EXPECT_EQ(d, SpanDecoding::kBoth);
}

TEST(SquadMetrics, NormalisationExactMatchAndF1) {
  EXPECT_EQ(answer_tokens("The  Cat's hat, an APPLE!"),
            (std::vector<std::string>{"cats", "hat", "apple"}));
  EXPECT_TRUE(exact_match("the red fox.", "Red  fox"));
  EXPECT_FALSE(exact_match("red fox jumps", "red fox"));
  EXPECT_DOUBLE_EQ(token_f1("red fox jumps", "red fox"), 2 * (2.0 / 3) * 1.0 / (2.0 / 3 + 1.0));
  EXPECT_DOUBLE_EQ(token_f1("", ""), 1.0);
  EXPECT_DOUBLE_EQ(token_f1("", "red"), 0.0);
  EXPECT_DOUBLE_EQ(token_f1("blue", "red"), 0.0);
  // Repeated tokens count once per occurrence on both sides.
  EXPECT_DOUBLE_EQ(token_f1("red red", "red"), 2 * 0.5 * 1.0 / 1.5);
  // CJK: per character.
  EXPECT_EQ(answer_tokens("山田さん"), (std::vector<std::string>{"山", "田", "さ", "ん"}));
  EXPECT_DOUBLE_EQ(token_f1("山田", "山田さん"), 2 * 1.0 * 0.5 / 1.5);
}

TEST(Sentences, SplitAtStopsAndLineBreaksWithCodePointOffsets) {
  //                       0123456789012345678 9012345678901
  const std::string text = "Héllo world. Next one!\nA line  \n\nEnd 3.5 here";
  const auto s = sentences(text);
  ASSERT_EQ(s.size(), 4u);
  EXPECT_EQ(span_text(text, s[0]), "Héllo world.");
  EXPECT_EQ(span_text(text, s[1]), "Next one!");
  EXPECT_EQ(span_text(text, s[2]), "A line");
  EXPECT_EQ(span_text(text, s[3]), "End 3.5 here");  // no space after the dot: no break
  EXPECT_EQ(s[0].start, 0);
  EXPECT_EQ(s[0].end, 12);
  const std::string cjk = "今日は晴れ。明日は雨";
  const auto c = sentences(cjk);
  ASSERT_EQ(c.size(), 2u);
  EXPECT_EQ(span_text(cjk, c[1]), "明日は雨");
}

TEST(Sentences, BaselinesChooseByPosition) {
  const std::string text = "One two. Three four. Five six.";
  const auto s = sentences(text);  // [0,8) [9,20) [21,30)
  ASSERT_EQ(s.size(), 3u);
  EXPECT_EQ(nearest_sentence(s, 10).start, 9);   // inside
  EXPECT_EQ(nearest_sentence(s, 21).start, 21);  // at a start
  EXPECT_EQ(nearest_sentence(s, 8).start, 0);    // right after the first one: distance 0
  EXPECT_EQ(sentence_after(s, 8).start, 9);
  EXPECT_EQ(sentence_before(s, 8).start, 0);
  EXPECT_EQ(sentence_before(s, 0).start, -1);
  EXPECT_EQ(sentence_after(s, 31).start, -1);
  EXPECT_EQ(nearest_sentence({}, 3).start, -1);
}

}  // namespace
}  // namespace warcpairs::text
