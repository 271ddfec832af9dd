// De-chunking and zlib, brotli and zstd decoding of HTTP bodies into reused, capped buffers.
#include "body_decoding.h"

#include <brotli/decode.h>
#include <libdeflate.h>
#include <zlib.h>
#include <zstd.h>

#include <algorithm>
#include <limits>
#include <new>

#include "ascii.h"
#include "warcpairs/io/zlib_inflate.h"

namespace warcpairs::warc {
namespace {
bool parse_hex(std::string_view s, uint64_t& out) {
  if (s.empty() || s.size() > 15) return false;
  uint64_t v = 0;
  for (char c : s) {
    int d = (c >= '0' && c <= '9') ? c - '0' : (c >= 'a' && c <= 'f') ? c - 'a' + 10
          : (c >= 'A' && c <= 'F') ? c - 'A' + 10 : -1;
    if (d < 0) return false;
    v = v * 16 + uint64_t(d);
  }
  out = v;
  return true;
}

// Makes room after out[0, len) for the next decoding step; false when `cap` is reached. The
// buffer is reused across bodies: it may be larger than this call's cap.
bool room(std::string& out, std::size_t len, uint64_t cap, std::size_t& limit) {
  limit = std::min<uint64_t>(out.size(), cap);
  if (len < limit) return true;
  if (len >= cap) return false;
  out.resize(std::min<uint64_t>(std::max<std::size_t>(out.size() * 2, 64u << 10), cap));
  limit = out.size();
  return true;
}
}  // namespace

DecodeResult dechunk(std::string_view raw, std::string& out, uint64_t cap) {
  out.clear();
  std::size_t p = 0;
  for (bool first = true;; first = false) {
    std::size_t eol = raw.find('\n', p);
    uint64_t size = 0;
    std::string_view line = raw.substr(p, eol == std::string_view::npos ? raw.size() - p : eol - p);
    line = trim(line.substr(0, line.find(';')));  // chunk extensions are ignored (§7.1.1)
    if (eol == std::string_view::npos || !parse_hex(line, size))
      return first ? DecodeResult::malformed : DecodeResult::truncated;
    p = eol + 1;
    if (size == 0) return DecodeResult::ok;  // trailer fields are not needed
    uint64_t avail = raw.size() - p;
    uint64_t take = std::min(size, avail);
    if (out.size() + take > cap) {
      out.append(raw.substr(p, cap - out.size()));
      return DecodeResult::capped;
    }
    out.append(raw.substr(p, take));
    if (take < size) return DecodeResult::truncated;
    p += size;
    if (raw.substr(p, 2) == "\r\n") p += 2;
    else if (raw.substr(p, 1) == "\n") p += 1;
  }
}

Inflater::Inflater()
    : z_(std::make_unique<io::ZlibInflate>()), deflate_(libdeflate_alloc_decompressor()) {
  if (!deflate_) throw std::bad_alloc();
}
Inflater::~Inflater() { libdeflate_free_decompressor(deflate_); }

DecodeResult Inflater::inflate(std::string_view in, bool gzip, uint64_t cap, std::string& out,
                               std::size_t& len) {
  if (gzip) {
    if (one_gzip_member(in, cap, out, len)) return DecodeResult::ok;
    return run(in, 15 + 32, cap, out, len);  // +32: gzip or zlib header, auto-detected
  }
  // "deflate" is meant to be zlib-wrapped (RFC 9110 §8.4.1.2) but servers often send raw.
  DecodeResult r = run(in, 15, cap, out, len);
  if (r == DecodeResult::malformed && len == 0) r = run(in, -15, cap, out, len);
  return r;
}

// The gzip trailer's ISIZE (RFC 1952 §2.3.1) is the member's size when `in` is exactly one
// member: the output buffer gets that size, and libdeflate checks CRC and ISIZE itself.
// Only a whole, valid member that ends where `in` ends counts; true then, with out[0, len).
bool Inflater::one_gzip_member(std::string_view in, uint64_t cap, std::string& out,
                               std::size_t& len) {
  if (in.size() < 18 || static_cast<unsigned char>(in[0]) != 0x1f ||
      static_cast<unsigned char>(in[1]) != 0x8b)
    return false;
  const auto* t = reinterpret_cast<const unsigned char*>(in.data() + in.size() - 4);
  const uint64_t isize = uint64_t{t[0]} | uint64_t{t[1]} << 8 | uint64_t{t[2]} << 16 |
                         uint64_t{t[3]} << 24;
  if (isize > cap) return false;
  if (out.size() < isize) out.resize(isize);
  std::size_t used = 0, produced = 0;
  const libdeflate_result r = libdeflate_gzip_decompress_ex(
      deflate_, in.data(), in.size(), out.data(), isize, &used, &produced);
  if (r != LIBDEFLATE_SUCCESS || used != in.size()) return false;
  len = produced;
  return true;
}

DecodeResult Inflater::run(std::string_view in, int window_bits, uint64_t cap, std::string& out,
                           std::size_t& len) {
  len = 0;
  if (!z_->start(window_bits)) throw std::bad_alloc();
  z_stream& z = z_->z();
  constexpr std::size_t kMax = std::numeric_limits<uInt>::max();
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in.data()));
  std::size_t in_left = in.size();
  for (;;) {
    std::size_t limit = 0;
    if (!room(out, len, cap, limit)) return DecodeResult::capped;
    z.avail_in = static_cast<uInt>(std::min(in_left, kMax));
    z.next_out = reinterpret_cast<Bytef*>(out.data() + len);
    z.avail_out = static_cast<uInt>(std::min(limit - len, kMax));
    uInt in_before = z.avail_in, out_before = z.avail_out;
    int rc = ::inflate(&z, Z_NO_FLUSH);
    in_left -= in_before - z.avail_in;
    len += out_before - z.avail_out;
    if (rc == Z_STREAM_END) {
      // Concatenated gzip members decode as one body (RFC 1952 §2.2).
      if (window_bits > 15 && in_left >= 2 && z.next_in[0] == 0x1f && z.next_in[1] == 0x8b &&
          inflateReset(&z) == Z_OK)
        continue;
      return DecodeResult::ok;
    }
    if (rc == Z_OK) continue;
    if (rc == Z_BUF_ERROR && in_left == 0) return DecodeResult::truncated;
    return DecodeResult::malformed;  // bad data, or no progress possible
  }
}

