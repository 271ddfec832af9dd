// WordPiece: greedy pieces, [UNK] rules, normalisation edge cases and offsets, on a tiny
// vocabulary and on the real bert-base-uncased vocab.txt (../shared/data/vocab).
#include "warcpairs/text/wordpiece.h"

#include <gtest/gtest.h>

#include "warcpairs/core/error.h"

namespace warcpairs::text {
namespace {

using Spans = std::vector<std::pair<int32_t, int32_t>>;
using ByteSpans = std::vector<std::pair<uint32_t, uint32_t>>;
using Tokens = std::vector<std::string>;

// ids: [PAD]=0 [UNK]=1 [CLS]=2 [SEP]=3 [MASK]=4 un=5 ##aff=6 ##able=7 a=8 ##a=9 ##=10 ##un=11
const char* kTinyVocab = "[PAD]\n[UNK]\n[CLS]\n[SEP]\n[MASK]\nun\n##aff\n##able\na\n##a\n##\n##un\n";

const WordPiece& bert() {
  static const WordPiece wp = WordPiece::from_vocab_file(
      std::string(WARCPAIRS_SHARED_DIR) + "/data/vocab/bert-base-uncased-vocab.txt");
  return wp;
}

Encoding encode(const WordPiece& wp, std::string_view text) {
  Encoding e;
  wp.encode(text, e, /*with_tokens=*/true);
  return e;
}

TEST(WordPiece, GreedyLongestMatchFirst) {
  const auto wp = WordPiece::from_vocab_text(kTinyVocab);
  const auto e = encode(wp, "unaffable");
  EXPECT_EQ(e.ids, (std::vector<int32_t>{5, 6, 7}));
  EXPECT_EQ(e.tokens, (Tokens{"un", "##aff", "##able"}));
  EXPECT_EQ(e.offsets, (Spans{{0, 2}, {2, 5}, {5, 9}}));
  // "##un" is only a continuation: "unun" = un ##un, never "un" twice.
  EXPECT_EQ(encode(wp, "unun").ids, (std::vector<int32_t>{5, 11}));
}

TEST(WordPiece, WordWithoutCoverIsOneUnk) {
  const auto wp = WordPiece::from_vocab_text(kTinyVocab);
  // "unaffablex": pieces un ##aff ##able were found, then "x" has none: all of it is [UNK].
  const auto e = encode(wp, "unaffablex a");
  EXPECT_EQ(e.ids, (std::vector<int32_t>{1, 8}));
  EXPECT_EQ(e.offsets, (Spans{{0, 10}, {11, 12}}));
}

TEST(WordPiece, MaxInputCharsPerWordIs100CodePoints) {
  const auto wp = WordPiece::from_vocab_text(kTinyVocab);
  EXPECT_EQ(encode(wp, std::string(100, 'a')).size(), 100u);  // a ##a ##a ...
  const auto e = encode(wp, std::string(101, 'a'));
  EXPECT_EQ(e.ids, (std::vector<int32_t>{1}));
  EXPECT_EQ(e.offsets, (Spans{{0, 101}}));
  // 100 two-byte characters are 100 code points, not 200: still within the limit.
  std::string accented;
  for (int k = 0; k < 100; ++k) accented += "\xC3\xA1";  // á → a after stripping
  EXPECT_EQ(encode(wp, accented).size(), 100u);
}

TEST(WordPiece, VocabularyErrors) {
  EXPECT_THROW(WordPiece::from_vocab_file("/nonexistent/vocab.txt"), Error);
  EXPECT_THROW(WordPiece::from_vocab_text("a\n##b\n"), Error);  // no [UNK]
  const auto wp = WordPiece::from_vocab_text("[UNK]\r\nx\r\n");  // CRLF lines
  EXPECT_EQ(wp.vocab_size(), 2u);
  EXPECT_EQ(wp.id_of("x"), 1);
  EXPECT_EQ(wp.id_of("y"), -1);
}

TEST(WordPiece, RealVocabularyIds) {
  const auto& wp = bert();
  EXPECT_EQ(wp.vocab_size(), 30522u);
  EXPECT_EQ(wp.unk_id(), 100);
  EXPECT_EQ(wp.cls_id(), 101);
  EXPECT_EQ(wp.sep_id(), 102);
  EXPECT_EQ(wp.mask_id(), 103);
  auto e = encode(wp, "Hello, WORLD!");
  EXPECT_EQ(e.ids, (std::vector<int32_t>{7592, 1010, 2088, 999}));
  EXPECT_EQ(e.offsets, (Spans{{0, 5}, {5, 6}, {7, 12}, {12, 13}}));
  wp.add_special_tokens(e);
  EXPECT_EQ(e.ids, (std::vector<int32_t>{101, 7592, 1010, 2088, 999, 102}));
  EXPECT_EQ(e.offsets.front(), (std::pair<int32_t, int32_t>{0, 0}));
  EXPECT_EQ(e.offsets.back(), (std::pair<int32_t, int32_t>{0, 0}));
  EXPECT_EQ(e.tokens.front(), "[CLS]");
}

TEST(WordPiece, AccentsLowercaseAndCodePointVersusByteOffsets) {
  const auto e = encode(bert(), "H\xC3\xA9llo CAF\xC3\x89");  // "Héllo CAFÉ"
  EXPECT_EQ(e.tokens, (Tokens{"hello", "cafe"}));
  EXPECT_EQ(e.offsets, (Spans{{0, 5}, {6, 10}}));
  EXPECT_EQ(e.byte_offsets, (ByteSpans{{0, 6}, {7, 12}}));
  // Decomposed input: "e" + U+0301 COMBINING ACUTE: the mark is dropped, its span kept.
  const auto d = encode(bert(), "cafe\xCC\x81 x");
  EXPECT_EQ(d.tokens, (Tokens{"cafe", "x"}));
  EXPECT_EQ(d.offsets, (Spans{{0, 4}, {6, 7}}));
}

TEST(WordPiece, SpecialTokensWrittenInTheText) {
  const auto e = encode(bert(), "a[MASK]b [SEP] [mask]");
  // "[mask]" in lower case is not the special token: "[", "mask", "]".
  EXPECT_EQ(e.tokens, (Tokens{"a", "[MASK]", "b", "[SEP]", "[", "mask", "]"}));
  EXPECT_EQ(e.offsets, (Spans{{0, 1}, {1, 7}, {7, 8}, {9, 14}, {15, 16}, {16, 20}, {20, 21}}));
}

TEST(WordPiece, CjkHangulAndEmoji) {
  // "中文" → one word per ideograph; 3 bytes each.
  const auto c = encode(bert(), "\xE4\xB8\xAD\xE6\x96\x87");
  EXPECT_EQ(c.tokens, (Tokens{"\xE4\xB8\xAD", "\xE6\x96\x87"}));
  EXPECT_EQ(c.byte_offsets, (ByteSpans{{0, 3}, {3, 6}}));
  // "한" (U+D55C) decomposes to jamo ᄒ ᅡ ᆫ; every piece points at the whole syllable.
  const auto h = encode(bert(), "\xED\x95\x9C");
  EXPECT_EQ(h.tokens, (Tokens{"\xE1\x84\x92", "##\xE1\x85\xA1", "##\xE1\x86\xAB"}));
  EXPECT_EQ(h.offsets, (Spans{{0, 1}, {0, 1}, {0, 1}}));
  // 👨‍👩‍👧: the ZWJs (Cf) are removed, the three emoji are one unknown word of 5 code points.
  const auto z = encode(bert(), "\xF0\x9F\x91\xA8\xE2\x80\x8D\xF0\x9F\x91\xA9\xE2\x80\x8D\xF0\x9F\x91\xA7");
  EXPECT_EQ(z.ids, (std::vector<int32_t>{100}));
  EXPECT_EQ(z.offsets, (Spans{{0, 5}}));
  EXPECT_EQ(z.byte_offsets, (ByteSpans{{0, 18}}));
}

TEST(WordPiece, WhitespaceControlAndInvalidBytes) {
  // NBSP separates words; U+200B ZERO WIDTH SPACE is Cf: removed, it does not separate.
  const auto e = encode(bert(), "a\xC2\xA0" "b c\xE2\x80\x8B" "d");
  EXPECT_EQ(e.offsets, (Spans{{0, 1}, {2, 3}, {4, 7}}));
  EXPECT_EQ(e.tokens[2], "cd");
  // An invalid byte counts as one U+FFFD, which clean_text removes: "xy" is one word.
  const auto b = encode(bert(), "x\xFFy");
  EXPECT_EQ(b.tokens, (Tokens{"x", "##y"}));
  EXPECT_EQ(b.offsets, (Spans{{0, 1}, {2, 3}}));
  EXPECT_TRUE(encode(bert(), "").ids.empty());
  EXPECT_TRUE(encode(bert(), " \t\r\n\xE3\x80\x80\x01").ids.empty());
}

TEST(WordPiece, GreekFinalSigmaTurkishDottedIAndSharpS) {
  // ΟΔΟΣ → "οδος" (final sigma ς, as String.toLowerCase / Python str.lower()).
  EXPECT_EQ(encode(bert(), "\xCE\x9F\xCE\x94\xCE\x9F\xCE\xA3").tokens,
            (Tokens{"\xCE\xBF", "##\xCE\xB4", "##\xCE\xBF\xCF\x82"}));
  // Σ alone, or before a letter, is σ: "ΣΑ" → "σα".
  EXPECT_EQ(encode(bert(), "\xCE\xA3\xCE\x91").tokens[0], "\xCF\x83");
  // İ → "i̇" → "i" once the dot (Mn) is stripped; ß stays ß.
  EXPECT_EQ(encode(bert(), "\xC4\xB0stanbul").tokens, (Tokens{"istanbul"}));
  EXPECT_EQ(encode(bert(), "stra\xC3\x9F" "e").tokens, (Tokens{"st", "##ra\xC3\x9F" "e"}));
}

TEST(WordPiece, EncodingIsReusedWithoutStaleState) {
  Encoding e;
  bert().encode("one two three", e, true);
  bert().encode("four", e, false);
  EXPECT_EQ(e.ids.size(), 1u);
  EXPECT_TRUE(e.tokens.empty());
  EXPECT_EQ(e.offsets, (Spans{{0, 4}}));
  bert().add_special_tokens(e);  // no tokens asked for: none added
  EXPECT_EQ(e.ids, (std::vector<int32_t>{101, 2176, 102}));
  EXPECT_TRUE(e.tokens.empty());
}

}  // namespace
}  // namespace warcpairs::text
