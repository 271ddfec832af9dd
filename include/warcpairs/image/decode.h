// Decoding: sniff, decode (JPEG, PNG, WebP, GIF) with pixel caps before allocation; JPEG encode.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "warcpairs/image/types.h"

namespace warcpairs::image {

// From the magic bytes only (never the URL or Content-Type, which lie on the web).
Format sniff(std::span<const uint8_t> bytes);
// "image/jpeg", "image/png", "image/webp", "image/gif"; "application/octet-stream" for unknown.
const char* mime_type(Format format);
// "jpeg", "png", "webp", "gif", "unknown".
const char* format_name(Format format);

struct DecodeLimits {
  // PIL's Image.MAX_IMAGE_PIXELS, its decompression-bomb cap. Checked against the size in the
  // header before any pixel buffer is allocated.
  int64_t max_pixels = 89'478'485;
  // Speed hint, 0 = off. When > 0 a JPEG may be decoded at 1/8, 1/4 or 1/2 scale (libjpeg-turbo's
  // DCT scaling) as long as both output sides stay >= min_side, so a later resize to min_side
  // loses nothing visible: exactly PIL's im.draft("RGB", (min_side, min_side)), same pixels.
  // DecodeResult::width/height stay the original size; image.width/height is what was
  // decoded. A resize of that differs slightly from a resize of the full decode (HF's CLIP
  // processor does not use draft): leave 0 where bit-parity with HF matters.
  int32_t min_side = 0;
};

// Stable reason tokens for DecodeResult::error (go to SkipLog unchanged).
inline constexpr const char* kErrUnsupportedFormat = "image_unsupported_format";
inline constexpr const char* kErrTooManyPixels = "image_too_many_pixels";
inline constexpr const char* kErrTruncated = "image_truncated";
inline constexpr const char* kErrCorrupt = "image_corrupt";

struct DecodeResult {
  bool ok = false;
  std::string error;   // one of the kErr* tokens when !ok, else empty
  std::string detail;  // the codec's own message, for logs (not stable)
  Format format = Format::unknown;
  // Original size from the header; filled whenever the header was read, also when the image
  // was refused for too many pixels or was truncated later.
  int32_t width = 0, height = 0;
  Image image;  // RGB; alpha composited on white; only valid when ok
};

// Never throws for bad bytes and never crashes (fuzzed: tests/fuzz/image_fuzz). Animated GIF
// and WebP: the first frame.
DecodeResult decode(std::span<const uint8_t> bytes, const DecodeLimits& limits = {});
// Same, reusing out's buffers: out.image.rgb keeps its capacity, so a loop stops allocating the
// pixel buffer once it has grown to the largest image (images with alpha, GIFs and CMYK JPEGs
// still take a temporary each).
void decode(std::span<const uint8_t> bytes, const DecodeLimits& limits, DecodeResult& out);

// Baseline JPEG, 4:2:0, via libjpeg-turbo. quality 1..100 (img2dataset's default is 95).
std::vector<uint8_t> encode_jpeg(const Image& image, int quality = 95);

}  // namespace warcpairs::image