DecodeResult unbrotli(std::string_view in, uint64_t cap, std::string& out, std::size_t& len) {
  len = 0;
  // Version 1.0.9 has no reset: one state per body (a few KiB; the window comes on demand).
  std::unique_ptr<BrotliDecoderState, void (*)(BrotliDecoderState*)> s(
      BrotliDecoderCreateInstance(nullptr, nullptr, nullptr), BrotliDecoderDestroyInstance);
  if (!s) throw std::bad_alloc();
  const uint8_t* next_in = reinterpret_cast<const uint8_t*>(in.data());
  std::size_t avail_in = in.size();
  for (;;) {
    std::size_t limit = 0;
    if (!room(out, len, cap, limit)) return DecodeResult::capped;
    uint8_t* next_out = reinterpret_cast<uint8_t*>(out.data() + len);
    std::size_t avail_out = limit - len;
    BrotliDecoderResult rc =
        BrotliDecoderDecompressStream(s.get(), &avail_in, &next_in, &avail_out, &next_out, nullptr);
    len = limit - avail_out;
    switch (rc) {
      case BROTLI_DECODER_RESULT_SUCCESS: return DecodeResult::ok;
      case BROTLI_DECODER_RESULT_NEEDS_MORE_OUTPUT: continue;
      case BROTLI_DECODER_RESULT_NEEDS_MORE_INPUT: return DecodeResult::truncated;
      default: return DecodeResult::malformed;
    }
  }
}

ZstdDecoder::ZstdDecoder() : d_(ZSTD_createDCtx()) {
  if (!d_) throw std::bad_alloc();
  ZSTD_DCtx_setParameter(d_, ZSTD_d_windowLogMax, 23);  // 8 MiB (RFC 9659 §3)
}
ZstdDecoder::~ZstdDecoder() { ZSTD_freeDCtx(d_); }

DecodeResult ZstdDecoder::decode(std::string_view in, uint64_t cap, std::string& out,
                                 std::size_t& len) {
  len = 0;
  ZSTD_DCtx_reset(d_, ZSTD_reset_session_only);
  ZSTD_inBuffer src{in.data(), in.size(), 0};
  for (;;) {
    std::size_t limit = 0;
    if (!room(out, len, cap, limit)) return DecodeResult::capped;
    ZSTD_outBuffer dst{out.data(), limit, len};
    std::size_t hint = ZSTD_decompressStream(d_, &dst, &src);
    len = dst.pos;
    if (ZSTD_isError(hint)) return DecodeResult::malformed;
    if (src.pos == src.size) {
      if (hint == 0) return DecodeResult::ok;  // the last frame ended and is flushed
      if (dst.pos < dst.size) return DecodeResult::truncated;  // a frame wants more input
    }
    // Output full, or a frame ended and the next one (RFC 8878 §3: concatenated) follows.
  }
}

}  // namespace warcpairs::warc
