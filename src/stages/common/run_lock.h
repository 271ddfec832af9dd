// One job per stage per run folder: two `extract` (or `predict`, `score`) jobs on the same RUN
// would write the same shard names and truncate each other's temporary files. Rank 0 holds an
// flock(2) on RUN/.<stage>.lock for the whole job; the kernel drops it when the process ends
// however it ends (SIGKILL included), so a killed job never leaves a stale lock.
#pragma once

#include <filesystem>
#include <memory>
#include <string>

namespace warcpairs::dist {
class MpiSession;
}

namespace warcpairs::stages {

class RunLock {
 public:
  // Takes RUN/.<stage>.lock (creating RUN) and records who holds it. Throws Error naming the
  // holder when another job has it. On a file system without flock (some NFS or Lustre mounts:
  // ENOLCK, EOPNOTSUPP) it warns and goes on unprotected rather than refusing to run.
  RunLock(const std::filesystem::path& run_dir, const std::string& stage);
  ~RunLock();
  RunLock(const RunLock&) = delete;
  RunLock& operator=(const RunLock&) = delete;

 private:
  int fd_ = -1;
};

// Collective: rank 0 takes the lock, every rank throws the same Error when it could not.
std::unique_ptr<RunLock> lock_run(const std::filesystem::path& run_dir, const std::string& stage,
                                  const dist::MpiSession& session);

}  // namespace warcpairs::stages
