// changed_share: a scan of the box's rows in both RGB buffers.
#include "warcpairs/render/pixel_check.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>

namespace warcpairs::render {

double changed_share(const image::Image& a, const image::Image& b, const Box& box, double scale) {
  if (a.width != b.width || a.height != b.height) return 0;
  const int x0 = std::max(0, static_cast<int>(std::floor(box.x * scale)));
  const int y0 = std::max(0, static_cast<int>(std::floor(box.y * scale)));
  const int x1 = std::min(a.width, static_cast<int>(std::ceil(box.right() * scale)));
  const int y1 = std::min(a.height, static_cast<int>(std::ceil(box.bottom() * scale)));
  if (x1 <= x0 || y1 <= y0) return 0;
  int64_t changed = 0;
  for (int y = y0; y < y1; ++y) {
    const uint8_t* p = a.rgb.data() + (static_cast<std::size_t>(y) * a.width + x0) * 3;
    const uint8_t* q = b.rgb.data() + (static_cast<std::size_t>(y) * b.width + x0) * 3;
    for (int x = x0; x < x1; ++x, p += 3, q += 3)
      changed += std::abs(p[0] - q[0]) > kPixelChangeThreshold || std::abs(p[1] - q[1]) > kPixelChangeThreshold ||
                 std::abs(p[2] - q[2]) > kPixelChangeThreshold;
  }
  return static_cast<double>(changed) / (static_cast<double>(x1 - x0) * (y1 - y0));
}

}  // namespace warcpairs::render
