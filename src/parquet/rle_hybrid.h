// Parquet's RLE / bit-packing hybrid (Encodings.md, "Run Length Encoding / Bit-Packing Hybrid"):
// definition levels, dictionary indices and RLE booleans.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace warcpairs::parquet {

// Bits needed for values up to max_value (0 for 0).
int bit_width(uint64_t max_value);

// Appends the encoding of `values` (each < 2^width): runs of 8+ equal values as RLE runs,
// the rest bit-packed in groups of 8 (the last group padded with zeros).
void rle_hybrid_encode(const uint32_t* values, std::size_t n, int width, std::string& out);

// Decodes `n` values of `width` bits from [data, data + size) into `out` (resized to n).
// Throws warcpairs::Error("…") when the runs end early, a run is empty or width > 32.
void rle_hybrid_decode(const uint8_t* data, std::size_t size, int width, std::size_t n, std::vector<uint32_t>& out);

}  // namespace warcpairs::parquet
