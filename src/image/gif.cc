// GIF decode, first frame only, written here: no GIF library is among our dependencies (giflib
// is not in the Debian set this project builds with), and one frame needs little code.
// Follows the GIF89a specification (W3C/CompuServe 1990): §18 logical screen, §19/§21 colour
// tables, §20 image descriptor, §22 table-based image data (LZW, variable code length, LSB
// first), §23 graphic control extension (transparency), Appendix E interlaced row order.
#include <algorithm>
#include <array>
#include <memory>
#include <vector>

#include "codec.h"

namespace warcpairs::image {
namespace {

constexpr int kMaxCodes = 4096;  // 12-bit codes, §22

struct Cursor {
  std::span<const uint8_t> b;
  size_t pos = 0;
  bool ended = false;  // ran past the last byte: the file is truncated
  bool has(size_t n) {
    if (b.size() - pos >= n) return true;
    ended = true;
    return false;
  }
  uint8_t u8() { return has(1) ? b[pos++] : 0; }
  uint16_t u16() {
    if (!has(2)) return 0;
    const uint16_t v = static_cast<uint16_t>(b[pos] | (b[pos + 1] << 8));
    pos += 2;
    return v;
  }
  // Data sub-blocks (§15): size byte, that many bytes, ..., a zero size.
  void skip_sub_blocks() {
    while (!ended) {
      const uint8_t n = u8();
      if (n == 0 || !has(n)) return;
      pos += n;
    }
  }
};

struct Frame {
  int left = 0, top = 0, width = 0, height = 0;
  bool interlaced = false;
  const uint8_t* palette = nullptr;  // 3 bytes per entry
  int palette_size = 0;
  int transparent = -1;
};

// LSB-first code reader over the image data sub-blocks.
class CodeReader {
 public:
  explicit CodeReader(Cursor& c) : c_(c) {}
  // false at the block terminator (data over) or when the file ended (c_.ended).
  bool read(int bits, int& code) {
    while (nbits_ < bits) {
      if (left_ == 0) {
        if (done_) return false;
        left_ = c_.u8();
        if (left_ == 0 || c_.ended) {
          done_ = true;
          return false;
        }
      }
      if (!c_.has(1)) return false;
      acc_ |= static_cast<uint32_t>(c_.b[c_.pos++]) << nbits_;
      nbits_ += 8;
      --left_;
    }
    code = static_cast<int>(acc_ & ((1u << bits) - 1));
    acc_ >>= bits;
    nbits_ -= bits;
    return true;
  }
  // Moves past the rest of the image data so a caller could go on to the next block.
  void finish() {
    if (!done_ && left_ > 0 && c_.has(left_)) c_.pos += left_;
    if (!done_) c_.skip_sub_blocks();
  }

 private:
  Cursor& c_;
  uint32_t acc_ = 0;
  int nbits_ = 0;
  int left_ = 0;
  bool done_ = false;
};

// Writes decoded palette indices into the canvas, in the frame's (maybe interlaced) row order.
class PixelSink {
 public:
  PixelSink(const Frame& f, Image& canvas) : f_(f), canvas_(canvas) {
    rows_.reserve(f.height);
    if (!f.interlaced) {
      for (int y = 0; y < f.height; ++y) rows_.push_back(y);
    } else {  // Appendix E: rows 0,8,16..; 4,12..; 2,6..; 1,3..
      constexpr int start[4] = {0, 4, 2, 1}, step[4] = {8, 8, 4, 2};
      for (int p = 0; p < 4; ++p) {
        for (int y = start[p]; y < f.height; y += step[p]) rows_.push_back(y);
      }
    }
  }
  int64_t total() const { return static_cast<int64_t>(f_.width) * f_.height; }
  int64_t written() const { return n_; }
  void put(int index) {
    if (n_ >= total()) return;
    const int x = static_cast<int>(n_ % f_.width);
    const int y = rows_[static_cast<size_t>(n_ / f_.width)];
    ++n_;
    if (index == f_.transparent) return;  // transparent: the white background shows
    uint8_t* px = canvas_.rgb.data() +
                  (static_cast<size_t>(f_.top + y) * canvas_.width + f_.left + x) * 3;
    if (index < f_.palette_size) {
      px[0] = f_.palette[index * 3];
      px[1] = f_.palette[index * 3 + 1];
      px[2] = f_.palette[index * 3 + 2];
    } else if (f_.palette == nullptr) {  // no colour table at all: grey ramp, as PIL's "L"
      px[0] = px[1] = px[2] = static_cast<uint8_t>(index);
    } else {  // index past the table: black, as PIL's palette padding
      px[0] = px[1] = px[2] = 0;
    }
  }

