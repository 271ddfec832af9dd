// MpiSession: MPI_Init/Finalize, barrier, broadcast and gather of strings.
#include "warcpairs/dist/mpi_session.h"

#include <mpi.h>

#include <algorithm>
#include <cstdlib>
#include <thread>

#include "warcpairs/core/error.h"

namespace warcpairs::dist {

MpiSession::MpiSession(int* argc, char*** argv) {
  int initialized = 0;
  MPI_Initialized(&initialized);
  if (!initialized) {
    int provided = 0;
    if (MPI_Init_thread(argc, argv, MPI_THREAD_FUNNELED, &provided) != MPI_SUCCESS)
      throw Error("MPI_Init_thread failed");
  }
  // Errors abort the job by default; return codes are checked where recovery is possible.
  MPI_Comm_rank(MPI_COMM_WORLD, &rank_);
  MPI_Comm_size(MPI_COMM_WORLD, &size_);
}

MpiSession::~MpiSession() {
  int finalized = 0;
  MPI_Finalized(&finalized);
  if (!finalized) MPI_Finalize();
}

void MpiSession::barrier() const { MPI_Barrier(MPI_COMM_WORLD); }

std::string MpiSession::broadcast(const std::string& from_root) const {
  long long length = static_cast<long long>(from_root.size());
  MPI_Bcast(&length, 1, MPI_LONG_LONG, 0, MPI_COMM_WORLD);
  std::string out = is_root() ? from_root : std::string(static_cast<size_t>(length), '\0');
  // MPI counts are int: send in pieces so a list of millions of paths still fits.
  constexpr long long kPiece = 1 << 30;
  for (long long done = 0; done < length; done += kPiece) {
    int n = static_cast<int>(std::min(kPiece, length - done));
    MPI_Bcast(out.data() + done, n, MPI_CHAR, 0, MPI_COMM_WORLD);
  }
  return out;
}

std::vector<std::string> MpiSession::gather(const std::string& mine) const {
  int length = static_cast<int>(mine.size());
  std::vector<int> lengths(is_root() ? size_ : 0);
  MPI_Gather(&length, 1, MPI_INT, lengths.data(), 1, MPI_INT, 0, MPI_COMM_WORLD);
  std::vector<int> displs(lengths.size());
  int total = 0;
  for (size_t i = 0; i < lengths.size(); ++i) {
    displs[i] = total;
    total += lengths[i];
  }
  std::string all(static_cast<size_t>(total), '\0');
  MPI_Gatherv(mine.data(), length, MPI_CHAR, all.data(), lengths.data(), displs.data(), MPI_CHAR,
              0, MPI_COMM_WORLD);
  std::vector<std::string> out;
  for (size_t i = 0; i < lengths.size(); ++i) out.push_back(all.substr(displs[i], lengths[i]));
  return out;
}

namespace {
template <class T>
void allreduce_in_pieces(T* data, std::size_t n, MPI_Datatype type) {
  constexpr std::size_t kPiece = std::size_t{1} << 30;
  for (std::size_t done = 0; done < n; done += kPiece) {
    const int count = static_cast<int>(std::min(kPiece, n - done));
    MPI_Allreduce(MPI_IN_PLACE, data + done, count, type, MPI_SUM, MPI_COMM_WORLD);
  }
}
}  // namespace

void MpiSession::allreduce_sum(float* data, std::size_t n) const {
  if (size_ > 1) allreduce_in_pieces(data, n, MPI_FLOAT);
}

void MpiSession::allreduce_sum(double* data, std::size_t n) const {
  if (size_ > 1) allreduce_in_pieces(data, n, MPI_DOUBLE);
}

void MpiSession::allreduce_max(uint8_t* data, std::size_t n) const {
  if (size_ == 1) return;
  constexpr std::size_t kPiece = std::size_t{1} << 30;
  for (std::size_t done = 0; done < n; done += kPiece) {
    const int count = static_cast<int>(std::min(kPiece, n - done));
    MPI_Allreduce(MPI_IN_PLACE, data + done, count, MPI_UNSIGNED_CHAR, MPI_MAX, MPI_COMM_WORLD);
  }
}

bool MpiSession::any(bool mine) const {
  int v = mine ? 1 : 0;
  if (size_ > 1) MPI_Allreduce(MPI_IN_PLACE, &v, 1, MPI_INT, MPI_MAX, MPI_COMM_WORLD);
  return v != 0;
}

int NodePlace::cores_per_rank() const {
  const int cores = static_cast<int>(std::thread::hardware_concurrency());
  return std::max(1, cores / std::max(1, size));
}

NodePlace MpiSession::node_place() const {
  if (size_ == 1) return {};
  MPI_Comm node;
  MPI_Comm_split_type(MPI_COMM_WORLD, MPI_COMM_TYPE_SHARED, rank_, MPI_INFO_NULL, &node);
  NodePlace place;
  MPI_Comm_rank(node, &place.rank);
  MPI_Comm_size(node, &place.size);
  MPI_Comm_free(&node);
  return place;
}

void MpiSession::abort(int code) const {
  MPI_Abort(MPI_COMM_WORLD, code);
  std::exit(code);
}

}  // namespace warcpairs::dist
