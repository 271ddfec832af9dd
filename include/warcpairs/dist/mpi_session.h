// MPI lifetime and rank facts. The only layer that includes <mpi.h> is dist/.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace warcpairs::dist {

struct NodePlace {
  int rank = 0;  // among the ranks on this node
  int size = 1;  // ranks on this node
  // The node's cores shared by the ranks on it (at least 1): the default thread count of a
  // rank's LibTorch or other compute pool.
  int cores_per_rank() const;
};

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
  // Element-wise sum over all ranks, in place (MPI_Allreduce; split into int-sized pieces).
  void allreduce_sum(float* data, std::size_t n) const;
  void allreduce_sum(double* data, std::size_t n) const;
  // Element-wise maximum over all ranks, in place (e.g. 0/1 flags: "any rank has it").
  void allreduce_max(uint8_t* data, std::size_t n) const;
  // True on every rank when `mine` is true on any rank (e.g. "a stop signal arrived").
  bool any(bool mine) const;
  // Where this process sits on its node (MPI_COMM_TYPE_SHARED), for picking the node-local
  // GPU and sharing the cores; rank matches OMPI_COMM_WORLD_LOCAL_RANK / SLURM_LOCALID.
  // Collective.
  NodePlace node_place() const;

  // Ends the whole job (all ranks) with `code`: for errors one rank cannot recover from.
  [[noreturn]] void abort(int code) const;

 private:
  int rank_ = 0;
  int size_ = 1;
};

}  // namespace warcpairs::dist
