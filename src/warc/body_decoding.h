// Removing HTTP transfer and content codings from a response body (RFC 9112 §7.1 chunked;
// RFC 9110 §8.4.1 gzip, x-gzip, deflate; RFC 7932 br; RFC 8878/9659 zstd), each capped so a
// small body cannot bomb memory.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

struct ZSTD_DCtx_s;
struct libdeflate_decompressor;

namespace warcpairs::io {
class ZlibInflate;
}

namespace warcpairs::warc {

enum class DecodeResult { ok, malformed, truncated, capped };

// Appends the de-chunked body to `out` (cleared first), at most `cap` bytes.
// malformed: the first chunk-size line is not one (the body is probably not chunked at all);
// truncated: the data ends, or a later size line is bad, before the last chunk.
DecodeResult dechunk(std::string_view raw, std::string& out, uint64_t cap);

// Inflates gzip (one or more members) or deflate (zlib-wrapped or raw) into out[0, len).
// A body that is exactly one well-formed gzip member within the cap is decoded by libdeflate
// in one call (about twice zlib's speed); everything else (several members, trailing bytes,
// zlib or raw deflate, damage, the cap) goes through zlib, which decides the result.
class Inflater {
 public:
  Inflater();
  ~Inflater();
  Inflater(const Inflater&) = delete;
  Inflater& operator=(const Inflater&) = delete;
  // malformed: not valid compressed data (len bytes decoded before the error).
  DecodeResult inflate(std::string_view in, bool gzip, uint64_t cap, std::string& out,
                       std::size_t& len);

 private:
  DecodeResult run(std::string_view in, int window_bits, uint64_t cap, std::string& out,
                   std::size_t& len);
  bool one_gzip_member(std::string_view in, uint64_t cap, std::string& out, std::size_t& len);
  std::unique_ptr<io::ZlibInflate> z_;
  libdeflate_decompressor* deflate_ = nullptr;
};

// Brotli (RFC 7932) with libbrotlidec's streaming decoder; same results and caps as Inflater.
DecodeResult unbrotli(std::string_view in, uint64_t cap, std::string& out, std::size_t& len);

// Zstandard (RFC 8878), one or more frames (skippable ones ignored), with libzstd's streaming
// decoder. Windows over 8 MiB are refused (malformed), as RFC 9659 §3 lets HTTP decoders do.
class ZstdDecoder {
 public:
  ZstdDecoder();
  ~ZstdDecoder();
  ZstdDecoder(const ZstdDecoder&) = delete;
  ZstdDecoder& operator=(const ZstdDecoder&) = delete;
  DecodeResult decode(std::string_view in, uint64_t cap, std::string& out, std::size_t& len);

 private:
  ZSTD_DCtx_s* d_ = nullptr;
};

}  // namespace warcpairs::warc
