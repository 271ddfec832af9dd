// Image hashes for the score stage: SHA-256 of the bytes and the DCT perceptual hash.
#pragma once

#include <array>
#include <cstdint>
#include <span>
#include <string>

#include "warcpairs/image/types.h"

namespace warcpairs::image {

// FIPS 180-4 SHA-256, written here: no crypto library is among our dependencies (libcurl's
// OpenSSL is its own, not ours to link), and a content hash needs no more than this.
std::array<uint8_t, 32> sha256(std::span<const uint8_t> bytes);
std::string sha256_hex(std::span<const uint8_t> bytes);  // 64 lowercase hex digits

// Python imagehash.phash (hash_size 8, highfreq_factor 4): PIL convert("L"), LANCZOS resize
// to 32x32, 2-D DCT-II, top-left 8x8, each > the median of those 64. Bit order: row-major
// over the 8x8 block, coefficient (0,0) in the most significant bit, so
// fmt::format("{:016x}", phash(img)) equals str(imagehash.phash(img)). Empty image -> 0.
uint64_t phash(const Image& image);
int hamming(uint64_t a, uint64_t b);

}  // namespace warcpairs::image
