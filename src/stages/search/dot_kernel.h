// Dot products of one float32 query with rows of float16 vectors: the inner loop of search.
// Chosen once at run time: AVX2 + F16C + FMA (8 halves → 8 floats per instruction, four
// accumulators) where the CPU has them, else a portable loop.
#pragma once

#include <cstddef>
#include <cstdint>

namespace warcpairs::stages {

// out[r] = Σ_j query[j] · float(rows[r·dim + j]) for r < n.
using DotRowsFn = void (*)(const float* query, const uint16_t* rows, std::size_t n,
                           std::size_t dim, float* out);

struct DotKernel {
  const char* name;
  DotRowsFn fn;
};

// The fastest kernel this CPU runs.
DotKernel best_dot_kernel();
// The portable one (tests compare the two).
DotKernel scalar_dot_kernel();

}  // namespace warcpairs::stages
