// npy.h: the .npy 1.0 layout: "\x93NUMPY", version 1 0, a little-endian uint16 header length,
// the header dictionary padded with spaces and ended by '\n' so the data starts 64-byte aligned.
#include "warcpairs/store/npy.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "warcpairs/core/error.h"

namespace warcpairs::store {
namespace fs = std::filesystem;

namespace {

constexpr char kMagic[] = "\x93NUMPY";
constexpr std::size_t kMagicLen = 6;

std::size_t item_size(const std::string& descr) {
  if (descr.size() < 3 || (descr[0] != '<' && descr[0] != '|')) return 0;
  try {
    return std::stoul(descr.substr(2));
  } catch (...) {
    return 0;
  }
}

void write_all(int fd, const void* data, std::size_t n, const fs::path& path) {
  const char* p = static_cast<const char*>(data);
  while (n > 0) {
    const ssize_t w = ::write(fd, p, n);
    if (w < 0 && errno == EINTR) continue;
    if (w < 0) throw Error(std::string("write: ") + std::strerror(errno), path.string());
    p += w, n -= static_cast<std::size_t>(w);
  }
}

std::string shape_text(const std::vector<int64_t>& shape) {
  std::string s = "(";
  for (int64_t d : shape) s += std::to_string(d) + ", ";
  if (shape.size() > 1) s.resize(s.size() - 1), s.back() = ')';
  else s += ")";  // one dimension: "(n,)" is written "(n, )"; numpy reads both
  return s;
}

}  // namespace

NpyWriter::NpyWriter(fs::path path, const std::string& descr, std::vector<int64_t> shape)
    : path_(std::move(path)), tmp_(path_.string() + ".tmp") {
  const std::size_t item = item_size(descr);
  if (item == 0) throw Error("npy: unsupported dtype " + descr, path_.string());
  expected_ = item;
  for (int64_t d : shape) {
    if (d < 0) throw Error("npy: negative dimension", path_.string());
    expected_ *= static_cast<std::size_t>(d);
  }
  std::string dict = "{'descr': '" + descr + "', 'fortran_order': False, 'shape': " +
                     shape_text(shape) + ", }";
  const std::size_t unpadded = kMagicLen + 2 + 2 + dict.size() + 1;
  dict.append((64 - unpadded % 64) % 64, ' ');
  dict += '\n';
  std::string head(kMagic, kMagicLen);
  head += '\x01', head += '\x00';
  head += static_cast<char>(dict.size() & 0xff), head += static_cast<char>(dict.size() >> 8);
  head += dict;
  fd_ = ::open(tmp_.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd_ < 0) throw Error(std::string("create: ") + std::strerror(errno), tmp_.string());
  write_all(fd_, head.data(), head.size(), tmp_);
}

NpyWriter::~NpyWriter() {
  if (fd_ < 0) return;
  ::close(fd_);
  std::error_code ec;
  fs::remove(tmp_, ec);
}

void NpyWriter::write(const void* data, std::size_t bytes) {
  if (written_ + bytes > expected_) throw Error("npy: more data than the shape holds", tmp_.string());
  write_all(fd_, data, bytes, tmp_);
  written_ += bytes;
}

void NpyWriter::commit() {
  if (written_ != expected_)
    throw Error("npy: " + std::to_string(written_) + " bytes written, the shape needs " +
                    std::to_string(expected_), tmp_.string());
  if (::fsync(fd_) != 0) throw Error(std::string("fsync: ") + std::strerror(errno), tmp_.string());
  ::close(fd_);
  fd_ = -1;
  std::error_code ec;
  fs::rename(tmp_, path_, ec);
  if (ec) throw Error("rename into place: " + ec.message(), path_.string());
}

NpyHeader parse_npy_header(const std::string& dict, const std::string& where) {
  NpyHeader h;
  auto value_of = [&](const char* key) -> std::size_t {
    const std::string k = std::string("'") + key + "':";
    const std::size_t at = dict.find(k);
    if (at == std::string::npos)
      throw Error(std::string("not a .npy header: no ") + key + " (offset 10)", where);
    std::size_t v = at + k.size();
    while (v < dict.size() && dict[v] == ' ') ++v;
    return v;
  };
  std::size_t v = value_of("descr");
  if (v >= dict.size() || dict[v] != '\'') throw Error("not a .npy header: bad descr (offset 10)", where);
  const std::size_t end = dict.find('\'', v + 1);
  if (end == std::string::npos) throw Error("not a .npy header: bad descr (offset 10)", where);
  h.descr = dict.substr(v + 1, end - v - 1);
  v = value_of("fortran_order");
  h.fortran_order = dict.compare(v, 4, "True") == 0;
  if (!h.fortran_order && dict.compare(v, 5, "False") != 0)
    throw Error("not a .npy header: bad fortran_order (offset 10)", where);
  v = value_of("shape");
  if (v >= dict.size() || dict[v] != '(') throw Error("not a .npy header: bad shape (offset 10)", where);
  const std::size_t close = dict.find(')', v);
  if (close == std::string::npos) throw Error("not a .npy header: bad shape (offset 10)", where);
  std::size_t p = v + 1;
  while (p < close) {
    while (p < close && (dict[p] == ' ' || dict[p] == ',')) ++p;
    if (p >= close) break;
    std::size_t q = p;
    while (q < close && dict[q] >= '0' && dict[q] <= '9') ++q;
    if (q == p || q - p > 18) throw Error("not a .npy header: bad shape (offset 10)", where);
    h.shape.push_back(std::stoll(dict.substr(p, q - p)));
    p = q;
  }
  return h;
}

NpyMap::NpyMap(const fs::path& path, const std::string& descr, std::size_t ndim) {
  const std::string where = path.string();
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) throw Error(std::string("open: ") + std::strerror(errno), where);
  struct stat st {};
  if (::fstat(fd, &st) != 0) {
    ::close(fd);
    throw Error(std::string("stat: ") + std::strerror(errno), where);
  }
  map_bytes_ = static_cast<std::size_t>(st.st_size);
  if (map_bytes_ > 0) {
    map_ = ::mmap(nullptr, map_bytes_, PROT_READ, MAP_SHARED, fd, 0);
    if (map_ == MAP_FAILED) map_ = nullptr;
  }
  ::close(fd);
  if (!map_) throw Error("cannot map an empty or unreadable file", where);
  const auto* b = static_cast<const unsigned char*>(map_);
  if (map_bytes_ < 10 || std::memcmp(b, kMagic, kMagicLen) != 0)
    throw Error("not a .npy file: no \\x93NUMPY magic at offset 0", where);
  if (b[6] != 1 && b[6] != 2) throw Error("unsupported .npy version at offset 6", where);
  std::size_t header_len = b[8] | (std::size_t(b[9]) << 8), start = 10;
  if (b[6] == 2) {
    if (map_bytes_ < 12) throw Error("truncated .npy header at offset 8", where);
    header_len |= (std::size_t(b[10]) << 16) | (std::size_t(b[11]) << 24);
    start = 12;
  }
  if (start + header_len > map_bytes_) throw Error("truncated .npy header at offset 8", where);
  const NpyHeader h = parse_npy_header(std::string(reinterpret_cast<const char*>(b) + start, header_len), where);
  if (h.descr != descr)
    throw Error("dtype " + h.descr + " where " + descr + " was expected (offset " +
                    std::to_string(start) + ")", where);
  if (h.fortran_order) throw Error("Fortran-order array; C order expected", where);
  if (h.shape.size() != ndim)
    throw Error(std::to_string(h.shape.size()) + "-d array where " + std::to_string(ndim) +
                    "-d was expected", where);
  shape_ = h.shape;
  std::size_t bytes = item_size(descr);
  for (int64_t d : shape_) bytes *= static_cast<std::size_t>(d);
  const std::size_t data_at = start + header_len;
  if (map_bytes_ - data_at != bytes)
    throw Error("damaged .npy: " + std::to_string(map_bytes_ - data_at) + " data bytes from offset " +
                    std::to_string(data_at) + ", the shape needs " + std::to_string(bytes), where);
  data_ = b + data_at;
  data_bytes_ = bytes;
}

NpyMap::~NpyMap() {
  if (map_) ::munmap(map_, map_bytes_);
}

NpyMap::NpyMap(NpyMap&& o) noexcept
    : map_(o.map_), map_bytes_(o.map_bytes_), data_(o.data_), data_bytes_(o.data_bytes_),
      shape_(std::move(o.shape_)) {
  o.map_ = nullptr;
}

void NpyMap::advise_sequential() const {
  if (!map_) return;
  ::madvise(map_, map_bytes_, MADV_SEQUENTIAL);
  ::madvise(map_, map_bytes_, MADV_WILLNEED);
}

}  // namespace warcpairs::store
