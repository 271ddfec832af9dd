// Dynamic work handout: a shared counter on rank 0 advanced with MPI one-sided atomics.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>

#include "warcpairs/dist/mpi_session.h"

namespace warcpairs::dist {

// Every rank, rank 0 included, calls next() until it returns nullopt; each index in
// [0, count) is handed out exactly once. MPI_Fetch_and_op under a passive-target lock needs
// no cooperation from rank 0, so a rank busy with a big file never delays the others.
// Collective: all ranks construct it with the same count and destroy it together.
class WorkQueue {
 public:
  WorkQueue(const MpiSession& session, int64_t count);
  ~WorkQueue();
  WorkQueue(const WorkQueue&) = delete;
  WorkQueue& operator=(const WorkQueue&) = delete;

  // The next index, or nullopt when the queue is empty or any rank called stop().
  std::optional<int64_t> next();

  // Tells every rank to take no more work (a rank that received a stop signal calls it, so
  // ranks the signal did not reach stop too, at their next next()).
  void stop();
  // True when some rank called stop() before the queue ran dry.
  bool stopped();

 private:
  int64_t fetch(int slot, int64_t add);
  int64_t count_;
  std::unique_ptr<class RootWindow> slots_;  // on rank 0: {next index, stop flag}
};

}  // namespace warcpairs::dist
