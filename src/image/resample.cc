// PIL 9.4's convolution resampling (libImaging/Resample.c) re-derived for 8-bit RGB and L:
// same filters, same coefficient bounds, same 22-bit fixed point, horizontal pass first.
#include <algorithm>
#include <cmath>
#include <vector>

#include "warcpairs/image/resize.h"

namespace warcpairs::image {
namespace {

constexpr int kPrecisionBits = 32 - 8 - 2;  // Resample.c PRECISION_BITS

double box(double x) { return (x > -0.5 && x <= 0.5) ? 1.0 : 0.0; }
double bilinear(double x) {
  x = std::fabs(x);
  return x < 1.0 ? 1.0 - x : 0.0;
}
double bicubic(double x) {  // a = -0.5, as PIL
  constexpr double a = -0.5;
  x = std::fabs(x);
  if (x < 1.0) return ((a + 2.0) * x - (a + 3.0)) * x * x + 1;
  if (x < 2.0) return (((x - 5) * x + 8) * x - 4) * a;
  return 0.0;
}
double sinc(double x) {
  if (x == 0.0) return 1.0;
  x *= M_PI;
  return std::sin(x) / x;
}
double lanczos(double x) { return (-3.0 <= x && x < 3.0) ? sinc(x) * sinc(x / 3) : 0.0; }

struct Kernel {
  double (*fn)(double);
  double support;
};

Kernel kernel(Filter f) {
  switch (f) {
    case Filter::box: return {box, 0.5};
    case Filter::bilinear: return {bilinear, 1.0};
    case Filter::bicubic: return {bicubic, 2.0};
    case Filter::lanczos: break;
  }
  return {lanczos, 3.0};
}

// Per output index: the first input index, the tap count, and ksize fixed-point weights.
struct Coeffs {
  int ksize = 0;
  std::vector<int> bounds;  // xmin, count per output
  std::vector<int32_t> k;
};


// precompute_coeffs + normalize_coeffs_8bpc, step for step (box = [0, in_size)).
Coeffs precompute(int in_size, int out_size, Kernel kern) {
  const double scale = static_cast<double>(in_size) / out_size;
  const double filterscale = scale < 1.0 ? 1.0 : scale;
  const double support = kern.support * filterscale;
  Coeffs c;
  c.ksize = static_cast<int>(std::ceil(support)) * 2 + 1;
  c.bounds.resize(static_cast<size_t>(out_size) * 2);
  c.k.assign(static_cast<size_t>(out_size) * c.ksize, 0);
  std::vector<double> w(c.ksize);
  for (int xx = 0; xx < out_size; ++xx) {
    const double center = (xx + 0.5) * scale;
    const double ss = 1.0 / filterscale;
    int xmin = static_cast<int>(center - support + 0.5);
    if (xmin < 0) xmin = 0;
    int xmax = static_cast<int>(center + support + 0.5);
    if (xmax > in_size) xmax = in_size;
    xmax -= xmin;
    double total = 0.0;
    for (int x = 0; x < xmax; ++x) {
      w[x] = kern.fn((x + xmin - center + 0.5) * ss);
      total += w[x];
    }
    int32_t* k = &c.k[static_cast<size_t>(xx) * c.ksize];
    for (int x = 0; x < xmax; ++x) {
      const double v = total != 0.0 ? w[x] / total : w[x];
      k[x] = static_cast<int32_t>(v < 0 ? -0.5 + v * (1 << kPrecisionBits)
                                        : 0.5 + v * (1 << kPrecisionBits));
    }
    c.bounds[xx * 2] = xmin;
    c.bounds[xx * 2 + 1] = xmax;
  }
  return c;
}

inline uint8_t clip8(int32_t v) {
  v >>= kPrecisionBits;  // arithmetic shift, as PIL's lookup index
  return static_cast<uint8_t>(v < 0 ? 0 : v > 255 ? 255 : v);
}

// One pass along x (step = channels): output columns [x0, x0 + cw) of `rows` rows.
template <int C>
void pass_horizontal(const uint8_t* src, size_t src_stride, uint8_t* dst, int x0, int cw,
                     int rows, const Coeffs& c) {
  for (int y = 0; y < rows; ++y) {
    const uint8_t* in = src + y * src_stride;
    uint8_t* out = dst + static_cast<size_t>(y) * cw * C;
    for (int xx = x0; xx < x0 + cw; ++xx, out += C) {
      const int xmin = c.bounds[xx * 2], n = c.bounds[xx * 2 + 1];
      const int32_t* k = &c.k[static_cast<size_t>(xx) * c.ksize];
      int32_t ss[C];
      for (int ch = 0; ch < C; ++ch) ss[ch] = 1 << (kPrecisionBits - 1);
      const uint8_t* p = in + static_cast<size_t>(xmin) * C;
      for (int x = 0; x < n; ++x, p += C) {
        for (int ch = 0; ch < C; ++ch) ss[ch] += p[ch] * k[x];
      }
      for (int ch = 0; ch < C; ++ch) out[ch] = clip8(ss[ch]);
    }
  }
}

// One pass along y: output rows [y0, y0 + ch) of `bytes`-wide rows; src row 0 is input row
// `first_row`.
void pass_vertical(const uint8_t* src, size_t src_stride, size_t bytes, uint8_t* dst, int y0,
                   int ch, int first_row, const Coeffs& c) {
  std::vector<int32_t> acc(bytes);
  for (int yy = y0; yy < y0 + ch; ++yy) {
    const int ymin = c.bounds[yy * 2] - first_row, n = c.bounds[yy * 2 + 1];
    const int32_t* k = &c.k[static_cast<size_t>(yy) * c.ksize];
    std::fill(acc.begin(), acc.end(), 1 << (kPrecisionBits - 1));
    for (int y = 0; y < n; ++y) {  // row-wise accumulation: same sums, vectorises
      const uint8_t* row = src + static_cast<size_t>(ymin + y) * src_stride;
      const int32_t ky = k[y];
      for (size_t i = 0; i < bytes; ++i) acc[i] += row[i] * ky;
    }
    uint8_t* out = dst + static_cast<size_t>(yy - y0) * bytes;
    for (size_t i = 0; i < bytes; ++i) out[i] = clip8(acc[i]);
  }
}

// dst (cols x rows pixels) = src (rows x cols pixels, row stride src_stride bytes) transposed,
// in 32x32 blocks so both sides stay in cache.
template <int C>
void transpose(const uint8_t* src, size_t src_stride, int rows, int cols, uint8_t* dst) {
  constexpr int kBlock = 32;
  for (int r0 = 0; r0 < rows; r0 += kBlock) {
    for (int c0 = 0; c0 < cols; c0 += kBlock) {
      const int r1 = std::min(rows, r0 + kBlock), c1 = std::min(cols, c0 + kBlock);
      for (int r = r0; r < r1; ++r) {
        const uint8_t* in = src + r * src_stride;
        for (int c = c0; c < c1; ++c) {
          for (int ch = 0; ch < C; ++ch) dst[(static_cast<size_t>(c) * rows + r) * C + ch] = in[c * C + ch];
        }
      }
    }
  }
}

// The horizontal pass computed as a vertical one on the transposed rows: integer sums in any
// order are the same sums, and the vertical loop vectorises where the per-pixel horizontal
// loop is bound by its three dependent accumulators. Same bytes as pass_horizontal.
template <int C>
void pass_horizontal_transposed(const uint8_t* src, size_t src_stride, int w, uint8_t* dst,
                                int x0, int cw, int rows, const Coeffs& c) {
  std::vector<uint8_t> t(static_cast<size_t>(w) * rows * C), u(static_cast<size_t>(cw) * rows * C);
  transpose<C>(src, src_stride, rows, w, t.data());
  const size_t line = static_cast<size_t>(rows) * C;
  pass_vertical(t.data(), line, line, u.data(), x0, cw, 0, c);
  transpose<C>(u.data(), line, cw, rows, dst);
}

// ImagingResample, computing only the window [x0, x0+cw) x [y0, y0+ch) of the out_w x out_h
// result (each output pixel depends only on its own coefficients, so a window of the full
// resize is exactly the full resize cropped): horizontal pass over the rows the vertical pass
// reads (PIL's ybox_first..ybox_last), then the vertical pass.
template <int C>
std::vector<uint8_t> resample_window(const uint8_t* src, int w, int h, int out_w, int out_h,
                                     Filter filter, int x0, int y0, int cw, int ch) {
  const Kernel kern = kernel(filter);
  const bool horizontal = out_w != w, vertical = out_h != h;
  const Coeffs cv = vertical ? precompute(h, out_h, kern) : Coeffs{};
  const int first = vertical ? cv.bounds[y0 * 2] : y0;
  const int last = vertical ? cv.bounds[(y0 + ch - 1) * 2] + cv.bounds[(y0 + ch - 1) * 2 + 1]
                            : y0 + ch;
  const size_t src_stride = static_cast<size_t>(w) * C;
  std::vector<uint8_t> tmp;
  const uint8_t* mid = src + first * src_stride + static_cast<size_t>(x0) * C;
  size_t mid_stride = src_stride;
  if (horizontal) {
    tmp.resize(static_cast<size_t>(cw) * (last - first) * C);
    const Coeffs chz = precompute(w, out_w, kern);
    // Measured on 640x480: the transposes pay off from ~7 taps (CLIP's bicubic shrink: 11),
    // not for a 3-tap box; one channel (phash) vectorises directly along its long taps.
    if (C == 3 && chz.ksize >= 7 && last - first >= 8) {
      pass_horizontal_transposed<C>(src + first * src_stride, src_stride, w, tmp.data(), x0, cw,
                                    last - first, chz);
    } else {
      pass_horizontal<C>(src + first * src_stride, src_stride, tmp.data(), x0, cw, last - first,
                         chz);
    }
    if (!vertical) return tmp;
    mid = tmp.data();
    mid_stride = static_cast<size_t>(cw) * C;
  }
  std::vector<uint8_t> dst(static_cast<size_t>(cw) * ch * C);
  if (vertical) {
    pass_vertical(mid, mid_stride, static_cast<size_t>(cw) * C, dst.data(), y0, ch, first, cv);
  } else {
    for (int y = 0; y < ch; ++y) {
      std::copy_n(mid + y * mid_stride, static_cast<size_t>(cw) * C,
                  dst.data() + static_cast<size_t>(y) * cw * C);
    }
  }
  return dst;
}

}  // namespace

Image resample(const Image& src, int32_t out_w, int32_t out_h, Filter filter) {
  Image out;
  if (src.width <= 0 || src.height <= 0 || out_w <= 0 || out_h <= 0) return out;
  out.width = out_w;
  out.height = out_h;
  out.rgb = resample_window<3>(src.rgb.data(), src.width, src.height, out_w, out_h, filter, 0, 0,
                               out_w, out_h);
  return out;
}

Image resample_crop(const Image& src, int32_t out_w, int32_t out_h, Filter filter, int32_t x,
                    int32_t y, int32_t w, int32_t h) {
  Image out;
  if (src.width <= 0 || src.height <= 0 || w <= 0 || h <= 0 || x < 0 || y < 0 ||
      x + w > out_w || y + h > out_h) {
    return out;
  }
  out.width = w;
  out.height = h;
  out.rgb = resample_window<3>(src.rgb.data(), src.width, src.height, out_w, out_h, filter, x, y,
                               w, h);
  return out;
}

std::vector<uint8_t> resample_gray(const std::vector<uint8_t>& src, int32_t w, int32_t h,
                                   int32_t out_w, int32_t out_h, Filter filter) {
  if (w <= 0 || h <= 0 || out_w <= 0 || out_h <= 0) return {};
  return resample_window<1>(src.data(), w, h, out_w, out_h, filter, 0, 0, out_w, out_h);
}

}  // namespace warcpairs::image
