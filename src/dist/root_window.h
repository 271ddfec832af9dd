// An MPI window of int64 slots held by rank 0 and reached one-sided by every rank: the
// memory behind WorkQueue and ProgressBoard. Internal to dist/.
#pragma once

#include <mpi.h>

#include <cstdint>

#include "warcpairs/dist/mpi_session.h"

namespace warcpairs::dist {

class RootWindow {
 public:
  // Collective: every rank constructs it with the same `slots`; rank 0's are zeroed before
  // any rank can touch them.
  RootWindow(const MpiSession& session, int64_t slots);
  ~RootWindow();  // collective too
  RootWindow(const RootWindow&) = delete;
  RootWindow& operator=(const RootWindow&) = delete;

  MPI_Win window() const { return window_; }
  int64_t* local() const { return base_; }  // rank 0's slots (nullptr elsewhere)

 private:
  MPI_Win window_ = MPI_WIN_NULL;
  int64_t* base_ = nullptr;
};

}  // namespace warcpairs::dist
