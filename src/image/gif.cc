// GIF decode, first frame only, on giflib (Debian libgif-dev): DGifOpen over the bytes in
// memory, the records up to the first image descriptor (GIF89a §20), then its LZW data row by
// row (DGifGetLine). Ours: the canvas, the colour lookup and transparency as PIL 9 shows a
// first frame (§23 graphic control), Appendix E's interlaced row order, and sorting giflib's
// failures into the project's reason tokens (truncated, corrupt) without crashing. Like
// browsers, giflib paints an LZW code past its table instead of refusing the frame (only a
// first code after a clear that is no literal is image_corrupt), and it wants a frame's last
// data sub-block whole (a file missing it is image_truncated even when the pixels were there).
#include <gif_lib.h>

#include <algorithm>
#include <array>
#include <cstring>
#include <memory>
#include <vector>

#include "codec.h"

namespace warcpairs::image {
namespace {

using detail::accept_size;
using detail::fail;

// giflib's input callback over the bytes. Past the end it hands out one 0 byte, once: a file
// cut just before its image's block terminator (§15) then still ends cleanly, as with a
// decoder that stops reading at the last pixel; every other cut still fails. `ended` says a
// read went past the real bytes, so a failure then is a truncation, not corruption.
struct MemoryInput {
  std::span<const uint8_t> bytes;
  size_t pos = 0;
  bool padded = false;
  bool ended = false;
};

int read_input(GifFileType* gif, GifByteType* buf, int n) {
  auto& in = *static_cast<MemoryInput*>(gif->UserData);
  const size_t want = n > 0 ? static_cast<size_t>(n) : 0;
  size_t got = std::min(want, in.bytes.size() - in.pos);
  if (got > 0) std::memcpy(buf, in.bytes.data() + in.pos, got);
  in.pos += got;
  if (got < want) {
    in.ended = true;
    if (!in.padded) {
      in.padded = true;
      buf[got++] = 0;
    }
  }
  return static_cast<int>(got);
}

struct GifClose {
  void operator()(GifFileType* gif) const { DGifCloseFile(gif, nullptr); }
};
using GifHandle = std::unique_ptr<GifFileType, GifClose>;

// The colour each palette index paints; the transparent one paints nothing (white shows).
struct Colours {
  std::array<std::array<uint8_t, 3>, 256> rgb;
  int transparent = -1;
};

Colours colours_of(const ColorMapObject* map, int transparent) {
  Colours c;
  c.transparent = transparent;
  for (int i = 0; i < 256; ++i) {
    if (map && i < map->ColorCount) {
      const GifColorType& e = map->Colors[i];
      c.rgb[i] = {e.Red, e.Green, e.Blue};
    } else if (!map) {  // no colour table at all: grey ramp, as PIL's "L"
      c.rgb[i] = {static_cast<uint8_t>(i), static_cast<uint8_t>(i), static_cast<uint8_t>(i)};
    } else {  // index past the table: black, as PIL's palette padding
      c.rgb[i] = {0, 0, 0};
    }
  }
  return c;
}

// Frame rows in the order the data holds them: Appendix E for interlaced frames.
std::vector<int> row_order(int height, bool interlaced) {
  std::vector<int> rows;
  rows.reserve(height);
  if (!interlaced) {
    for (int y = 0; y < height; ++y) rows.push_back(y);
    return rows;
  }
  constexpr int start[4] = {0, 4, 2, 1}, step[4] = {8, 8, 4, 2};
  for (int p = 0; p < 4; ++p) {
    for (int y = start[p]; y < height; y += step[p]) rows.push_back(y);
  }
  return rows;
}

// Records up to the first image descriptor, keeping the last graphic control's transparent
// index; nullptr or a reason token.
const char* read_to_first_frame(GifFileType* gif, const MemoryInput& in, int& transparent) {
  auto failed = [&] { return in.ended ? kErrTruncated : kErrCorrupt; };
  while (true) {
    GifRecordType type;
    if (DGifGetRecordType(gif, &type) != GIF_OK) return failed();
    if (type == IMAGE_DESC_RECORD_TYPE) return DGifGetImageDesc(gif) == GIF_OK ? nullptr : failed();
    if (type != EXTENSION_RECORD_TYPE) return kErrCorrupt;  // the trailer before any image
    int code = 0;
    GifByteType* block = nullptr;  // block[0] is the sub-block length
    if (DGifGetExtension(gif, &code, &block) != GIF_OK) return failed();
    if (code == GRAPHICS_EXT_FUNC_CODE && block && block[0] >= 4) {
      transparent = (block[1] & 1) ? block[4] : -1;
    }
    while (block) {
      if (DGifGetExtensionNext(gif, &block) != GIF_OK) return failed();
    }
  }
}

enum class Pass { done, early_end };

// One pass over the file into out. Pixels come `per_pixel` one at a time or a row at a time:
// giflib does not say how much of a row it filled before an early end code, so a row pass
// that meets one is done again pixel by pixel, to keep exactly the pixels the data held.
Pass decode_pass(std::span<const uint8_t> bytes, const DecodeLimits& limits, bool per_pixel,
                 DecodeResult& out) {
  MemoryInput in{bytes};
  int error = 0;
  GifHandle gif(DGifOpen(&in, read_input, &error));
  if (!gif) {
    fail(out, in.ended ? kErrTruncated : kErrCorrupt, "GIF logical screen descriptor");
    return Pass::done;
  }
  int transparent = -1;
  if (const char* err = read_to_first_frame(gif.get(), in, transparent)) {
    out.width = gif->SWidth;
    out.height = gif->SHeight;
    fail(out, err, "GIF blocks before the first image");
    return Pass::done;
  }
  const GifImageDesc& f = gif->Image;
  // A frame reaching past the logical screen grows the canvas, as PIL 9 does.
  const int64_t w = std::max<int64_t>(gif->SWidth, int64_t{f.Left} + f.Width);
  const int64_t h = std::max<int64_t>(gif->SHeight, int64_t{f.Top} + f.Height);
  if (!accept_size(w, h, limits, out)) return Pass::done;
  out.image.width = static_cast<int32_t>(w);
  out.image.height = static_cast<int32_t>(h);
  out.image.rgb.assign(static_cast<size_t>(w) * h * 3, 255);
  const Colours colours = colours_of(f.ColorMap ? f.ColorMap : gif->SColorMap, transparent);
  const std::vector<int> rows = row_order(f.Height, f.Interlace);
  const int step = per_pixel ? 1 : f.Width;
  std::vector<GifPixelType> line(f.Width);
  for (int64_t n = 0, total = int64_t{f.Width} * f.Height; n < total; n += step) {
    if (DGifGetLine(gif.get(), line.data(), step) != GIF_OK) {
      if (in.ended) {
        fail(out, kErrTruncated, "GIF LZW data");
      } else if (gif->Error != D_GIF_ERR_EOF_TOO_SOON) {
        fail(out, kErrCorrupt, "GIF LZW data");
      } else if (!per_pixel) {
        return Pass::early_end;
      } else {
        out.ok = true;  // missing pixels (early end code) stay background, as browsers show them
      }
      return Pass::done;
    }
    const int x0 = static_cast<int>(n % f.Width);
    uint8_t* px = out.image.rgb.data() +
                  ((f.Top + rows[n / f.Width]) * w + f.Left + x0) * 3;
    for (int i = 0; i < step; ++i, px += 3) {
      if (line[i] == colours.transparent) continue;  // transparent: the white background shows
      std::memcpy(px, colours.rgb[line[i]].data(), 3);
    }
  }
  out.ok = true;
  return Pass::done;
}

}  // namespace

void detail::decode_gif(std::span<const uint8_t> bytes, const DecodeLimits& limits,
                        DecodeResult& out) {
  if (decode_pass(bytes, limits, false, out) == Pass::early_end) {
    decode_pass(bytes, limits, true, out);
  }
}

}  // namespace warcpairs::image
