// WorkQueue: one int64 counter in an MPI window on rank 0, advanced by MPI_Fetch_and_op.
#include "warcpairs/dist/work_queue.h"

#include <mpi.h>

#include "warcpairs/core/error.h"

namespace warcpairs::dist {

WorkQueue::WorkQueue(const MpiSession& session, int64_t count)
    : count_(count), window_(new MPI_Win), counter_(nullptr) {
  MPI_Aint bytes = session.is_root() ? sizeof(int64_t) : 0;
  auto* win = static_cast<MPI_Win*>(window_);
  if (MPI_Win_allocate(bytes, sizeof(int64_t), MPI_INFO_NULL, MPI_COMM_WORLD, &counter_, win) !=
      MPI_SUCCESS)
    throw Error("MPI_Win_allocate failed for the work queue");
  if (session.is_root()) {
    MPI_Win_lock(MPI_LOCK_EXCLUSIVE, 0, 0, *win);
    *counter_ = 0;
    MPI_Win_unlock(0, *win);
  }
  // Nobody may take work before the counter is zeroed.
  session.barrier();
}

WorkQueue::~WorkQueue() {
  auto* win = static_cast<MPI_Win*>(window_);
  MPI_Win_free(win);  // collective: every rank has drained the queue by now
  delete win;
}

std::optional<int64_t> WorkQueue::next() {
  auto* win = static_cast<MPI_Win*>(window_);
  const int64_t one = 1;
  int64_t taken = 0;
  MPI_Win_lock(MPI_LOCK_SHARED, 0, 0, *win);
  MPI_Fetch_and_op(&one, &taken, MPI_INT64_T, 0, 0, MPI_SUM, *win);
  MPI_Win_unlock(0, *win);
  if (taken >= count_) return std::nullopt;
  return taken;
}

}  // namespace warcpairs::dist
