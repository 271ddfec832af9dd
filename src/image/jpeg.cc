// JPEG decode and encode with libjpeg-turbo: setjmp error manager, CMYK/gray -> RGB, DCT scaling.
#include <algorithm>
#include <csetjmp>
#include <cstdio>
#include <cstring>
#include <vector>

#include <jpeglib.h>
#include <jerror.h>

#include "codec.h"

namespace warcpairs::image {
namespace {

// libjpeg reports fatal errors through error_exit, which must not return: we longjmp back to
// the decode call (no C++ object with a destructor lives between the two frames).
struct ErrorManager {
  jpeg_error_mgr pub;
  std::jmp_buf jump;
  const char* token = kErrCorrupt;
  char message[JMSG_LENGTH_MAX] = {};
};

// More scans than this is a corrupt or hostile progressive file (libjpeg-turbo's own tools use
// the same guard, TJFLAG_LIMITSCANS = 500): each scan re-walks the whole coefficient buffer.
constexpr int kMaxScans = 500;

[[noreturn]] void on_error(j_common_ptr cinfo) {
  auto* err = reinterpret_cast<ErrorManager*>(cinfo->err);
  (*cinfo->err->format_message)(cinfo, err->message);
  std::longjmp(err->jump, 1);
}

// Warnings (level -1): only "premature end of data" matters, and it means truncated; PIL
// raises "image file is truncated" there too. Other warnings (extraneous bytes) are tolerated.
void on_message(j_common_ptr cinfo, int level) {
  if (level == -1 && cinfo->err->msg_code == JWRN_JPEG_EOF) {
    auto* err = reinterpret_cast<ErrorManager*>(cinfo->err);
    err->token = kErrTruncated;
    on_error(cinfo);
  }
}

void on_progress(j_common_ptr cinfo) {
  auto* d = reinterpret_cast<j_decompress_ptr>(cinfo);
  if (d->input_scan_number > kMaxScans) {
    auto* err = reinterpret_cast<ErrorManager*>(cinfo->err);
    std::snprintf(err->message, sizeof(err->message), "more than %d scans", kMaxScans);
    std::longjmp(err->jump, 1);
  }
}

struct Decompressor {
  jpeg_decompress_struct cinfo{};
  ErrorManager err;
  jpeg_progress_mgr progress{};
  Decompressor() {
    cinfo.err = jpeg_std_error(&err.pub);
    err.pub.error_exit = on_error;
    err.pub.emit_message = on_message;
  }
  ~Decompressor() { jpeg_destroy_decompress(&cinfo); }
};

// PIL's Image.draft("RGB", (min_side, min_side)) rule: reduce by the largest a in {8, 4, 2}
// with a <= min(W // min_side, H // min_side), so both sides stay >= min_side; returns
// libjpeg's scale_num over 8. Those three are also the scales libjpeg-turbo has SIMD IDCTs
// for (3/8, 5/8, ... are plain C and measured slower than a full-size decode). A 1600x1200
// photo for a 224 target decodes at 1/4, a 640x480 one at 1/2.
unsigned scale_for(unsigned w, unsigned h, int32_t min_side) {
  if (min_side <= 0) return 8;
  const unsigned fit = std::min(w, h) == 0 ? 0 : std::min(w / min_side, h / min_side);
  for (unsigned a : {8u, 4u, 2u}) {
    if (fit >= a) return 8 / a;
  }
  return 8;
}

// CMYK as Photoshop writes it (Adobe marker) is stored inverted; PIL's cmyk2rgb then gives
// R = (255 - C)(255 - K) / 255 on the true values.
void cmyk_row_to_rgb(const uint8_t* src, uint8_t* dst, unsigned w, bool inverted) {
  for (unsigned x = 0; x < w; ++x, src += 4, dst += 3) {
    const unsigned k = inverted ? src[3] : 255u - src[3];
    for (int c = 0; c < 3; ++c) {
      const unsigned v = inverted ? src[c] : 255u - src[c];
      dst[c] = static_cast<uint8_t>((v * k + 127u) / 255u);
    }
  }
}

// All libjpeg calls live here, below the setjmp; returns false with out's error set.
bool run(Decompressor& d, std::span<const uint8_t> bytes, const DecodeLimits& limits,
         DecodeResult& out, std::vector<uint8_t>& row) {
  jpeg_decompress_struct& cinfo = d.cinfo;
  if (setjmp(d.err.jump)) {
    detail::fail(out, d.err.token, d.err.message);
    return false;
  }
  jpeg_create_decompress(&cinfo);
  d.progress.progress_monitor = on_progress;
  cinfo.progress = &d.progress;
  jpeg_mem_src(&cinfo, bytes.data(), static_cast<unsigned long>(bytes.size()));
  jpeg_read_header(&cinfo, TRUE);
  if (!detail::accept_size(cinfo.image_width, cinfo.image_height, limits, out)) return false;
  const bool cmyk = cinfo.jpeg_color_space == JCS_CMYK || cinfo.jpeg_color_space == JCS_YCCK;
  cinfo.out_color_space = cmyk ? JCS_CMYK : JCS_RGB;
  cinfo.scale_num = scale_for(cinfo.image_width, cinfo.image_height, limits.min_side);
  cinfo.scale_denom = 8;
  jpeg_start_decompress(&cinfo);
  const unsigned w = cinfo.output_width, h = cinfo.output_height;
  out.image.width = static_cast<int32_t>(w);
  out.image.height = static_cast<int32_t>(h);
  out.image.rgb.resize(static_cast<size_t>(w) * h * 3);
  if (cmyk) row.resize(static_cast<size_t>(w) * 4);
  while (cinfo.output_scanline < h) {
    uint8_t* dst = out.image.rgb.data() + static_cast<size_t>(cinfo.output_scanline) * w * 3;
    JSAMPROW rows[1] = {cmyk ? row.data() : dst};
    if (jpeg_read_scanlines(&cinfo, rows, 1) != 1) break;
    if (cmyk) cmyk_row_to_rgb(row.data(), dst, w, cinfo.saw_Adobe_marker);
  }
  jpeg_finish_decompress(&cinfo);
  out.ok = true;
  return true;
}

struct Compressor {
  jpeg_compress_struct cinfo{};
  ErrorManager err;
  unsigned char* buffer = nullptr;
  unsigned long size = 0;
  Compressor() {
    cinfo.err = jpeg_std_error(&err.pub);
    err.pub.error_exit = on_error;
  }
  ~Compressor() {
    jpeg_destroy_compress(&cinfo);
    std::free(buffer);
  }
};

bool run_encode(Compressor& c, const Image& image, int quality) {
  if (setjmp(c.err.jump)) return false;
  jpeg_create_compress(&c.cinfo);
  jpeg_mem_dest(&c.cinfo, &c.buffer, &c.size);
  c.cinfo.image_width = static_cast<JDIMENSION>(image.width);
  c.cinfo.image_height = static_cast<JDIMENSION>(image.height);
  c.cinfo.input_components = 3;
  c.cinfo.in_color_space = JCS_RGB;
  jpeg_set_defaults(&c.cinfo);  // 4:2:0, baseline, optimised Huffman off
  jpeg_set_quality(&c.cinfo, quality < 1 ? 1 : quality > 100 ? 100 : quality, TRUE);
  jpeg_start_compress(&c.cinfo, TRUE);
  while (c.cinfo.next_scanline < c.cinfo.image_height) {
    JSAMPROW row[1] = {const_cast<uint8_t*>(image.rgb.data()) +
                       static_cast<size_t>(c.cinfo.next_scanline) * image.width * 3};
    jpeg_write_scanlines(&c.cinfo, row, 1);
  }
  jpeg_finish_compress(&c.cinfo);
  return true;
}

}  // namespace

void detail::decode_jpeg(std::span<const uint8_t> bytes, const DecodeLimits& limits,
                         DecodeResult& out) {
  Decompressor d;
  std::vector<uint8_t> row;
  run(d, bytes, limits, out, row);
}

std::vector<uint8_t> encode_jpeg(const Image& image, int quality) {
  if (image.width <= 0 || image.height <= 0 ||
      image.rgb.size() != static_cast<size_t>(image.width) * image.height * 3) {
    return {};
  }
  Compressor c;
  if (!run_encode(c, image, quality)) return {};
  return std::vector<uint8_t>(c.buffer, c.buffer + c.size);
}

}  // namespace warcpairs::image
