// ProgressBoard: size × 7 int64 on rank 0; ranks MPI_Put their slot, rank 0 reads locally.
#include "warcpairs/dist/progress_board.h"

#include <mpi.h>

#include <cstring>

#include "root_window.h"

namespace warcpairs::dist {
namespace {
constexpr int kFields = sizeof(RankProgress) / sizeof(int64_t);
static_assert(sizeof(RankProgress) == kFields * sizeof(int64_t), "RankProgress is all int64");
}  // namespace

ProgressBoard::ProgressBoard(const MpiSession& session)
    : session_(session), slots_(std::make_unique<RootWindow>(session, session.size() * kFields)) {}

ProgressBoard::~ProgressBoard() = default;

void ProgressBoard::publish(const RankProgress& mine) {
  const MPI_Win win = slots_->window();
  MPI_Win_lock(MPI_LOCK_SHARED, 0, 0, win);
  MPI_Put(&mine, kFields, MPI_INT64_T, 0, static_cast<MPI_Aint>(session_.rank()) * kFields,
          kFields, MPI_INT64_T, win);
  MPI_Win_unlock(0, win);
}

std::vector<RankProgress> ProgressBoard::read() const {
  std::vector<RankProgress> out(static_cast<size_t>(session_.size()));
  if (!session_.is_root()) return out;
  const MPI_Win win = slots_->window();
  // An exclusive lock on our own window orders our read after every completed Put.
  MPI_Win_lock(MPI_LOCK_EXCLUSIVE, 0, 0, win);
  std::memcpy(static_cast<void*>(out.data()), slots_->local(), out.size() * sizeof(RankProgress));
  MPI_Win_unlock(0, win);
  return out;
}

}  // namespace warcpairs::dist
