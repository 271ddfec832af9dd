// Live progress of every rank, readable by rank 0 at any moment without a collective call:
// each rank writes its counters into its own slot of an MPI window on rank 0.
#pragma once

#include <cstdint>
#include <memory>
#include <vector>

#include "warcpairs/dist/mpi_session.h"

namespace warcpairs::dist {

struct RankProgress {
  int64_t files = 0;     // files finished
  int64_t bytes = 0;     // WARC bytes read (finished files plus the current one so far)
  int64_t records = 0;
  int64_t pages = 0;
  int64_t images = 0;
  int64_t skips = 0;
  int64_t finished = 0;  // 1 once the rank took its last work
};

// Collective construction and destruction, like WorkQueue.
class ProgressBoard {
 public:
  explicit ProgressBoard(const MpiSession& session);
  ~ProgressBoard();
  ProgressBoard(const ProgressBoard&) = delete;
  ProgressBoard& operator=(const ProgressBoard&) = delete;

  // Replaces this rank's slot (cheap: one MPI_Put under a shared lock).
  void publish(const RankProgress& mine);
  // Rank 0 only: every rank's latest slot.
  std::vector<RankProgress> read() const;

 private:
  const MpiSession& session_;
  std::unique_ptr<class RootWindow> slots_;  // on rank 0: size × RankProgress
};

}  // namespace warcpairs::dist