 private:
  const Frame& f_;
  Image& canvas_;
  std::vector<int> rows_;
  int64_t n_ = 0;
};

struct LzwTable {
  std::array<uint16_t, kMaxCodes> prefix;
  std::array<uint8_t, kMaxCodes> suffix, first;
  std::array<uint16_t, kMaxCodes> length;
  std::array<uint8_t, kMaxCodes> stack;
};

void emit(LzwTable& t, int code, PixelSink& sink) {
  const int n = t.length[code];
  uint8_t* stack = t.stack.data();
  for (int i = n - 1; i >= 0; --i) {
    stack[i] = t.suffix[code];
    code = t.prefix[code];
  }
  for (int i = 0; i < n; ++i) sink.put(stack[i]);
}

// §22 LZW with deferred clear; returns nullptr or a reason token.
const char* decode_lzw(Cursor& c, int min_size, PixelSink& sink) {
  if (min_size < 1 || min_size > 11) return kErrCorrupt;
  auto t = std::make_unique<LzwTable>();
  const int clear = 1 << min_size, eoi = clear + 1;
  for (int i = 0; i < clear; ++i) {
    t->prefix[i] = 0;
    t->suffix[i] = t->first[i] = static_cast<uint8_t>(i);
    t->length[i] = 1;
  }
  CodeReader reader(c);
  int size = min_size + 1, next = clear + 2, prev = -1, code = 0;
  while (sink.written() < sink.total()) {
    if (!reader.read(size, code)) return c.ended ? kErrTruncated : nullptr;
    if (code == clear) {
      size = min_size + 1;
      next = clear + 2;
      prev = -1;
      continue;
    }
    if (code == eoi) break;
    if (prev < 0) {
      if (code >= clear) return kErrCorrupt;
      emit(*t, code, sink);
      prev = code;
      continue;
    }
    if (code > next || (code == next && next >= kMaxCodes)) return kErrCorrupt;
    if (next < kMaxCodes) {
      const int known = code < next ? code : prev;  // KwKwK when code == next
      t->prefix[next] = static_cast<uint16_t>(prev);
      t->suffix[next] = t->first[known];
      t->first[next] = t->first[prev];
      t->length[next] = static_cast<uint16_t>(t->length[prev] + 1);
      ++next;
      if (next == (1 << size) && size < 12) ++size;
    }
    emit(*t, code, sink);
    prev = code;
  }
  reader.finish();
  return nullptr;  // missing pixels (early end code) stay background, as browsers show them
}

// Reads blocks up to the first image descriptor; fills the frame; nullptr or a reason token.
const char* read_to_first_frame(Cursor& c, const uint8_t* global, int global_size, Frame& f) {
  int transparent = -1;
  while (true) {
    const uint8_t block = c.u8();
    if (c.ended) return kErrTruncated;
    if (block == 0x21) {  // extension
      const uint8_t label = c.u8();
      if (label == 0xF9 && c.has(6) && c.b[c.pos] >= 4) {  // §23 graphic control
        const uint8_t packed = c.b[c.pos + 1];
        transparent = (packed & 1) ? c.b[c.pos + 4] : -1;
      }
      c.skip_sub_blocks();
      if (c.ended) return kErrTruncated;
    } else if (block == 0x2C) {  // §20 image descriptor
      f.left = c.u16();
      f.top = c.u16();
      f.width = c.u16();
      f.height = c.u16();
      const uint8_t packed = c.u8();
      if (c.ended) return kErrTruncated;
      f.interlaced = packed & 0x40;
      f.palette = global;
      f.palette_size = global_size;
      if (packed & 0x80) {
        f.palette_size = 2 << (packed & 7);
        if (!c.has(static_cast<size_t>(f.palette_size) * 3)) return kErrTruncated;
        f.palette = c.b.data() + c.pos;
        c.pos += static_cast<size_t>(f.palette_size) * 3;
      }
      f.transparent = transparent;
      return nullptr;
    } else if (block == 0x3B) {
      return kErrCorrupt;  // trailer before any image
    } else {
      return kErrCorrupt;
    }
  }
}

}  // namespace

void detail::decode_gif(std::span<const uint8_t> bytes, const DecodeLimits& limits,
                        DecodeResult& out) {
  Cursor c{bytes, 6};
  const int screen_w = c.u16(), screen_h = c.u16();
  const uint8_t packed = c.u8();
  c.u8();  // background colour index: not used, the background is transparent (white)
  c.u8();  // pixel aspect ratio
  if (c.ended) return fail(out, kErrTruncated, "GIF logical screen descriptor");
  const uint8_t* global = nullptr;
  int global_size = 0;
  if (packed & 0x80) {
    global_size = 2 << (packed & 7);
    if (!c.has(static_cast<size_t>(global_size) * 3)) return fail(out, kErrTruncated, "GIF palette");
    global = bytes.data() + c.pos;
    c.pos += static_cast<size_t>(global_size) * 3;
  }
  Frame f;
  if (const char* err = read_to_first_frame(c, global, global_size, f)) {
    out.width = screen_w;
    out.height = screen_h;
    return fail(out, err, "GIF blocks before the first image");
  }
  // A frame reaching past the logical screen grows the canvas, as PIL 9 does.
  const int64_t w = std::max<int64_t>(screen_w, int64_t{f.left} + f.width);
  const int64_t h = std::max<int64_t>(screen_h, int64_t{f.top} + f.height);
  if (!accept_size(w, h, limits, out)) return;
  const int min_size = c.u8();
  if (c.ended) return fail(out, kErrTruncated, "GIF image data");
  out.image.width = static_cast<int32_t>(w);
  out.image.height = static_cast<int32_t>(h);
  out.image.rgb.assign(static_cast<size_t>(w) * h * 3, 255);
  PixelSink sink(f, out.image);
  if (const char* err = decode_lzw(c, min_size, sink)) return fail(out, err, "GIF LZW data");
  out.ok = true;
}

}  // namespace warcpairs::image
