// Dynamic work handout: a shared counter on rank 0 advanced with MPI one-sided atomics.
#pragma once

#include <cstdint>
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

  std::optional<int64_t> next();

 private:
  int64_t count_;
  void* window_;      // MPI_Win, kept opaque so <mpi.h> stays inside dist/
  int64_t* counter_;  // rank 0's memory behind the window
};

}  // namespace warcpairs::dist
