// TarWriter: ustar headers (octal fields, checksum), 512-byte padding, atomic commit.
#include "warcpairs/io/tar_writer.h"

#include <fcntl.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstring>

#include "warcpairs/core/error.h"

namespace warcpairs::io {
namespace fs = std::filesystem;

namespace {

constexpr std::size_t kBlock = 512;

// Writes `value` as zero-padded octal into a field of `width` bytes, NUL-terminated.
void octal(char* field, std::size_t width, uint64_t value) {
  std::snprintf(field, width, "%0*llo", static_cast<int>(width - 1),
                static_cast<unsigned long long>(value));
}

std::array<char, kBlock> header(std::string_view name, uint64_t size) {
  std::array<char, kBlock> h{};
  std::memcpy(h.data(), name.data(), name.size());  // name[100]
  octal(h.data() + 100, 8, 0644);                    // mode
  octal(h.data() + 108, 8, 0);                       // uid
  octal(h.data() + 116, 8, 0);                       // gid
  octal(h.data() + 124, 12, size);                   // size
  octal(h.data() + 136, 12, 0);                      // mtime: fixed, so shards are reproducible
  std::memset(h.data() + 148, ' ', 8);               // checksum counts as spaces while summed
  h[156] = '0';                                      // typeflag: regular file
  std::memcpy(h.data() + 257, "ustar", 6);           // magic "ustar\0"
  std::memcpy(h.data() + 263, "00", 2);              // version
  unsigned sum = 0;
  for (char c : h) sum += static_cast<unsigned char>(c);
  std::snprintf(h.data() + 148, 8, "%06o", sum);     // six digits, NUL, space
  h[155] = ' ';
  return h;
}

void fsync_path(const fs::path& path, int flags) {
  const int fd = ::open(path.c_str(), flags | O_CLOEXEC);
  if (fd < 0) throw Error(std::string("open for fsync: ") + std::strerror(errno), path.string());
  const int rc = ::fsync(fd);
  ::close(fd);
  if (rc != 0) throw Error(std::string("fsync: ") + std::strerror(errno), path.string());
}

}  // namespace

TarWriter::TarWriter(fs::path final_path)
    : final_(std::move(final_path)), tmp_(final_.string() + ".tmp") {
  file_ = std::fopen(tmp_.c_str(), "wb");
  if (!file_) throw Error(std::string("create: ") + std::strerror(errno), tmp_.string());
}

TarWriter::~TarWriter() {
  if (file_) std::fclose(file_);
  if (!committed_) {
    std::error_code ec;
    fs::remove(tmp_, ec);
  }
}

void TarWriter::add(std::string_view name, std::span<const uint8_t> data) {
  if (name.empty() || name.size() >= 100)
    throw Error("tar member name must be 1..99 bytes: '" + std::string(name) + "'", tmp_.string());
  const auto h = header(name, data.size());
  static const std::array<char, kBlock> zeros{};
  const std::size_t pad = (kBlock - data.size() % kBlock) % kBlock;
  if (std::fwrite(h.data(), 1, kBlock, file_) != kBlock ||
      (!data.empty() && std::fwrite(data.data(), 1, data.size(), file_) != data.size()) ||
      (pad && std::fwrite(zeros.data(), 1, pad, file_) != pad))
    throw Error(std::string("write: ") + std::strerror(errno), tmp_.string());
  ++members_;
  bytes_ += static_cast<int64_t>(kBlock + data.size() + pad);
}

void TarWriter::add(std::string_view name, std::string_view text) {
  add(name, std::span(reinterpret_cast<const uint8_t*>(text.data()), text.size()));
}

void TarWriter::commit() {
  if (committed_) throw Error("tar committed twice", final_.string());
  static const std::array<char, 2 * kBlock> end{};
  if (std::fwrite(end.data(), 1, end.size(), file_) != end.size() || std::fflush(file_) != 0)
    throw Error(std::string("write: ") + std::strerror(errno), tmp_.string());
  if (::fsync(::fileno(file_)) != 0)
    throw Error(std::string("fsync: ") + std::strerror(errno), tmp_.string());
  std::fclose(file_);
  file_ = nullptr;
  std::error_code ec;
  fs::rename(tmp_, final_, ec);
  if (ec) throw Error("rename into place: " + ec.message(), final_.string());
  committed_ = true;
  const fs::path dir = final_.parent_path();
  fsync_path(dir.empty() ? fs::path(".") : dir, O_RDONLY | O_DIRECTORY);
}

}  // namespace warcpairs::io
