// dot_kernel.h. The AVX2 function is compiled for that target only (GCC's target attribute),
// so the binary still runs on CPUs without it; __builtin_cpu_supports picks at run time.
#include "dot_kernel.h"

#include <immintrin.h>

#include <cstring>

namespace warcpairs::stages {

namespace {

void dot_rows_scalar(const float* q, const uint16_t* rows, std::size_t n, std::size_t dim,
                     float* out) {
  for (std::size_t r = 0; r < n; ++r) {
    const uint16_t* row = rows + r * dim;
    float acc = 0;
    for (std::size_t j = 0; j < dim; ++j) {
      _Float16 h;
      std::memcpy(&h, row + j, sizeof h);
      acc += q[j] * static_cast<float>(h);
    }
    out[r] = acc;
  }
}

__attribute__((target("avx2,f16c,fma"))) void dot_rows_avx2(const float* q, const uint16_t* rows,
                                                            std::size_t n, std::size_t dim,
                                                            float* out) {
  const std::size_t wide = dim & ~std::size_t{31};
  for (std::size_t r = 0; r < n; ++r) {
    const uint16_t* row = rows + r * dim;
    __m256 a0 = _mm256_setzero_ps(), a1 = _mm256_setzero_ps(), a2 = _mm256_setzero_ps(),
           a3 = _mm256_setzero_ps();
    std::size_t j = 0;
    for (; j < wide; j += 32) {
      const __m256 h0 = _mm256_cvtph_ps(_mm_loadu_si128(reinterpret_cast<const __m128i*>(row + j)));
      const __m256 h1 = _mm256_cvtph_ps(_mm_loadu_si128(reinterpret_cast<const __m128i*>(row + j + 8)));
      const __m256 h2 = _mm256_cvtph_ps(_mm_loadu_si128(reinterpret_cast<const __m128i*>(row + j + 16)));
      const __m256 h3 = _mm256_cvtph_ps(_mm_loadu_si128(reinterpret_cast<const __m128i*>(row + j + 24)));
      a0 = _mm256_fmadd_ps(h0, _mm256_loadu_ps(q + j), a0);
      a1 = _mm256_fmadd_ps(h1, _mm256_loadu_ps(q + j + 8), a1);
      a2 = _mm256_fmadd_ps(h2, _mm256_loadu_ps(q + j + 16), a2);
      a3 = _mm256_fmadd_ps(h3, _mm256_loadu_ps(q + j + 24), a3);
    }
    const __m256 s = _mm256_add_ps(_mm256_add_ps(a0, a1), _mm256_add_ps(a2, a3));
    __m128 x = _mm_add_ps(_mm256_castps256_ps128(s), _mm256_extractf128_ps(s, 1));
    x = _mm_add_ps(x, _mm_movehl_ps(x, x));
    x = _mm_add_ss(x, _mm_movehdup_ps(x));
    float acc = _mm_cvtss_f32(x);
    for (; j < dim; ++j) acc += q[j] * _cvtsh_ss(row[j]);
    out[r] = acc;
  }
}

}  // namespace

DotKernel scalar_dot_kernel() { return {"scalar", dot_rows_scalar}; }

DotKernel best_dot_kernel() {
  __builtin_cpu_init();
  if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("f16c") &&
      __builtin_cpu_supports("fma"))
    return {"avx2+f16c+fma", dot_rows_avx2};
  return scalar_dot_kernel();
}

}  // namespace warcpairs::stages
