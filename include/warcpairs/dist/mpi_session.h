// MPI lifetime and rank facts. The only layer that includes <mpi.h> is dist/.
#pragma once

#include <string>
#include <vector>

namespace warcpairs::dist {

// Initialises MPI on construction (works without mpirun: one rank) and finalises on
// destruction, so every return path of a stage leaves MPI in a clean state.
class MpiSession {
 public:
  MpiSession(int* argc, char*** argv);
  ~MpiSession();
  MpiSession(const MpiSession&) = delete;
  MpiSession& operator=(const MpiSession&) = delete;

  int rank() const { return rank_; }
  int size() const { return size_; }
  bool is_root() const { return rank_ == 0; }

  void barrier() const;
  // Rank 0's string on every rank (used to share the expanded input list).
  std::string broadcast(const std::string& from_root) const;
  // Every rank's string, in rank order, on rank 0 (empty elsewhere).
  std::vector<std::string> gather(const std::string& mine) const;
  // Ends the whole job (all ranks) with `code`: for errors one rank cannot recover from.
  [[noreturn]] void abort(int code) const;

 private:
  int rank_ = 0;
  int size_ = 1;
};

}  // namespace warcpairs::dist
