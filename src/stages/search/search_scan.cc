// scan_share (search_scan.h): parts memory-mapped, dot products a block of rows at a time, the
// candidates checked against the heap's worst before anything else.
#include "search_scan.h"

#include <algorithm>
#include <chrono>

#include "warcpairs/core/error.h"
#include "warcpairs/store/npy.h"

namespace warcpairs::stages {

void IdFilter::intersect(const IdFilter& other) {
  for (std::size_t i = 0; i < bits_.size(); ++i)
    bits_[i] &= i < other.bits_.size() ? other.bits_[i] : 0;
}

namespace {

constexpr std::size_t kBlockRows = 1024;

// Rows [first, last) of one part.
void scan_part(const store::EmbeddingPart& part, int64_t first, int64_t last,
               const std::vector<float>& query, const IdFilter* filter, float min_similarity,
               dist::TopK& top, DotKernel kernel, ScanShare& out) {
  store::NpyMap vectors(part.vectors, "<f2", 2);
  store::NpyMap ids(part.ids, "<i8", 1);
  if (vectors.shape()[0] != part.rows || vectors.shape()[1] != part.dim)
    throw Error("holds " + std::to_string(vectors.shape()[0]) + " x " +
                    std::to_string(vectors.shape()[1]) + " embeddings; the database says " +
                    std::to_string(part.rows) + " x " + std::to_string(part.dim),
                part.vectors.string());
  if (ids.shape()[0] != part.rows)
    throw Error("holds " + std::to_string(ids.shape()[0]) + " ids; the database says " +
                    std::to_string(part.rows), part.ids.string());
  vectors.advise_sequential();
  const auto dim = static_cast<std::size_t>(part.dim);
  const auto* rows = static_cast<const uint16_t*>(vectors.data());
  const auto* image_ids = static_cast<const int64_t*>(ids.data());
  float sims[kBlockRows];
  for (int64_t at = first; at < last; at += int64_t(kBlockRows)) {
    const std::size_t n = static_cast<std::size_t>(std::min<int64_t>(kBlockRows, last - at));
    kernel.fn(query.data(), rows + static_cast<std::size_t>(at) * dim, n, dim, sims);
    for (std::size_t i = 0; i < n; ++i) {
      const float s = sims[i];
      if (!(s >= min_similarity) || !top.wants(s)) continue;  // NaN (a damaged row) never passes
      const int64_t row = at + static_cast<int64_t>(i), id = image_ids[row];
      if (filter && !filter->allows(id)) continue;
      if (!part.superseded.empty() &&
          std::binary_search(part.superseded.begin(), part.superseded.end(), row))
        continue;
      top.offer({s, id});
    }
  }
  out.scanned += last - first;
}

}  // namespace

ScanShare scan_share(const std::vector<store::EmbeddingPart>& parts, const std::vector<float>& query,
                     const IdFilter* filter, float min_similarity, std::size_t k, int rank,
                     int size, DotKernel kernel) {
  const auto started = std::chrono::steady_clock::now();
  int64_t total = 0;
  for (const auto& p : parts) total += p.rows;
  const int64_t mine_first = total * rank / size, mine_last = total * (rank + 1) / size;
  ScanShare out;
  dist::TopK top(k);
  int64_t base = 0;
  for (const auto& p : parts) {
    const int64_t first = std::max(mine_first, base), last = std::min(mine_last, base + p.rows);
    if (first < last) scan_part(p, first - base, last - base, query, filter, min_similarity, top, kernel, out);
    base += p.rows;
  }
  out.best = top.take_sorted();
  out.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  return out;
}

}  // namespace warcpairs::stages
