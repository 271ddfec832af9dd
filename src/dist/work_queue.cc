// WorkQueue: an int64 counter and a stop flag in an MPI window on rank 0, read and advanced
// with MPI_Fetch_and_op (atomic, passive target: rank 0 need not take part).
#include "warcpairs/dist/work_queue.h"

#include <mpi.h>

#include "root_window.h"

namespace warcpairs::dist {

WorkQueue::WorkQueue(const MpiSession& session, int64_t count)
    : count_(count), slots_(std::make_unique<RootWindow>(session, 2)) {}

// Collective: every rank has drained the queue by now.
WorkQueue::~WorkQueue() = default;

int64_t WorkQueue::fetch(int slot, int64_t add) {
  const MPI_Win win = slots_->window();
  int64_t old = 0;
  MPI_Win_lock(MPI_LOCK_SHARED, 0, 0, win);
  MPI_Fetch_and_op(&add, &old, MPI_INT64_T, 0, slot, add ? MPI_SUM : MPI_NO_OP, win);
  MPI_Win_unlock(0, win);
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
