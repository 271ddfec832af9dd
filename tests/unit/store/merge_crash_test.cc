// SIGKILL during merge: afterwards the database is intact and each shard is fully in or out.
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <thread>

#include "db_query.h"
#include "store_fixture.h"
#include "warcpairs/store/database.h"

namespace warcpairs::store::testing {
namespace fs = std::filesystem;

TEST_F(StoreTest, SigkillDuringMergeKeepsEachShardAllOrNothing) {
  const int kShards = 4;
  const int64_t kPages = 3000;
  for (int s = 0; s < kShards; ++s)
    write_synthetic_shard(dir_ / ("s" + std::to_string(s) + ".h5"),
                          "/w" + std::to_string(s) + ".warc", kPages);
  const fs::path db_path = dir_ / "w.sqlite";
  { Database create(db_path); }
  // Kill the merging child after growing delays, so kills land in different shards and phases.
  for (int delay_ms : {5, 20, 45, 80, 130}) {
    pid_t pid = ::fork();
    ASSERT_GE(pid, 0);
    if (pid == 0) {
      Database db(db_path);
      for (int s = 0; s < kShards; ++s) db.merge_shard(dir_ / ("s" + std::to_string(s) + ".h5"));
      ::_exit(0);
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(delay_ms));
    ::kill(pid, SIGKILL);
    int status = 0;
    ::waitpid(pid, &status, 0);
    Query q(db_path);
    EXPECT_EQ(q.text("PRAGMA integrity_check"), "ok");
    EXPECT_EQ(q.text("PRAGMA foreign_key_check"), "");
    int64_t merged = q.count("SELECT count(*) FROM shards");
    std::printf("kill after %d ms: %lld shards merged\n", delay_ms, static_cast<long long>(merged));
    EXPECT_EQ(q.count("SELECT count(*) FROM pages"), merged * kPages) << "delay " << delay_ms;
    EXPECT_EQ(q.count("SELECT count(*) FROM images"), merged * 3 * kPages);
    EXPECT_EQ(q.count("SELECT count(*) FROM files"), merged);
  }
  // A final uninterrupted run completes the set: nothing lost, nothing twice.
  {
    Database db(db_path);
    for (int s = 0; s < kShards; ++s) db.merge_shard(dir_ / ("s" + std::to_string(s) + ".h5"));
  }
  Query q(db_path);
  EXPECT_EQ(q.count("SELECT count(*) FROM shards"), kShards);
  EXPECT_EQ(q.count("SELECT count(*) FROM pages"), kShards * kPages);
  EXPECT_EQ(q.count("SELECT count(DISTINCT url) FROM pages"), kPages);
  EXPECT_EQ(q.count("SELECT count(*) FROM images"), kShards * 3 * kPages);
}

}  // namespace warcpairs::store::testing
