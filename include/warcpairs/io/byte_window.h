// A reused buffer holding a window [begin, end) of a byte stream: consumed from the front,
// written at the back, compacted (unconsumed bytes moved to the front) only when needed.
#pragma once

#include <cstddef>
#include <cstring>
#include <memory>

namespace warcpairs::io {

class ByteWindow {
 public:
  char* data() { return buf_.get() + begin_; }
  const char* data() const { return buf_.get() + begin_; }
  std::size_t size() const { return end_ - begin_; }
  void consume(std::size_t n) {
    begin_ += n;
    if (begin_ == end_) begin_ = end_ = 0;  // empty: the next write starts at the front, no copy
  }
  void clear() { begin_ = end_ = 0; }

  // At least `n` writable bytes after the window; may move the window (invalidates pointers).
  char* reserve_tail(std::size_t n) {
    if (capacity_ - end_ >= n) return buf_.get() + end_;
    std::size_t live = size();
    if (begin_ > 0 && capacity_ - live >= n && live <= capacity_ / 2) {
      std::memmove(buf_.get(), data(), live);
    } else {
      std::size_t cap = capacity_ ? capacity_ : 1;
      while (cap - live < n) cap *= 2;
      std::unique_ptr<char[]> grown(new char[cap]);  // uninitialised on purpose
      if (live) std::memcpy(grown.get(), data(), live);
      buf_ = std::move(grown);
      capacity_ = cap;
    }
    begin_ = 0;
    end_ = live;
    return buf_.get() + end_;
  }
  std::size_t tail_space() const { return capacity_ - end_; }
  void commit(std::size_t n) { end_ += n; }

 private:
  std::unique_ptr<char[]> buf_;
  std::size_t capacity_ = 0;
  std::size_t begin_ = 0;
  std::size_t end_ = 0;
};

}  // namespace warcpairs::io
