// CLIP byte-level BPE on the real merges file (../shared/data/vocab): known ids and offsets, as
// Hugging Face tokenizers.js 0.2.0 gives them (tests/parity/clip_reference.mjs on the same
// strings), special tokens, NFC, multi-byte characters split by BPE, long words, loading errors.
#include "warcpairs/text/clip_bpe.h"

#include <gtest/gtest.h>
#include <zlib.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <thread>

#include "warcpairs/core/error.h"

namespace warcpairs::text {
namespace {

using Ids = std::vector<int32_t>;
using Spans = std::vector<std::pair<int32_t, int32_t>>;
using ByteSpans = std::vector<std::pair<uint32_t, uint32_t>>;
using Tokens = std::vector<std::string>;

const std::string kMerges =
    std::string(WARCPAIRS_SHARED_DIR) + "/data/vocab/clip-bpe_simple_vocab_16e6.txt.gz";

const ClipBpe& clip() {
  static const ClipBpe bpe = ClipBpe::from_file(kMerges);
  return bpe;
}

Encoding encode(std::string_view text, bool special = true) {
  Encoding e;
  clip().encode(text, e, special, /*with_tokens=*/true);
  return e;
}

TEST(ClipBpe, VocabularyLikeHfClipTokenizer) {
  EXPECT_EQ(clip().vocab_size(), 49408u);
  EXPECT_EQ(clip().start_id(), 49406);
  EXPECT_EQ(clip().end_id(), 49407);
  EXPECT_EQ(clip().token(0), "!");                // bytes_to_unicode() order: '!' first
  EXPECT_EQ(clip().token(256), "!</w>");          // then the same + "</w>"
  EXPECT_EQ(clip().token(512), "in");             // then the first merge, "i n"
  EXPECT_EQ(clip().id_of("a</w>"), 320);
  EXPECT_EQ(clip().id_of("\xC4\xA0"), 220);  // "Ġ" (U+0120) stands for byte 0x20
  EXPECT_EQ(clip().id_of("no such token"), -1);
}

TEST(ClipBpe, KnownIdsAndOffsets) {
  const auto e = encode("a photo of a cat");
  EXPECT_EQ(e.ids, (Ids{49406, 320, 1125, 539, 320, 2368, 49407}));
  EXPECT_EQ(e.offsets, (Spans{{0, 0}, {0, 1}, {2, 7}, {8, 10}, {11, 12}, {13, 16}, {0, 0}}));
  EXPECT_EQ(e.tokens, (Tokens{"<|startoftext|>", "a</w>", "photo</w>", "of</w>", "a</w>",
                              "cat</w>", "<|endoftext|>"}));
}

// Text of the Common Crawl page in ../shared/data/warc/jwarc-cc.warc.gz.
TEST(ClipBpe, RealPageText) {
  auto e = encode("How big? We're talking BIG. Petabytes big.", false);
  EXPECT_EQ(e.ids, (Ids{829, 1205, 286, 649, 982, 2578, 1205, 269, 2167, 16342, 3609, 1205, 269}));
  EXPECT_EQ(e.offsets, (Spans{{0, 3}, {4, 7}, {7, 8}, {9, 11}, {11, 14}, {15, 22}, {23, 26},
                              {26, 27}, {28, 31}, {31, 34}, {34, 37}, {38, 41}, {41, 42}}));
  // "’" (3 bytes) is split by BPE: both halves span the whole character.
  e = encode("Developer\xE2\x80\x99s List", false);
  EXPECT_EQ(e.ids, (Ids{10929, 728, 503, 338, 1998}));
  EXPECT_EQ(e.offsets, (Spans{{0, 9}, {9, 10}, {9, 10}, {10, 11}, {12, 16}}));
  EXPECT_EQ(e.byte_offsets, (ByteSpans{{0, 9}, {9, 12}, {9, 12}, {12, 13}, {14, 18}}));
  e = encode("We gather it. We aggregate it. You utilize it. And it's all free.", false);
  EXPECT_EQ(e.ids, (Ids{649, 12602, 585, 269, 649, 41318, 585, 269, 592, 36861, 585, 269, 537,
                        585, 568, 615, 1139, 269}));
  EXPECT_EQ(e.tokens[14], "'s</w>");  // the contraction is a piece of its own
}

// HF's own expectation for openai/clip-vit-base-patch32 (transformers' CLIP tokenization test,
// input_string / expected_token_ids of its integration test): an independent check against
// HF rather than tokenizers.js, on multi-line text with CJK, Thai and runs of white space.
TEST(ClipBpe, TransformersIntegrationTestIds) {
  const std::string input =
      "This is a test\nI was born in 92000, and this is fals\xC3\xA9.\n"
      "\xE7\x94\x9F\xE6\xB4\xBB\xE7\x9A\x84\xE7\x9C\x9F\xE8\xB0\x9B\xE6\x98\xAF\n"
      "Hi  Hello\nHi   Hello\n\n \n  \n Hello\n<s>\nhi<s>there\n"
      "The following string should be properly encoded: Hello.\n"
      "But ird and \xE0\xB8\x9B\xE0\xB8\xB5   ird   \xE0\xB8\x94\nHey how are you doing";
  const Ids expected{49406, 589, 533, 320, 1628, 328, 739, 2683, 530, 280, 273, 271, 271, 271,
                     267, 537, 589, 533, 2778, 82, 4166, 269, 33375, 162, 112, 119, 163, 248,
                     226, 41570, 164, 108, 249, 42891, 363, 1883, 3306, 1883, 3306, 3306, 283,
                     338, 285, 1883, 283, 338, 285, 997, 518, 3473, 9696, 1535, 655, 12560, 524,
                     33703, 281, 3306, 269, 767, 2770, 537, 1777, 505, 20278, 2770, 38825, 2189,
                     829, 631, 592, 1960, 49407};
  EXPECT_EQ(encode(input).ids, expected);
}

TEST(ClipBpe, EmptyAndWhiteSpaceOnly) {
  auto e = encode("");
  EXPECT_EQ(e.ids, (Ids{49406, 49407}));
  EXPECT_EQ(e.offsets, (Spans{{0, 0}, {0, 0}}));
  EXPECT_EQ(encode("", false).size(), 0u);
  EXPECT_EQ(encode(" \t\xE3\x80\x80\xC2\xA0 ", false).size(), 0u);  // ideographic space, NBSP
}

TEST(ClipBpe, SpecialTokensInTextAreMatchedAfterLowercasing) {
  const auto e = encode("<|EndOfText|>x<|startoftext|>");
  EXPECT_EQ(e.ids, (Ids{49406, 49407, 343, 49406, 49407}));
  EXPECT_EQ(e.offsets, (Spans{{0, 0}, {0, 13}, {13, 14}, {14, 29}, {0, 0}}));
  // Not quite a special token: BPE pieces "<|", "endoftext", "|".
  const auto partial = encode("<|endoftext|", false);
  EXPECT_GT(partial.size(), 1u);
  for (int32_t id : partial.ids) EXPECT_LT(id, 49406);
}

TEST(ClipBpe, NfcAndFinalSigma) {
  // "e" + U+0301 composes to "é" (one piece "café</w>" over both originals); capital sigma at
  // the end of a word is final sigma (String.toLowerCase): ς = CF 82 = "Ï" "Ĥ</w>".
  const auto e = encode("Cafe\xCC\x81 \xCE\x9F\xCE\x94\xCE\x9F\xCE\xA3", false);
  EXPECT_EQ(e.ids, (Ids{15304, 138, 123, 138, 112, 138, 123, 139, 480}));
  EXPECT_EQ(e.offsets, (Spans{{0, 5}, {6, 7}, {6, 7}, {7, 8}, {7, 8}, {8, 9}, {8, 9}, {9, 10},
                              {9, 10}}));
  EXPECT_EQ(e.tokens[0], "caf\xC3\x83\xC2\xA9</w>");
  // The precomposed spelling gives the same ids.
  EXPECT_EQ(encode("Caf\xC3\xA9", false).ids, (Ids{15304}));
  // İ lowercases to i + U+0307, which is not a letter: two pieces from one character.
  const auto dotted = encode("\xC4\xB0  x", false);
  EXPECT_EQ(dotted.ids, (Ids{328, 16384, 343}));
  EXPECT_EQ(dotted.offsets, (Spans{{0, 1}, {0, 1}, {3, 4}}));
}

TEST(ClipBpe, EmojiAndCjkBytes) {
  const auto e = encode("\xF0\x9F\x91\x8D\xF0\x9F\x8F\xBD \xE5\x8C\x97\xE4\xBA\xAC", false);  // 👍🏽 北京
  EXPECT_EQ(e.ids, (Ids{43722, 161, 234, 245, 21078, 361}));
  EXPECT_EQ(e.offsets, (Spans{{0, 2}, {3, 4}, {3, 4}, {3, 4}, {4, 5}, {4, 5}}));
  EXPECT_EQ(e.byte_offsets, (ByteSpans{{0, 8}, {9, 12}, {9, 12}, {9, 12}, {12, 15}, {12, 15}}));
}

TEST(ClipBpe, LongWord) {
  const auto e = encode(std::string(300, 'a'), false);
  ASSERT_EQ(e.size(), 38u);  // 37 × "aaaaaaaa" then "aaaa</w>"
  for (std::size_t k = 0; k < 37; ++k) {
    EXPECT_EQ(e.ids[k], 23126);
    EXPECT_EQ(e.offsets[k], (std::pair<int32_t, int32_t>(8 * k, 8 * k + 8)));
  }
  EXPECT_EQ(e.ids[37], 19336);
  EXPECT_EQ(e.offsets[37], (std::pair<int32_t, int32_t>(296, 300)));
  // Digits are one piece each, so a long number is one token per digit.
  EXPECT_EQ(encode(std::string(50, '7'), false).size(), 50u);
}

TEST(ClipBpe, InvalidUtf8ReadsAsReplacementCharacters) {
  // A truncated 3-byte sequence is one U+FFFD (its maximal subpart), like Node's decoder.
  const auto bad = encode("a\xE2\x82 b", false);
  const auto good = encode("a\xEF\xBF\xBD b", false);
  EXPECT_EQ(bad.ids, good.ids);
  EXPECT_EQ(bad.offsets, good.offsets);
  EXPECT_EQ(bad.byte_offsets[1], (std::pair<uint32_t, uint32_t>(1, 3)));
}

TEST(ClipBpe, WarmEncodeIsStableAndThreadsAgree) {
  Encoding e;
  clip().encode("a photo of a cat", e);
  const Ids first = e.ids;
  clip().encode("a photo of a cat", e);  // from the word cache now
  EXPECT_EQ(e.ids, first);
  Ids other;
  std::thread t([&] {
    Encoding mine;
    clip().encode("a photo of a cat", mine);
    other = mine.ids;
  });
  t.join();
  EXPECT_EQ(other, first);
}

TEST(ClipBpe, ReadsPlainTextAndRejectsBadFiles) {
  const auto dir = std::filesystem::temp_directory_path() / "warcpairs_clip_bpe_test";
  std::filesystem::create_directories(dir);
  std::string text;
  {
    gzFile f = gzopen(kMerges.c_str(), "rb");
    ASSERT_NE(f, nullptr);
    char buf[1 << 16];
    for (int n; (n = gzread(f, buf, sizeof buf)) > 0;) text.append(buf, static_cast<std::size_t>(n));
    gzclose(f);
  }
  std::ofstream(dir / "plain.txt", std::ios::binary) << text;
  const auto plain = ClipBpe::from_file(dir / "plain.txt");
  Encoding a, b;
  plain.encode("Petabytes big", a);
  clip().encode("Petabytes big", b);
  EXPECT_EQ(a.ids, b.ids);

  std::ofstream(dir / "short.txt", std::ios::binary) << text.substr(0, 1000);
  EXPECT_THROW(ClipBpe::from_file(dir / "short.txt"), Error);
  EXPECT_THROW(ClipBpe::from_file(dir / "missing.txt.gz"), Error);
  EXPECT_THROW(ClipBpe::from_merges_text("#version: 0.2\nx zzz\n"), Error);  // unknown tokens
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace warcpairs::text
