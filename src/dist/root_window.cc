// RootWindow: MPI_Win_allocate on rank 0 only, zeroed under an exclusive lock, then a barrier.
#include "root_window.h"

#include <cstring>

#include "warcpairs/core/error.h"

namespace warcpairs::dist {

RootWindow::RootWindow(const MpiSession& session, int64_t slots) {
  const MPI_Aint bytes = session.is_root() ? static_cast<MPI_Aint>(slots * sizeof(int64_t)) : 0;
  if (MPI_Win_allocate(bytes, sizeof(int64_t), MPI_INFO_NULL, MPI_COMM_WORLD, &base_, &window_) !=
      MPI_SUCCESS)
    throw Error("MPI_Win_allocate failed");
  if (session.is_root()) {
    MPI_Win_lock(MPI_LOCK_EXCLUSIVE, 0, 0, window_);
    std::memset(base_, 0, static_cast<size_t>(bytes));
    MPI_Win_unlock(0, window_);
  }
  session.barrier();
}

RootWindow::~RootWindow() { MPI_Win_free(&window_); }

}  // namespace warcpairs::dist
