// img2dataset's resize modes (resizer.py with albumentations' smallest/longest_max_size,
// center_crop and pad) over the PIL-exact resampler.
#include "warcpairs/image/resize.h"

#include <algorithm>
#include <cmath>
#include <cstring>

namespace warcpairs::image {
namespace {

// albumentations' py3round: Python 3 round(), half to even (nearbyint in the default mode).
int32_t round_half_even(double v) { return std::max<int32_t>(1, static_cast<int32_t>(std::nearbyint(v))); }

// Scales so that pick(w, h) becomes size; box (area) when shrinking, lanczos when enlarging
// (img2dataset's downscale_interpolation="area", upscale_interpolation="lanczos").
Image scale_side(const Image& src, int32_t size, bool by_shortest) {
  const int32_t side = by_shortest ? std::min(src.width, src.height)
                                   : std::max(src.width, src.height);
  if (side == size) return src;
  const double scale = static_cast<double>(size) / side;
  const int32_t w = round_half_even(src.width * scale);
  const int32_t h = round_half_even(src.height * scale);
  return resample(src, w, h, side > size ? Filter::box : Filter::lanczos);
}

}  // namespace

Image crop(const Image& src, int32_t x, int32_t y, int32_t w, int32_t h) {
  Image out;
  if (w <= 0 || h <= 0 || x < 0 || y < 0 || x + w > src.width || y + h > src.height) return out;
  out.width = w;
  out.height = h;
  out.rgb.resize(static_cast<size_t>(w) * h * 3);
  for (int32_t r = 0; r < h; ++r) {
    std::memcpy(out.rgb.data() + static_cast<size_t>(r) * w * 3,
                src.rgb.data() + (static_cast<size_t>(y + r) * src.width + x) * 3,
                static_cast<size_t>(w) * 3);
  }
  return out;
}

Image resize(const Image& src, int32_t size, ResizeMode mode) {
  if (src.width <= 0 || src.height <= 0 || size <= 0) return {};
  switch (mode) {
    case ResizeMode::keep_ratio: return scale_side(src, size, true);
    case ResizeMode::center_crop: {
      Image scaled = scale_side(src, size, true);
      const int32_t cw = std::min(size, scaled.width), ch = std::min(size, scaled.height);
      return crop(scaled, (scaled.width - cw) / 2, (scaled.height - ch) / 2, cw, ch);
    }
    case ResizeMode::border: {
      const Image scaled = scale_side(src, size, false);
      Image out{size, size, std::vector<uint8_t>(static_cast<size_t>(size) * size * 3, 255)};
      const int32_t w = std::min(size, scaled.width), h = std::min(size, scaled.height);
      const int32_t left = (size - w) / 2, top = (size - h) / 2;
      for (int32_t r = 0; r < h; ++r) {
        std::memcpy(out.rgb.data() + (static_cast<size_t>(top + r) * size + left) * 3,
                    scaled.rgb.data() + static_cast<size_t>(r) * scaled.width * 3,
                    static_cast<size_t>(w) * 3);
      }
      return out;
    }
  }
  return {};
}

}  // namespace warcpairs::image
