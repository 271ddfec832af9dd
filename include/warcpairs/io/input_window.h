// Compressed input read from a ByteSource in large chunks into one reused buffer, with the
// file offset of every buffered byte known (gzip member offsets are file offsets).
#pragma once

#include <cstddef>
#include <cstdint>

#include "warcpairs/io/byte_source.h"
#include "warcpairs/io/byte_window.h"

namespace warcpairs::io {

class InputWindow {
 public:
  static constexpr std::size_t kChunk = 4u << 20;

  explicit InputWindow(ByteSource& source) : source_(source) {}

  const unsigned char* data() const { return reinterpret_cast<const unsigned char*>(buf_.data()); }
  std::size_t size() const { return buf_.size(); }
  uint64_t offset() const { return offset_; }  // file offset of data()[0]
  bool eof() const { return eof_; }
  void consume(std::size_t n) {
    buf_.consume(n);
    offset_ += n;
  }

  // Reads at least one more chunk (up to `at_least` more bytes if larger); false at end of file.
  bool read_more(std::size_t at_least = kChunk);
  // Makes at least n bytes available unless the file ends first; returns size() >= n.
  bool fill(std::size_t n) {
    while (size() < n)
      if (!read_more()) return false;
    return true;
  }
  void seek(uint64_t offset);

 private:
  ByteSource& source_;
  ByteWindow buf_;
  uint64_t offset_ = 0;
  bool eof_ = false;
};

}  // namespace warcpairs::io
