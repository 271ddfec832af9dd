// InputWindow: chunked reads of compressed input into one reused buffer.
#include "warcpairs/io/input_window.h"

#include <algorithm>

namespace warcpairs::io {

bool InputWindow::read_more(std::size_t at_least) {
  if (eof_) return false;
  std::size_t want = std::max(at_least, kChunk);
  char* dst = buf_.reserve_tail(want);
  std::size_t got = source_.read(dst, buf_.tail_space());
  if (got == 0) {
    eof_ = true;
    return false;
  }
  buf_.commit(got);
  return true;
}

void InputWindow::seek(uint64_t offset) {
  source_.seek(offset);
  buf_.clear();
  offset_ = offset;
  eof_ = false;
}

}  // namespace warcpairs::io
