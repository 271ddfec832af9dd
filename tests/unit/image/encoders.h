// Test-side encoders: PNG and WebP through the libraries, GIF written by hand (uncompressed
// LZW: literal codes with a clear code every 254), so each decode has an exact expectation.
#pragma once

#include <cstdint>
#include <cstring>
#include <vector>

#include <png.h>
#include <webp/encode.h>
#include <zlib.h>

namespace warcpairs::image::test {

struct PngSpec {
  int width = 0, height = 0;
  int color_type = PNG_COLOR_TYPE_RGB;
  int bit_depth = 8;
  bool interlaced = false;
  std::vector<uint8_t> samples;  // packed rows as libpng expects them (big-endian 16-bit)
  std::vector<png_color> palette;
  std::vector<uint8_t> trns;  // palette alpha
};

inline void png_append(png_structp png, png_bytep data, png_size_t n) {
  auto* out = static_cast<std::vector<uint8_t>*>(png_get_io_ptr(png));
  out->insert(out->end(), data, data + n);
}

inline std::vector<uint8_t> encode_png(const PngSpec& s) {
  std::vector<uint8_t> out;
  png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, nullptr, nullptr, nullptr);
  png_infop info = png_create_info_struct(png);
  if (setjmp(png_jmpbuf(png))) {
    png_destroy_write_struct(&png, &info);
    return {};
  }
  png_set_write_fn(png, &out, png_append, nullptr);
  png_set_IHDR(png, info, s.width, s.height, s.bit_depth, s.color_type,
               s.interlaced ? PNG_INTERLACE_ADAM7 : PNG_INTERLACE_NONE,
               PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
  if (!s.palette.empty()) png_set_PLTE(png, info, s.palette.data(), static_cast<int>(s.palette.size()));
  if (!s.trns.empty()) png_set_tRNS(png, info, s.trns.data(), static_cast<int>(s.trns.size()), nullptr);
  png_write_info(png, info);
  const size_t stride = s.samples.size() / s.height;
  std::vector<png_bytep> rows(s.height);
  for (int y = 0; y < s.height; ++y) rows[y] = const_cast<uint8_t*>(s.samples.data()) + y * stride;
  png_write_image(png, rows.data());  // all Adam7 passes when interlaced
  png_write_end(png, nullptr);
  png_destroy_write_struct(&png, &info);
  return out;
}

// A PNG chunk with its CRC (PNG spec §5.3).
inline void png_chunk(std::vector<uint8_t>& out, const char* type, const std::vector<uint8_t>& d) {
  const uint32_t n = static_cast<uint32_t>(d.size());
  for (int i = 3; i >= 0; --i) out.push_back(static_cast<uint8_t>(n >> (8 * i)));
  const size_t start = out.size();
  out.insert(out.end(), type, type + 4);
  out.insert(out.end(), d.begin(), d.end());
  const uint32_t crc = static_cast<uint32_t>(crc32(0, out.data() + start, static_cast<uInt>(4 + n)));
  for (int i = 3; i >= 0; --i) out.push_back(static_cast<uint8_t>(crc >> (8 * i)));
}

inline std::vector<uint8_t> encode_webp(const uint8_t* px, int w, int h, bool alpha, bool lossless) {
  uint8_t* data = nullptr;
  size_t n = 0;
  if (lossless) {
    n = alpha ? WebPEncodeLosslessRGBA(px, w, h, w * 4, &data) : WebPEncodeLosslessRGB(px, w, h, w * 3, &data);
  } else {
    n = alpha ? WebPEncodeRGBA(px, w, h, w * 4, 90, &data) : WebPEncodeRGB(px, w, h, w * 3, 90, &data);
  }
  std::vector<uint8_t> out(data, data + n);
  WebPFree(data);
  return out;
}

struct GifFrameSpec {
  int left = 0, top = 0, width = 0, height = 0;
  bool interlaced = false;
  std::vector<uint8_t> local_palette;  // RGB triples, 2^n entries, empty = use the global one
  int transparent = -1;
  std::vector<uint8_t> indices;  // natural row order; the writer interlaces
};

inline void gif_u16(std::vector<uint8_t>& o, int v) {
  o.push_back(static_cast<uint8_t>(v & 255));
  o.push_back(static_cast<uint8_t>(v >> 8));
}

inline int gif_table_bits(size_t entries) {
  int bits = 1;
  while ((1u << bits) < entries) ++bits;
  return bits;
}

inline void gif_lzw_uncompressed(std::vector<uint8_t>& o, const std::vector<uint8_t>& idx) {
  o.push_back(8);  // min code size: 9-bit codes, clear 256, end 257
  std::vector<uint8_t> bytes;
  uint32_t acc = 0;
  int nbits = 0;
  auto put = [&](int code) {
    acc |= static_cast<uint32_t>(code) << nbits;
    for (nbits += 9; nbits >= 8; nbits -= 8, acc >>= 8) bytes.push_back(static_cast<uint8_t>(acc));
  };
  for (size_t i = 0; i < idx.size(); ++i) {
    if (i % 254 == 0) put(256);
    put(idx[i]);
  }
  put(257);
  if (nbits > 0) bytes.push_back(static_cast<uint8_t>(acc));
  for (size_t i = 0; i < bytes.size(); i += 255) {
    const size_t n = std::min<size_t>(255, bytes.size() - i);
    o.push_back(static_cast<uint8_t>(n));
    o.insert(o.end(), bytes.begin() + i, bytes.begin() + i + n);
  }
  o.push_back(0);
}

inline std::vector<uint8_t> encode_gif(int sw, int sh, const std::vector<uint8_t>& global,
                                       const std::vector<GifFrameSpec>& frames) {
  std::vector<uint8_t> o = {'G', 'I', 'F', '8', '9', 'a'};
  gif_u16(o, sw);
  gif_u16(o, sh);
  o.push_back(global.empty() ? 0 : static_cast<uint8_t>(0x80 | (gif_table_bits(global.size() / 3) - 1)));
  o.push_back(0);  // background index
  o.push_back(0);  // aspect
  o.insert(o.end(), global.begin(), global.end());
  for (const auto& f : frames) {
    if (f.transparent >= 0) {
      o.insert(o.end(), {0x21, 0xF9, 4, 1, 0, 0, static_cast<uint8_t>(f.transparent), 0});
    }
    o.push_back(0x2C);
    gif_u16(o, f.left);
    gif_u16(o, f.top);
    gif_u16(o, f.width);
    gif_u16(o, f.height);
    uint8_t packed = f.interlaced ? 0x40 : 0;
    if (!f.local_palette.empty()) packed |= 0x80 | (gif_table_bits(f.local_palette.size() / 3) - 1);
    o.push_back(packed);
    o.insert(o.end(), f.local_palette.begin(), f.local_palette.end());
    std::vector<uint8_t> order;
    if (f.interlaced) {
      constexpr int start[4] = {0, 4, 2, 1}, step[4] = {8, 8, 4, 2};
      for (int p = 0; p < 4; ++p) {
        for (int y = start[p]; y < f.height; y += step[p]) {
          order.insert(order.end(), f.indices.begin() + y * f.width, f.indices.begin() + (y + 1) * f.width);
        }
      }
    } else {
      order = f.indices;
    }
    gif_lzw_uncompressed(o, order);
  }
  o.push_back(0x3B);
  return o;
}

}  // namespace warcpairs::image::test
