// The best k scored ids: a bounded heap each rank fills while it scans, and the collective
// that reduces every rank's heap to the global best k on rank 0. "Best" is a higher score,
// and among equal scores the lower id, so the result does not depend on the number of ranks
// or on which rank scanned what.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "warcpairs/dist/mpi_session.h"

namespace warcpairs::dist {

struct Scored {
  float score = 0;
  int64_t id = 0;
};

inline bool better(const Scored& a, const Scored& b) {
  return a.score > b.score || (a.score == b.score && a.id < b.id);
}

// Keeps the k best of everything offered: O(log k) per kept offer, O(1) per refused one.
class TopK {
 public:
  explicit TopK(std::size_t k) : k_(k) {}
  // Whether `s` would be kept now (a scan checks this before it builds the candidate).
  bool wants(float score) const { return heap_.size() < k_ || score >= heap_.front().score; }
  void offer(const Scored& s);
  // The kept entries, best first; the heap is left empty.
  std::vector<Scored> take_sorted();
  std::size_t size() const { return heap_.size(); }

 private:
  std::size_t k_;
  std::vector<Scored> heap_;  // a heap whose front is the worst kept entry
};

// Collective: every rank's candidates (its TopK, at most k, in any order) → the best k of all
// of them, best first, on rank 0; an empty vector on the other ranks. An MPI_Reduce whose
// operation merges two best-first lists of k, so MPI combines the ranks' lists in a tree:
// k entries per message, log2(ranks) steps, rank 0 never holds more than two lists.
std::vector<Scored> reduce_top_k(const MpiSession& session, const std::vector<Scored>& mine,
                                 std::size_t k);

}  // namespace warcpairs::dist
