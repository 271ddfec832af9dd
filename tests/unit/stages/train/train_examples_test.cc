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
