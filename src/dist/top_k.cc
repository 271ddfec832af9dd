// TopK and reduce_top_k (top_k.h).
#include "warcpairs/dist/top_k.h"

#include <mpi.h>

#include <algorithm>
#include <limits>

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

namespace {

// A padding entry, worse than every real one.
constexpr Scored kNone{-std::numeric_limits<float>::infinity(), std::numeric_limits<int64_t>::max()};

// MPI_User_function: inout = the best k of in ∪ inout, both best-first lists of k (padded).
void merge_lists(void* in, void* inout, int* len, MPI_Datatype* type) {
  int bytes = 0;
  MPI_Type_size(*type, &bytes);
  const std::size_t k = static_cast<std::size_t>(bytes) / sizeof(Scored);
  auto* a = static_cast<const Scored*>(in);
  auto* b = static_cast<Scored*>(inout);
  std::vector<Scored> out(k);
  for (int n = 0; n < *len; ++n, a += k, b += k) {
    std::size_t i = 0, j = 0;
    for (std::size_t o = 0; o < k; ++o) out[o] = better(a[i], b[j]) ? a[i++] : b[j++];
    std::copy(out.begin(), out.end(), b);
  }
}

}  // namespace

std::vector<Scored> reduce_top_k(const MpiSession& session, const std::vector<Scored>& mine,
                                 std::size_t k) {
  static_assert(sizeof(Scored) == 16);
  if (k == 0) return {};
  if (k > static_cast<std::size_t>(INT32_MAX) / sizeof(Scored))
    throw Error("top-k too large to reduce: " + std::to_string(k));
  std::vector<Scored> list(mine);
  std::sort(list.begin(), list.end(), better);
  list.resize(k, kNone);
  std::vector<Scored> result(session.is_root() ? k : 0);
  MPI_Datatype type;
  MPI_Type_contiguous(static_cast<int>(k * sizeof(Scored)), MPI_BYTE, &type);
  MPI_Type_commit(&type);
  MPI_Op op;
  MPI_Op_create(merge_lists, /*commute=*/1, &op);  // (score, id) is a total order
  MPI_Reduce(list.data(), result.data(), 1, type, op, 0, MPI_COMM_WORLD);
  MPI_Op_free(&op);
  MPI_Type_free(&type);
  while (!result.empty() && result.back().id == kNone.id && result.back().score == kNone.score)
    result.pop_back();
  return result;
}

}  // namespace warcpairs::dist
