// Id-range shard names round-trip and keep to their stem; the plan is [1, max] minus what
// is covered, cut at multiples of rows per shard.
#include "warcpairs/stages/common/range_ledger.h"

#include <gtest/gtest.h>

namespace warcpairs::stages {

TEST(RangeShardName, RoundTripsAndKeepsToItsStem) {
  EXPECT_EQ(range_shard_name("predict-00ff", {1, 2000}), "predict-00ff-000000001-000002000.h5");
  EXPECT_EQ(parse_range_shard_name("predict-00ff", "predict-00ff-000000001-000002000.h5"),
            (IdRange{1, 2000}));
  EXPECT_EQ(parse_range_shard_name("score", "score-1234567890-1234567899.h5"),
            (IdRange{1234567890, 1234567899}));
  for (auto bad : {"score-000000001-000000002.h5.tmp", "score-c000001.h5", "score-1-.h5",
                   "score-000000005-000000002.h5", "score-0-2.h5", "scores-1-2.h5",
                   "score-00ff00ff00ff00ff-000000001-000000002.h5", "score-1-2-3.h5",
                   "extract-a.warc-00ff.p00000.h5"})
    EXPECT_FALSE(parse_range_shard_name("score", bad)) << bad;
  EXPECT_EQ(parse_chunk_shard_name("predict-00ff", "predict-00ff-c000042.h5"), 42);
  EXPECT_EQ(parse_chunk_shard_name("score", "score-c000000.h5"), 0);
  EXPECT_FALSE(parse_chunk_shard_name("score", "score-00ff-c000000.h5"));
  EXPECT_FALSE(parse_chunk_shard_name("score", "score-000000001-000000002.h5"));
}

TEST(UncoveredRanges, AreTheGapsCutAtTheShardGrid) {
  using V = std::vector<IdRange>;
  EXPECT_EQ(uncovered_ranges({}, 0, 10), V{});
  EXPECT_EQ(uncovered_ranges({}, 25, 10), (V{{1, 10}, {11, 20}, {21, 25}}));
  // New ids after a run that covered 1..13: the rest of 11..20, then the next ranges.
  EXPECT_EQ(uncovered_ranges({{1, 10}, {11, 13}}, 32, 10), (V{{14, 20}, {21, 30}, {31, 32}}));
  EXPECT_EQ(uncovered_ranges({{11, 13}, {1, 10}}, 13, 10), V{});
  // Gaps in the middle, overlaps, and coverage past max_id (max went down: nothing to do).
  EXPECT_EQ(uncovered_ranges({{1, 3}, {2, 5}, {9, 12}, {15, 40}}, 20, 10), (V{{6, 8}, {13, 14}}));
  EXPECT_EQ(uncovered_ranges({{1, 40}}, 20, 10), V{});
}

}  // namespace warcpairs::stages
