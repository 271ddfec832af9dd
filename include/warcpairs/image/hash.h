// The perceptual image hash for the score stage (the SHA-256 of the bytes is core/digest.h).
#pragma once

#include <cstdint>

#include "warcpairs/image/types.h"

namespace warcpairs::image {

// Python imagehash.phash (hash_size 8, highfreq_factor 4): PIL convert("L"), LANCZOS resize
// to 32x32, 2-D DCT-II, top-left 8x8, each > the median of those 64. Bit order: row-major
// over the 8x8 block, coefficient (0,0) in the most significant bit, so
// fmt::format("{:016x}", phash(img)) equals str(imagehash.phash(img)). Empty image -> 0.
uint64_t phash(const Image& image);
int hamming(uint64_t a, uint64_t b);

}  // namespace warcpairs::image
