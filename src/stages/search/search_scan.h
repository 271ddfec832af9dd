// One rank's share of an exact search: a contiguous slice of all the store's rows (so every
// rank scans the same number, whatever the part sizes), dot products with the query, the
// rank's best k kept. Also the image-id filter that --where and --match make.
#pragma once

#include <cstdint>
#include <vector>

#include "dot_kernel.h"
#include "warcpairs/dist/top_k.h"
#include "warcpairs/store/embedding_query.h"

namespace warcpairs::stages {

// Image ids let through, as bits (image_id i: bit i). Empty set = nothing passes.
class IdFilter {
 public:
  explicit IdFilter(int64_t max_id) : bits_(static_cast<std::size_t>(max_id / 64 + 1), 0), max_(max_id) {}
  void allow(int64_t id) {
    if (id >= 0 && id <= max_) bits_[static_cast<std::size_t>(id / 64)] |= uint64_t{1} << (id % 64);
  }
  bool allows(int64_t id) const {
    return id >= 0 && id <= max_ && (bits_[static_cast<std::size_t>(id / 64)] >> (id % 64)) & 1;
  }
  // Keeps only the ids both allow.
  void intersect(const IdFilter& other);

 private:
  std::vector<uint64_t> bits_;
  int64_t max_;
};

struct ScanShare {
  std::vector<dist::Scored> best;  // this rank's best k, any order
  int64_t scanned = 0;
  double seconds = 0;
};

// rank/size: this rank's slice of the rows of all `parts` (in part order). `filter`: null for
// none. Throws Error naming the file when a part's files are missing, damaged, or disagree
// with the database (rows, dimension).
ScanShare scan_share(const std::vector<store::EmbeddingPart>& parts, const std::vector<float>& query,
                     const IdFilter* filter, float min_similarity, std::size_t k, int rank,
                     int size, DotKernel kernel);

}  // namespace warcpairs::stages
