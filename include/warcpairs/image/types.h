// The image layer's value types: an 8-bit RGB image and the formats it can come from.
#pragma once

#include <cstdint>
#include <vector>

namespace warcpairs::image {

// 8-bit RGB, row-major, 3 bytes per pixel, no padding: rgb.size() == width * height * 3.
struct Image {
  int32_t width = 0, height = 0;
  std::vector<uint8_t> rgb;
};

enum class Format { unknown, jpeg, png, webp, gif };

}  // namespace warcpairs::image
