// PNG decode with libpng: palette, gray, 16-bit and tRNS expanded to 8-bit RGB(A); alpha on white.
#include <csetjmp>
#include <cstring>
#include <vector>

#include <png.h>

#include "codec.h"

namespace warcpairs::image {
namespace {

struct Reader {
  std::span<const uint8_t> bytes;
  size_t pos = 0;
  const char* token = kErrCorrupt;
  std::string message;
};

// libpng's error callback must not return: longjmp to the setjmp in run().
[[noreturn]] void on_error(png_structp png, png_const_charp msg) {
  auto* r = static_cast<Reader*>(png_get_error_ptr(png));
  r->message = msg;
  png_longjmp(png, 1);
}

void on_warning(png_structp, png_const_charp) {}  // ancillary-chunk trouble: PIL ignores it too

void on_read(png_structp png, png_bytep dst, png_size_t n) {
  auto* r = static_cast<Reader*>(png_get_io_ptr(png));
  if (r->bytes.size() - r->pos < n) {
    r->token = kErrTruncated;
    png_error(png, "unexpected end of PNG data");
  }
  std::memcpy(dst, r->bytes.data() + r->pos, n);
  r->pos += n;
}

struct PngHandle {
  png_structp png = nullptr;
  png_infop info = nullptr;
  ~PngHandle() {
    if (png) png_destroy_read_struct(&png, info ? &info : nullptr, nullptr);
  }
};

// Sets the transforms that turn any PNG into 8-bit RGB or RGBA; returns the channel count.
int set_rgb_transforms(png_structp png, png_infop info) {
  const int type = png_get_color_type(png, info);
  png_set_expand(png);    // palette -> RGB, gray < 8 bit -> 8 bit, tRNS -> alpha
  png_set_strip_16(png);  // keep the high byte, as PIL's "RGB;16B" raw mode does
  if (type == PNG_COLOR_TYPE_GRAY || type == PNG_COLOR_TYPE_GRAY_ALPHA) png_set_gray_to_rgb(png);
  png_set_interlace_handling(png);
  png_read_update_info(png, info);
  return png_get_channels(png, info);
}

// Below the setjmp: only trivially destructible locals live in this frame.
bool run(PngHandle& h, Reader& r, const DecodeLimits& limits, DecodeResult& out,
         std::vector<uint8_t>& rgba, std::vector<png_bytep>& rows) {
  if (setjmp(png_jmpbuf(h.png))) {
    detail::fail(out, r.token, r.message);
    return false;
  }
  png_set_read_fn(h.png, &r, on_read);
  // The IHDR limit libpng checks itself; ours (max_pixels) is checked right after it.
  png_set_user_limits(h.png, 0x7fffffff, 0x7fffffff);
  png_read_info(h.png, h.info);
  const png_uint_32 w = png_get_image_width(h.png, h.info);
  const png_uint_32 hgt = png_get_image_height(h.png, h.info);
  if (!detail::accept_size(w, hgt, limits, out)) return false;
  const int channels = set_rgb_transforms(h.png, h.info);
  if (channels != 3 && channels != 4) png_error(h.png, "unexpected channel count");
  out.image.width = static_cast<int32_t>(w);
  out.image.height = static_cast<int32_t>(hgt);
  out.image.rgb.resize(static_cast<size_t>(w) * hgt * 3);
  uint8_t* base = out.image.rgb.data();
  if (channels == 4) {
    rgba.resize(static_cast<size_t>(w) * hgt * 4);
    base = rgba.data();
  }
  rows.resize(hgt);
  for (png_uint_32 y = 0; y < hgt; ++y) rows[y] = base + static_cast<size_t>(y) * w * channels;
  png_read_image(h.png, rows.data());  // all passes when interlaced
  if (channels == 4) {
    detail::rgba_over_white(rgba.data(), out.image.rgb.data(), static_cast<int64_t>(w) * hgt);
  }
  out.ok = true;  // the chunks after IDAT (png_read_end) carry no pixels: not read
  return true;
}

// The size straight from IHDR (PNG spec §11.2.2: the first chunk), before libpng: its
// png_read_info goes on reading chunks up to IDAT, and a bomb must be refused on the header.
bool check_ihdr(std::span<const uint8_t> b, const DecodeLimits& limits, DecodeResult& out) {
  if (b.size() < 24) return true;  // libpng reports the truncation
  if (std::memcmp(b.data() + 12, "IHDR", 4) != 0) return true;  // libpng reports it corrupt
  auto be32 = [&](size_t at) {
    return (uint32_t{b[at]} << 24) | (uint32_t{b[at + 1]} << 16) | (uint32_t{b[at + 2]} << 8) | b[at + 3];
  };
  const uint32_t w = be32(16), h = be32(20);
  if (w > 0x7fffffffu || h > 0x7fffffffu) {  // §11.2.2: at most 2^31 - 1
    detail::fail(out, kErrCorrupt, "IHDR size over 2^31 - 1");
    return false;
  }
  return detail::accept_size(w, h, limits, out);
}

}  // namespace

void detail::decode_png(std::span<const uint8_t> bytes, const DecodeLimits& limits,
                        DecodeResult& out) {
  if (!check_ihdr(bytes, limits, out)) return;
  Reader r{bytes};
  PngHandle h;
  h.png = png_create_read_struct(PNG_LIBPNG_VER_STRING, &r, on_error, on_warning);
  if (!h.png) return fail(out, kErrCorrupt, "png_create_read_struct failed");
  h.info = png_create_info_struct(h.png);
  if (!h.info) return fail(out, kErrCorrupt, "png_create_info_struct failed");
  std::vector<uint8_t> rgba;
  std::vector<png_bytep> rows;
  run(h, r, limits, out, rgba, rows);
}

}  // namespace warcpairs::image
