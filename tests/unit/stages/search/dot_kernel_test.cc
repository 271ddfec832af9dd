// The search kernels: AVX2 (where the CPU has it) equals the portable loop and a double
// reference, for dimensions with and without a tail; the id filter's set operations.
#include <gtest/gtest.h>

#include <cmath>
#include <random>

#include "../../../../src/stages/search/dot_kernel.h"
#include "../../../../src/stages/search/search_scan.h"
#include "warcpairs/core/float16.h"

namespace warcpairs::stages {
namespace {

TEST(DotKernel, EveryKernelMatchesADoubleReference) {
  std::mt19937 rng(5);
  std::normal_distribution<float> g;
  for (std::size_t dim : {1u, 7u, 32u, 33u, 512u, 768u}) {
    const std::size_t n = 37;
    std::vector<float> q(dim), rows(n * dim), back(n * dim);
    for (auto& v : q) v = g(rng);
    for (auto& v : rows) v = g(rng);
    std::vector<uint16_t> halves(n * dim);
    to_float16(rows.data(), rows.size(), halves.data());
    from_float16(halves.data(), halves.size(), back.data());
    for (const DotKernel k : {scalar_dot_kernel(), best_dot_kernel()}) {
      std::vector<float> out(n);
      k.fn(q.data(), halves.data(), n, dim, out.data());
      for (std::size_t r = 0; r < n; ++r) {
        double want = 0;
        for (std::size_t j = 0; j < dim; ++j) want += double(q[j]) * back[r * dim + j];
        EXPECT_NEAR(out[r], want, 1e-4 * std::sqrt(double(dim))) << k.name << " dim " << dim << " row " << r;
      }
    }
  }
}

TEST(DotKernel, TheFastKernelIsChosenWhereTheCpuHasIt) {
  __builtin_cpu_init();
  const bool avx2 = __builtin_cpu_supports("avx2") && __builtin_cpu_supports("f16c") &&
                    __builtin_cpu_supports("fma");
  EXPECT_STREQ(best_dot_kernel().name, avx2 ? "avx2+f16c+fma" : "scalar");
}

TEST(IdFilter, AllowsAndIntersects) {
  IdFilter a(200), b(200);
  for (int64_t id : {1, 64, 65, 200}) a.allow(id);
  for (int64_t id : {64, 200, 7}) b.allow(id);
  a.allow(500);  // beyond the largest id: ignored
  EXPECT_TRUE(a.allows(65));
  EXPECT_FALSE(a.allows(500));
  a.intersect(b);
  EXPECT_TRUE(a.allows(64));
  EXPECT_TRUE(a.allows(200));
  EXPECT_FALSE(a.allows(65));
  EXPECT_FALSE(a.allows(7));
}

}  // namespace
}  // namespace warcpairs::stages
