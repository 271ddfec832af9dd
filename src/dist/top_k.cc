// TopK and reduce_top_k (top_k.h).
#include "warcpairs/dist/top_k.h"

#include <mpi.h>

#include <algorithm>

#include "warcpairs/core/error.h"

namespace warcpairs::dist {

namespace {
// std::*_heap keep the "largest" at the front: with `better` as "less", that is the worst.
bool heap_less(const Scored& a, const Scored& b) { return better(a, b); }
}  // namespace

void TopK::offer(const Scored& s) {
  if (k_ == 0) return;
  if (heap_.size() < k_) {
    heap_.push_back(s);
    std::push_heap(heap_.begin(), heap_.end(), heap_less);
  } else if (better(s, heap_.front())) {
    std::pop_heap(heap_.begin(), heap_.end(), heap_less);
    heap_.back() = s;
    std::push_heap(heap_.begin(), heap_.end(), heap_less);
  }
}

std::vector<Scored> TopK::take_sorted() {
  std::vector<Scored> out = std::move(heap_);
  heap_.clear();
  std::sort(out.begin(), out.end(), better);
  return out;
}

std::vector<Scored> reduce_top_k(const MpiSession& session, const std::vector<Scored>& mine,
                                 std::size_t k) {
  static_assert(sizeof(Scored) == 16);
  if (mine.size() > static_cast<std::size_t>(INT32_MAX / sizeof(Scored)))
    throw Error("top-k of one rank too large to gather: " + std::to_string(mine.size()));
  const int bytes = static_cast<int>(mine.size() * sizeof(Scored));
  std::vector<int> counts(session.is_root() ? session.size() : 0);
  MPI_Gather(&bytes, 1, MPI_INT, counts.data(), 1, MPI_INT, 0, MPI_COMM_WORLD);
  std::vector<int> displs(counts.size());
  long long total = 0;
  for (std::size_t i = 0; i < counts.size(); ++i) {
    displs[i] = static_cast<int>(total);
    total += counts[i];
  }
  if (total > INT32_MAX) throw Error("top-k candidates of all ranks too large to gather");
  std::vector<Scored> all(static_cast<std::size_t>(total) / sizeof(Scored));
  MPI_Gatherv(mine.data(), bytes, MPI_BYTE, all.data(), counts.data(), displs.data(), MPI_BYTE, 0,
              MPI_COMM_WORLD);
  if (!session.is_root()) return {};
  TopK best(k);
  for (const Scored& s : all) best.offer(s);
  return best.take_sorted();
}

}  // namespace warcpairs::dist
