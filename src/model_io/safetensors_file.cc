// SafetensorsFile: read-only memory map of a safetensors file (fd and mapping owned by RAII).
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "warcpairs/core/error.h"
#include "warcpairs/model_io/safetensors.h"

namespace warcpairs::model_io {

// Owns the descriptor only while mapping: a MAP_PRIVATE mapping stays valid after close().
class SafetensorsFile::Mapping {
 public:
  explicit Mapping(const std::string& path) {
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) throw Error(std::string("cannot open: ") + std::strerror(errno), path);
    struct Closer {
      int fd;
      ~Closer() { ::close(fd); }
    } closer{fd};
    struct stat st {};
    if (::fstat(fd, &st) != 0) throw Error(std::string("cannot stat: ") + std::strerror(errno), path);
    if (!S_ISREG(st.st_mode)) throw Error("not a regular file", path);
    size_ = static_cast<size_t>(st.st_size);
    if (size_ == 0) return;  // mmap refuses length 0; the parser reports the empty file
    void* p = ::mmap(nullptr, size_, PROT_READ, MAP_PRIVATE, fd, 0);
    if (p == MAP_FAILED) throw Error(std::string("cannot mmap: ") + std::strerror(errno), path);
    addr_ = p;
  }
  ~Mapping() {
    if (addr_) ::munmap(addr_, size_);
  }
  Mapping(const Mapping&) = delete;
  Mapping& operator=(const Mapping&) = delete;
  std::span<const std::byte> bytes() const {
    return {static_cast<const std::byte*>(addr_), addr_ ? size_ : 0};
  }

 private:
  void* addr_ = nullptr;
  size_t size_ = 0;
};

SafetensorsFile::SafetensorsFile(const std::string& path)
    : mapping_(std::make_unique<Mapping>(path)),
      view_(std::make_unique<SafetensorsView>(mapping_->bytes(), path)) {}

SafetensorsFile::~SafetensorsFile() = default;

}  // namespace warcpairs::model_io
