// The DCT perceptual hash as Python's imagehash.phash computes it (imagehash 4.x).
#include <algorithm>
#include <array>
#include <bit>
#include <cmath>
#include <vector>

#include "warcpairs/image/hash.h"
#include "warcpairs/image/resize.h"

namespace warcpairs::image {
namespace {

constexpr int kHash = 8, kSide = 32;  // hash_size 8, highfreq_factor 4

// cos(pi * k * (2n + 1) / 2N), the DCT-II basis (scipy.fftpack.dct type 2; its factor 2 does
// not change a comparison with the median, so it is left out).
const std::array<double, kHash * kSide>& basis() {
  static const auto table = [] {
    std::array<double, kHash * kSide> t{};
    for (int k = 0; k < kHash; ++k) {
      for (int n = 0; n < kSide; ++n) t[k * kSide + n] = std::cos(M_PI * k * (2 * n + 1) / (2.0 * kSide));
    }
    return t;
  }();
  return table;
}

}  // namespace

uint64_t phash(const Image& image) {
  if (image.width <= 0 || image.height <= 0) return 0;
  // PIL convert("L"): ITU-R 601-2 luma in 16-bit fixed point, rounded (Convert.c L24).
  std::vector<uint8_t> gray(static_cast<size_t>(image.width) * image.height);
  const uint8_t* p = image.rgb.data();
  for (size_t i = 0; i < gray.size(); ++i, p += 3) {
    gray[i] = static_cast<uint8_t>((p[0] * 19595u + p[1] * 38470u + p[2] * 7471u + 0x8000u) >> 16);
  }
  // imagehash resizes with Image.ANTIALIAS, which is LANCZOS.
  const auto small = resample_gray(gray, image.width, image.height, kSide, kSide, Filter::lanczos);
  const auto& cosines = basis();
  // Only the 8x8 low frequencies are needed: rows first (dct along axis 0), then columns.
  double col[kHash][kSide];  // col[k][x] = sum_y px[y][x] cos_k(y)
  for (int k = 0; k < kHash; ++k) {
    for (int x = 0; x < kSide; ++x) {
      double s = 0;
      for (int y = 0; y < kSide; ++y) s += small[y * kSide + x] * cosines[k * kSide + y];
      col[k][x] = s;
    }
  }
  std::array<double, kHash * kHash> dct{};
  for (int k = 0; k < kHash; ++k) {
    for (int l = 0; l < kHash; ++l) {
      double s = 0;
      for (int x = 0; x < kSide; ++x) s += col[k][x] * cosines[l * kSide + x];
      dct[k * kHash + l] = s;
    }
  }
  auto sorted = dct;
  std::sort(sorted.begin(), sorted.end());
  const double median = (sorted[31] + sorted[32]) / 2;  // numpy.median of 64 values
  uint64_t bits = 0;
  for (int i = 0; i < kHash * kHash; ++i) bits = (bits << 1) | (dct[i] > median ? 1 : 0);
  return bits;
}

int hamming(uint64_t a, uint64_t b) { return std::popcount(a ^ b); }

}  // namespace warcpairs::image
