// train --bucket-by-length: the epoch order stays a permutation of the windows, batches hold
// windows of similar length, the result is deterministic, and a partial batch stays last.
#include "../../../../src/stages/train/train_examples.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <set>

namespace warcpairs::stages {
namespace {

std::vector<text::SpanWindow> windows_of_lengths(int n) {
  std::vector<text::SpanWindow> w(static_cast<std::size_t>(n));
  for (int i = 0; i < n; ++i) w[static_cast<std::size_t>(i)].length = 8 + (i * 37) % 121;  // 8..128
  return w;
}

// Sum over the batches of (longest - shortest): the padding a batch carries.
int64_t spread(const std::vector<text::SpanWindow>& w, const std::vector<int64_t>& order, int64_t bs) {
  int64_t s = 0;
  for (std::size_t at = 0; at < order.size(); at += static_cast<std::size_t>(bs)) {
    int32_t lo = 1 << 30, hi = 0;
    for (std::size_t k = at; k < std::min(order.size(), at + static_cast<std::size_t>(bs)); ++k)
      lo = std::min(lo, w[order[k]].length), hi = std::max(hi, w[order[k]].length);
    s += hi - lo;
  }
  return s;
}

TEST(BucketByLength, PermutationWithLittlePaddingDeterministic) {
  const int n = 1003, bs = 32;  // 31 full batches and a partial one of 11
  const auto w = windows_of_lengths(n);
  const auto shuffled = epoch_order(n, 42, 0);
  auto bucketed = shuffled;
  bucket_by_length(w, bs, 50, 42, 0, bucketed);
  ASSERT_EQ(bucketed.size(), shuffled.size());
  EXPECT_EQ(std::set<int64_t>(bucketed.begin(), bucketed.end()).size(), std::size_t(n));
  EXPECT_LT(spread(w, bucketed, bs) * 5, spread(w, shuffled, bs));
  auto again = shuffled;
  bucket_by_length(w, bs, 50, 42, 0, again);
  EXPECT_EQ(again, bucketed);
  auto other_epoch = epoch_order(n, 42, 1);
  bucket_by_length(w, bs, 50, 42, 1, other_epoch);
  EXPECT_NE(other_epoch, bucketed);
  // The batches are shuffled: the first batch is not simply the shortest windows.
  int32_t first_max = 0;
  for (int k = 0; k < bs; ++k) first_max = std::max(first_max, w[bucketed[k]].length);
  int32_t last_full_max = 0;
  for (int k = (n / bs - 1) * bs; k < (n / bs) * bs; ++k) last_full_max = std::max(last_full_max, w[bucketed[k]].length);
  EXPECT_FALSE(first_max <= 12 && last_full_max >= 124) << "batches left in length order";
}

TEST(BucketByLength, SmallerThanABatch) {
  const auto w = windows_of_lengths(5);
  auto order = epoch_order(5, 1, 0);
  bucket_by_length(w, 32, 50, 1, 0, order);
  ASSERT_EQ(order.size(), 5u);
  for (std::size_t k = 1; k < order.size(); ++k) EXPECT_LE(w[order[k - 1]].length, w[order[k]].length);
}

}  // namespace
}  // namespace warcpairs::stages

namespace warcpairs::stages {
namespace {

// train --token-dropout: about that share of the text tokens becomes [MASK], never [CLS],
// [SEP], [PAD] or a marker (offsets -1), the labels stay; the draw depends on (seed, step,
// window) only.
TEST(TokenDropout, MasksAboutThatShareOfTheWordsOnly) {
  text::SpanWindow w;
  for (int i = 0; i < 2000; ++i) {
    const bool marker = i == 0 || i % 10 == 5 || i == 1999;
    w.input_ids.push_back(marker ? 1 : 2000 + i);
    w.offsets.push_back(marker ? std::pair<int32_t, int32_t>{-1, -1} : std::pair<int32_t, int32_t>{i, i + 1});
  }
  w.length = 2000;
  w.start_token = 7, w.end_token = 9;
  text::SpanWindow a, b, c;
  mask_tokens(w, 0.3, 103, 42, 5, 11, a);
  mask_tokens(w, 0.3, 103, 42, 5, 11, b);
  mask_tokens(w, 0.3, 103, 42, 6, 11, c);
  EXPECT_EQ(a.input_ids, b.input_ids);
  EXPECT_NE(a.input_ids, c.input_ids);
  int masked = 0, words = 0;
  for (int i = 0; i < 2000; ++i) {
    if (w.offsets[i].first < 0) {
      EXPECT_EQ(a.input_ids[i], 1);
      continue;
    }
    ++words;
    masked += a.input_ids[i] == 103;
    EXPECT_TRUE(a.input_ids[i] == 103 || a.input_ids[i] == w.input_ids[i]);
  }
  EXPECT_NEAR(double(masked) / words, 0.3, 0.04);
  EXPECT_EQ(a.offsets, w.offsets);
  EXPECT_EQ(a.start_token, 7);
  EXPECT_EQ(a.end_token, 9);
  mask_tokens(w, 0.0, 103, 42, 5, 11, a);
  EXPECT_EQ(a.input_ids, w.input_ids);
}

}  // namespace
}  // namespace warcpairs::stages
