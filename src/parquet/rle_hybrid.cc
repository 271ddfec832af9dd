// RLE / bit-packing hybrid: header varint, (count << 1) for an RLE run of one value in
// ceil(width / 8) little-endian bytes, (groups << 1) | 1 for groups of 8 bit-packed values, LSB first.
#include "rle_hybrid.h"

#include <cstring>

#include "warcpairs/core/error.h"

namespace warcpairs::parquet {
namespace {

void put_varint(uint64_t v, std::string& out) {
  while (v >= 0x80) out.push_back(static_cast<char>((v & 0x7f) | 0x80)), v >>= 7;
  out.push_back(static_cast<char>(v));
}

void put_rle(uint32_t value, std::size_t count, int width, std::string& out) {
  put_varint(static_cast<uint64_t>(count) << 1, out);
  for (int b = 0; b < (width + 7) / 8; ++b) out.push_back(static_cast<char>(value >> (8 * b)));
}

// Values [first, last) bit-packed, padded to a multiple of 8.
void put_packed(const uint32_t* v, std::size_t n, int width, std::string& out) {
  const std::size_t groups = (n + 7) / 8;
  put_varint((static_cast<uint64_t>(groups) << 1) | 1, out);
  const std::size_t start = out.size();
  out.resize(start + groups * static_cast<std::size_t>(width), '\0');
  auto* p = reinterpret_cast<uint8_t*>(out.data() + start);
  uint64_t bit = 0;
  for (std::size_t i = 0; i < n; ++i, bit += static_cast<uint64_t>(width)) {
    uint64_t x = v[i];
    for (uint64_t b = bit; x != 0; ++b, x >>= 1)
      if (x & 1) p[b >> 3] |= static_cast<uint8_t>(1u << (b & 7));
  }
}

}  // namespace

int bit_width(uint64_t max_value) {
  int w = 0;
  while (max_value) ++w, max_value >>= 1;
  return w;
}

void rle_hybrid_encode(const uint32_t* values, std::size_t n, int width, std::string& out) {
  if (width == 0) {
    if (n) put_rle(0, n, 0, out);
    return;
  }
  std::size_t packed_from = 0, i = 0;
  while (i < n) {
    std::size_t j = i + 1;
    while (j < n && values[j] == values[i]) ++j;
    // A run worth its own header: 8 or more equal values starting on a group boundary of the
    // pending bit-packed stretch (so that stretch needs no padding in the middle of the data).
    if (j - i >= 8 && (i - packed_from) % 8 == 0) {
      if (i > packed_from) put_packed(values + packed_from, i - packed_from, width, out);
      put_rle(values[i], j - i, width, out);
      packed_from = j;
    }
    i = j;
  }
  if (n > packed_from) put_packed(values + packed_from, n - packed_from, width, out);
}

void rle_hybrid_decode(const uint8_t* data, std::size_t size, int width, std::size_t n, std::vector<uint32_t>& out) {
  if (width < 0 || width > 32) throw Error("bit width " + std::to_string(width) + " above 32");
  out.resize(n);
  const uint8_t* p = data;
  const uint8_t* end = data + size;
  std::size_t got = 0;
  const std::size_t value_bytes = static_cast<std::size_t>((width + 7) / 8);
  while (got < n) {
    uint64_t header = 0;
    for (int shift = 0;; shift += 7) {
      if (p >= end) throw Error("RLE/bit-packed levels or indices end after " + std::to_string(got) + " of " + std::to_string(n) + " values");
      if (shift > 63) throw Error("RLE run header longer than 10 bytes");
      header |= static_cast<uint64_t>(*p & 0x7f) << shift;
      if (!(*p++ & 0x80)) break;
    }
    if (header & 1) {
      const uint64_t groups = header >> 1;
      if (groups == 0) throw Error("empty bit-packed run");
      const uint64_t bytes = groups * static_cast<uint64_t>(width);
      if (bytes > static_cast<uint64_t>(end - p)) throw Error("bit-packed run longer than the bytes left");
      const std::size_t take = static_cast<std::size_t>(std::min<uint64_t>(groups * 8, n - got));
      uint64_t bit = 0;
      for (std::size_t k = 0; k < take; ++k, bit += static_cast<uint64_t>(width)) {
        uint64_t x = 0;
        for (int b = 0; b < width; ++b) {
          const uint64_t at = bit + static_cast<uint64_t>(b);
          x |= static_cast<uint64_t>((p[at >> 3] >> (at & 7)) & 1) << b;
        }
        out[got + k] = static_cast<uint32_t>(x);
      }
      got += take;
      p += bytes;
    } else {
      const uint64_t count = header >> 1;
      if (count == 0) throw Error("empty RLE run");
      if (value_bytes > static_cast<std::size_t>(end - p)) throw Error("RLE run value cut short");
      uint32_t v = 0;
      for (std::size_t b = 0; b < value_bytes; ++b) v |= static_cast<uint32_t>(p[b]) << (8 * b);
      p += value_bytes;
      const std::size_t take = static_cast<std::size_t>(std::min<uint64_t>(count, n - got));
      std::fill(out.begin() + static_cast<std::ptrdiff_t>(got), out.begin() + static_cast<std::ptrdiff_t>(got + take), v);
      got += take;
    }
  }
}

}  // namespace warcpairs::parquet
