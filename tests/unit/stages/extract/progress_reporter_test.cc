// The progress line: sums of every rank's slot, rates and ETA from bytes.
#include "warcpairs/stages/extract/progress_reporter.h"

#include <gtest/gtest.h>

namespace warcpairs::stages {

TEST(ProgressReporter, SumsRanksAndEstimatesTheRest) {
  ProgressReporter reporter("extract", 10, 400'000'000, true);
  std::vector<dist::RankProgress> ranks(2);
  ranks[0] = {.files = 2, .bytes = 60'000'000, .records = 900, .pages = 300, .images = 4000, .skips = 1};
  ranks[1] = {.files = 3, .bytes = 40'000'000, .records = 800, .pages = 200, .images = 3000,
              .skips = 2, .finished = 1};
  // 100 MB of 400 MB in 10 s: 10 MB/s, 300 MB left → 30 s.
  EXPECT_EQ(reporter.format(ranks, 10.0),
            "extract:  25.0% files 5/10 | 500 pages 7000 images | 10.0 MB/s 50 pages/s | ETA 30s | "
            "3 skipped | 1 ranks working");
  ranks[0].bytes = 10'000'000;  // 50 MB in 100 s → 350 MB left at 0.5 MB/s = 700 s
  EXPECT_NE(reporter.format(ranks, 100.0).find("ETA 11m40s"), std::string::npos);
  EXPECT_NE(reporter.format(ranks, 0.0).find("ETA ?"), std::string::npos);
}

}  // namespace warcpairs::stages
