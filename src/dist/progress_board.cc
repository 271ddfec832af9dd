// ProgressBoard: size × 7 int64 on rank 0; ranks MPI_Put their slot, rank 0 reads locally.
#include "warcpairs/dist/progress_board.h"

#include <mpi.h>

#include <cstring>

#include "warcpairs/core/error.h"

namespace warcpairs::dist {
namespace {
constexpr int kFields = sizeof(RankProgress) / sizeof(int64_t);
static_assert(sizeof(RankProgress) == kFields * sizeof(int64_t), "RankProgress is all int64");
}  // namespace

ProgressBoard::ProgressBoard(const MpiSession& session)
    : session_(session), window_(new MPI_Win), base_(nullptr) {
  const MPI_Aint bytes = session.is_root() ? session.size() * sizeof(RankProgress) : 0;
  auto* win = static_cast<MPI_Win*>(window_);
  if (MPI_Win_allocate(bytes, sizeof(int64_t), MPI_INFO_NULL, MPI_COMM_WORLD, &base_, win) !=
      MPI_SUCCESS)
    throw Error("MPI_Win_allocate failed for the progress board");
  if (session.is_root()) {
    MPI_Win_lock(MPI_LOCK_EXCLUSIVE, 0, 0, *win);
    std::memset(base_, 0, bytes);
    MPI_Win_unlock(0, *win);
  }
  session.barrier();
}

ProgressBoard::~ProgressBoard() {
  auto* win = static_cast<MPI_Win*>(window_);
  MPI_Win_free(win);
  delete win;
}

void ProgressBoard::publish(const RankProgress& mine) {
  auto* win = static_cast<MPI_Win*>(window_);
  MPI_Win_lock(MPI_LOCK_SHARED, 0, 0, *win);
  MPI_Put(&mine, kFields, MPI_INT64_T, 0, static_cast<MPI_Aint>(session_.rank()) * kFields,
          kFields, MPI_INT64_T, *win);
  MPI_Win_unlock(0, *win);
}

std::vector<RankProgress> ProgressBoard::read() const {
  std::vector<RankProgress> out(static_cast<size_t>(session_.size()));
  if (!session_.is_root()) return out;
  auto* win = static_cast<MPI_Win*>(window_);
  // An exclusive lock on our own window orders our read after every completed Put.
  MPI_Win_lock(MPI_LOCK_EXCLUSIVE, 0, 0, *win);
  std::memcpy(out.data(), base_, out.size() * sizeof(RankProgress));
  MPI_Win_unlock(0, *win);
  return out;
}

}  // namespace warcpairs::dist
