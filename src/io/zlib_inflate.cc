// ZlibInflate: the z_stream's init, reset and end in one place (zlib_inflate.h).
#include "warcpairs/io/zlib_inflate.h"

namespace warcpairs::io {

ZlibInflate::~ZlibInflate() {
  if (bits_) inflateEnd(&z_);
}

bool ZlibInflate::start(int window_bits) {
  if (bits_ == window_bits) return inflateReset(&z_) == Z_OK;
  if (bits_) inflateEnd(&z_);
  z_ = z_stream{};
  bits_ = inflateInit2(&z_, window_bits) == Z_OK ? window_bits : 0;
  return bits_ != 0;
}

}  // namespace warcpairs::io
