// Internal to the image layer: one decode function per format, and what they share.
#pragma once

#include <cstdint>
#include <span>
#include <string>

#include "warcpairs/image/decode.h"

namespace warcpairs::image::detail {

// Each fills out (format, width, height, then image or error); out arrives reset by decode().
void decode_jpeg(std::span<const uint8_t> bytes, const DecodeLimits& limits, DecodeResult& out);
void decode_png(std::span<const uint8_t> bytes, const DecodeLimits& limits, DecodeResult& out);
void decode_webp(std::span<const uint8_t> bytes, const DecodeLimits& limits, DecodeResult& out);
void decode_gif(std::span<const uint8_t> bytes, const DecodeLimits& limits, DecodeResult& out);

inline void fail(DecodeResult& out, const char* token, std::string detail = {}) {
  out.ok = false;
  out.error = token;
  out.detail = std::move(detail);
}

// Records the header size and says whether it is acceptable (non-zero and under the cap);
// sets the error when it is not. Call before allocating any pixel buffer.
inline bool accept_size(int64_t w, int64_t h, const DecodeLimits& limits, DecodeResult& out) {
  out.width = static_cast<int32_t>(w);
  out.height = static_cast<int32_t>(h);
  if (w <= 0 || h <= 0) {
    fail(out, kErrCorrupt, "zero image size");
    return false;
  }
  if (w * h > limits.max_pixels) {
    fail(out, kErrTooManyPixels,
         std::to_string(w) + "x" + std::to_string(h) + " exceeds max_pixels");
    return false;
  }
  return true;
}

// Alpha over white, as img2dataset's resizer does: c * a / 255 + (255 - a), rounded.
inline uint8_t over_white(uint32_t c, uint32_t a) {
  return static_cast<uint8_t>((c * a + 255u * (255u - a) + 127u) / 255u);
}

// RGBA rows -> RGB over white, `pixels` of them; dst may alias src (dst runs behind src).
inline void rgba_over_white(const uint8_t* src, uint8_t* dst, int64_t pixels) {
  for (int64_t i = 0; i < pixels; ++i, src += 4, dst += 3) {
    const uint32_t a = src[3];
    const uint8_t r = over_white(src[0], a), g = over_white(src[1], a), b = over_white(src[2], a);
    dst[0] = r;
    dst[1] = g;
    dst[2] = b;
  }
}

}  // namespace warcpairs::image::detail
