// WorkQueue under mpirun: every index handed out exactly once, every rank gets work.
// Runs as `mpirun -np N dist_test`; a custom main owns the MPI session for all tests.
#include "warcpairs/dist/work_queue.h"
#include "warcpairs/dist/progress_board.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <set>
#include <sstream>

namespace warcpairs::dist {
namespace {
MpiSession* session = nullptr;

std::vector<int64_t> drain(WorkQueue& queue, int sleep_us) {
  std::vector<int64_t> mine;
  while (auto i = queue.next()) {
    mine.push_back(*i);
    if (sleep_us) usleep(sleep_us);
  }
  return mine;
}

std::string join(const std::vector<int64_t>& v) {
  std::ostringstream out;
  for (auto i : v) out << i << ' ';
  return out.str();
}
}  // namespace

TEST(WorkQueue, HandsOutEveryIndexExactlyOnce) {
  const int64_t count = 200;
  WorkQueue queue(*session, count);
  auto mine = drain(queue, 200);
  auto all = session->gather(join(mine));
  if (!session->is_root()) return;
  std::multiset<int64_t> seen;
  for (const auto& part : all) {
    std::istringstream in(part);
    int64_t i;
    while (in >> i) seen.insert(i);
    // With a sleep per item every rank, rank 0 included, gets a share.
    if (session->size() > 1) { EXPECT_FALSE(part.empty()) << "a rank took no work"; }
  }
  ASSERT_EQ(seen.size(), static_cast<size_t>(count));
  for (int64_t i = 0; i < count; ++i) EXPECT_EQ(seen.count(i), 1u) << i;
}

TEST(WorkQueue, StopByOneRankEndsTheHandoutForAll) {
  const int64_t count = 1000;
  WorkQueue queue(*session, count);
  int64_t mine = 0;
  // The last rank stops after its third item; the others then run dry early.
  while (auto i = queue.next()) {
    ++mine;
    if (session->rank() == session->size() - 1 && mine == 3) queue.stop();
    usleep(100);
  }
  EXPECT_TRUE(queue.stopped());
  auto all = session->gather(std::to_string(mine));
  if (session->is_root()) {
    int64_t total = 0;
    for (const auto& s : all) total += std::stoll(s);
    EXPECT_LT(total, count) << "the stop did not end the hand-out";
  }
  session->barrier();
}

TEST(ProgressBoard, RankZeroSeesEveryRanksLatestSlotWithoutACollective) {
  ProgressBoard board(*session);
  const int r = session->rank();
  for (int step = 1; step <= 5; ++step)
    board.publish({.files = step, .bytes = 1000 * r + step, .pages = r, .finished = step == 5});
  session->barrier();  // only so the test knows every Put completed
  auto slots = board.read();
  if (session->is_root()) {
    ASSERT_EQ(slots.size(), static_cast<size_t>(session->size()));
    for (int i = 0; i < session->size(); ++i) {
      EXPECT_EQ(slots[i].files, 5);
      EXPECT_EQ(slots[i].bytes, 1000 * i + 5);
      EXPECT_EQ(slots[i].pages, i);
      EXPECT_EQ(slots[i].finished, 1);
    }
  }
  session->barrier();
}

TEST(WorkQueue, EmptyQueueEndsAtOnce) {
  WorkQueue queue(*session, 0);
  EXPECT_FALSE(queue.next().has_value());
}

TEST(MpiSession, BroadcastAndGatherStrings) {
  std::string big(3'000'000, 'x');
  big[123] = 'y';
  auto got = session->broadcast(session->is_root() ? big : std::string());
  EXPECT_EQ(got, big);
  auto all = session->gather("rank" + std::to_string(session->rank()));
  if (session->is_root()) {
    ASSERT_EQ(all.size(), static_cast<size_t>(session->size()));
    EXPECT_EQ(all.back(), "rank" + std::to_string(session->size() - 1));
  }
}

// The session of the tests in other files of dist_test (top_k_test.cc).
MpiSession& test_session() { return *session; }

}  // namespace warcpairs::dist

int main(int argc, char** argv) {
  warcpairs::dist::MpiSession mpi(&argc, &argv);
  warcpairs::dist::session = &mpi;
  ::testing::InitGoogleTest(&argc, argv);
  // Only rank 0 prints, so ctest logs stay readable.
  if (!mpi.is_root()) {
    auto& listeners = ::testing::UnitTest::GetInstance()->listeners();
    delete listeners.Release(listeners.default_result_printer());
  }
  int failed = RUN_ALL_TESTS();
  // Any rank's failure fails the job.
  auto all = mpi.gather(std::to_string(failed));
  int any = 0;
  for (const auto& s : all) any |= std::stoi(s);
  mpi.barrier();
  return mpi.is_root() ? any : failed;
}
