// Decodes gzip members (RFC 1952 §2.3) into a ByteWindow: libdeflate in one call per member
// for ordinary members, zlib streaming inflate for members too large for one buffer and to
// find exactly where a corrupt or truncated member breaks (keeping the bytes before it).
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>

#include "warcpairs/io/byte_window.h"
#include "warcpairs/io/input_window.h"

struct libdeflate_decompressor;

namespace warcpairs::io {

class ZlibInflate;

class GzipMemberReader {
 public:
  enum class Status {
    member_done,  // the member ended; its bytes are in the window
    more,         // streaming a large member: call again for more output
    corrupt,      // invalid deflate data or checksum; bytes decoded before the break are kept
    truncated,    // the file ended inside the member; bytes decoded so far are kept
  };
  // Members decoding to at most this many bytes are decoded in one libdeflate call.
  static constexpr std::size_t kOneShotMaxOut = 16u << 20;
  static constexpr std::size_t kOneShotMaxIn = 8u << 20;

  GzipMemberReader();
  ~GzipMemberReader();
  GzipMemberReader(const GzipMemberReader&) = delete;
  GzipMemberReader& operator=(const GzipMemberReader&) = delete;

  // Decodes from the member starting at in.data() (or continues a streaming one), appending
  // to out. In streaming mode stops after about `want` new bytes. `produced` is the number of
  // bytes appended by this call.
  Status decode(InputWindow& in, ByteWindow& out, std::size_t want, std::size_t& produced);
  bool streaming() const { return streaming_; }
  void reset();  // forget a member in progress (seek, resync)

 private:
  Status one_shot(InputWindow& in, ByteWindow& out, std::size_t& produced, bool& fallback);
  Status stream(InputWindow& in, ByteWindow& out, std::size_t want, std::size_t& produced);

  std::unique_ptr<ZlibInflate> zlib_;
  ::libdeflate_decompressor* deflate_ = nullptr;
  bool streaming_ = false;
  std::size_t out_guess_ = 1u << 20;
};

// True when p (n bytes available) starts with a gzip member header: 1f 8b 08.
inline bool is_gzip_magic(const unsigned char* p, std::size_t n) {
  return n >= 3 && p[0] == 0x1f && p[1] == 0x8b && p[2] == 0x08;
}

}  // namespace warcpairs::io
