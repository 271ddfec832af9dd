// FileSource: open/read/lseek on a descriptor, large reads straight into the caller's buffer.
#include "warcpairs/io/byte_source.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "warcpairs/core/error.h"

namespace warcpairs::io {

FileSource::FileSource(std::string path) : path_(std::move(path)) {
  fd_ = ::open(path_.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd_ < 0) throw Error(std::string("cannot open: ") + std::strerror(errno), path_);
  struct stat st {};
  if (::fstat(fd_, &st) != 0 || S_ISDIR(st.st_mode)) {
    ::close(fd_);
    throw Error("not a readable file", path_);
  }
  size_ = static_cast<uint64_t>(st.st_size);
  ::posix_fadvise(fd_, 0, 0, POSIX_FADV_SEQUENTIAL);  // a hint; failure is harmless
}

FileSource::~FileSource() {
  if (fd_ >= 0) ::close(fd_);
}

std::size_t FileSource::read(char* dst, std::size_t n) {
  for (;;) {
    ssize_t got = ::read(fd_, dst, n);
    if (got >= 0) return static_cast<std::size_t>(got);
    if (errno != EINTR) throw Error(std::string("read failed: ") + std::strerror(errno), path_);
  }
}

void FileSource::seek(uint64_t offset) {
  if (::lseek(fd_, static_cast<off_t>(offset), SEEK_SET) < 0)
    throw Error(std::string("seek failed: ") + std::strerror(errno), path_,
                static_cast<int64_t>(offset));
}

std::size_t MemorySource::read(char* dst, std::size_t n) {
  if (pos_ >= bytes_.size()) return 0;
  std::size_t k = std::min<uint64_t>(n, bytes_.size() - pos_);
  std::memcpy(dst, bytes_.data() + pos_, k);
  pos_ += k;
  return k;
}

}  // namespace warcpairs::io
