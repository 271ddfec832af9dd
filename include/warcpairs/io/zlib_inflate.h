// One zlib inflate stream owned for its whole life: the gzip member reader's fallback and
// the HTTP body decoder both keep one and restart it per member or body.
#pragma once

#include <zlib.h>

namespace warcpairs::io {

// Initialised by the first start(), reset (not reallocated) by the next ones with the same
// window bits, ended on destruction. Neither copied nor moved: zlib's state points back at
// the z_stream, so it must stay where it was initialised.
class ZlibInflate {
 public:
  ZlibInflate() = default;
  ~ZlibInflate();
  ZlibInflate(const ZlibInflate&) = delete;
  ZlibInflate& operator=(const ZlibInflate&) = delete;

  // `window_bits` as inflateInit2 takes them: 15 zlib, -15 raw deflate, 15+16 gzip only,
  // 15+32 gzip or zlib by the header. False when zlib cannot set up (out of memory).
  bool start(int window_bits);
  z_stream& z() { return z_; }

 private:
  z_stream z_{};
  int bits_ = 0;  // the window bits it was initialised with; 0: not initialised
};

}  // namespace warcpairs::io
