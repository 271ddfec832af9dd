// WorkQueue: an int64 counter and a stop flag in an MPI window on rank 0, read and advanced
// with MPI_Fetch_and_op (atomic, passive target: rank 0 need not take part).
#include "warcpairs/dist/work_queue.h"

#include <mpi.h>

#include "warcpairs/core/error.h"

namespace warcpairs::dist {

WorkQueue::WorkQueue(const MpiSession& session, int64_t count)
    : count_(count), window_(new MPI_Win), slots_(nullptr) {
  MPI_Aint bytes = session.is_root() ? 2 * sizeof(int64_t) : 0;
  auto* win = static_cast<MPI_Win*>(window_);
  if (MPI_Win_allocate(bytes, sizeof(int64_t), MPI_INFO_NULL, MPI_COMM_WORLD, &slots_, win) !=
      MPI_SUCCESS)
    throw Error("MPI_Win_allocate failed for the work queue");
  if (session.is_root()) {
    MPI_Win_lock(MPI_LOCK_EXCLUSIVE, 0, 0, *win);
    slots_[0] = slots_[1] = 0;
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

int64_t WorkQueue::fetch(int slot, int64_t add) {
  auto* win = static_cast<MPI_Win*>(window_);
  int64_t old = 0;
  MPI_Win_lock(MPI_LOCK_SHARED, 0, 0, *win);
  MPI_Fetch_and_op(&add, &old, MPI_INT64_T, 0, slot, add ? MPI_SUM : MPI_NO_OP, *win);
  MPI_Win_unlock(0, *win);
  return old;
}

std::optional<int64_t> WorkQueue::next() {
  if (fetch(1, 0) != 0) return std::nullopt;  // stopped: leave the rest for the rerun
  const int64_t taken = fetch(0, 1);
  if (taken >= count_) return std::nullopt;
  return taken;
}

void WorkQueue::stop() { fetch(1, 1); }

bool WorkQueue::stopped() { return fetch(1, 0) != 0; }

}  // namespace warcpairs::dist
