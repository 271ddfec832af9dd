// TopK and reduce_top_k under mpirun -np 1..3: the global best k equals the best k of all
// candidates, ties broken by the lower id, whatever rank held what.
#include "warcpairs/dist/top_k.h"

#include <gtest/gtest.h>

#include <algorithm>

namespace warcpairs::dist {
MpiSession& test_session();
namespace {

TEST(TopK, KeepsTheBestWithTiesToTheLowerId) {
  TopK top(3);
  for (const Scored& s : std::vector<Scored>{{0.5f, 9}, {0.9f, 4}, {0.5f, 2}, {0.1f, 1}, {0.5f, 3}, {0.9f, 7}})
    top.offer(s);
  const auto best = top.take_sorted();
  ASSERT_EQ(best.size(), 3u);
  EXPECT_EQ(best[0].id, 4);
  EXPECT_EQ(best[1].id, 7);
  EXPECT_EQ(best[2].id, 2);  // 0.5 by ids 2, 3, 9: the lowest
}

TEST(TopK, ReduceEqualsTheBestOfAllRanksCandidates) {
  MpiSession& s = test_session();
  // Candidates depend on the id only, spread over the ranks by id; many ties.
  auto score = [](int64_t id) { return float((id * 7919) % 101) / 100.0f; };
  const std::size_t k = 25;
  TopK mine(k);
  for (int64_t id = 1; id <= 1000; ++id)
    if (id % s.size() == s.rank()) mine.offer({score(id), id});
  const auto best = reduce_top_k(s, mine.take_sorted(), k);
  if (!s.is_root()) {
    EXPECT_TRUE(best.empty());
    return;
  }
  std::vector<Scored> all;
  for (int64_t id = 1; id <= 1000; ++id) all.push_back({score(id), id});
  std::sort(all.begin(), all.end(), better);
  ASSERT_EQ(best.size(), k);
  for (std::size_t i = 0; i < k; ++i) {
    EXPECT_EQ(best[i].id, all[i].id) << i;
    EXPECT_EQ(best[i].score, all[i].score) << i;
  }
}

}  // namespace
}  // namespace warcpairs::dist
