// TarReader: walks ustar headers (POSIX.1-2001 "ustar Interchange Format"), checks each
// checksum, indexes regular members, reads them back by name.
#include "warcpairs/io/tar_reader.h"

#include <array>
#include <cerrno>
#include <cstring>

#include "warcpairs/core/error.h"

namespace warcpairs::io {
namespace fs = std::filesystem;

namespace {

constexpr uint64_t kBlock = 512;

// An octal numeric field (NUL- or space-terminated, leading spaces allowed); -1 when malformed.
int64_t octal_field(const char* field, std::size_t width) {
  std::size_t i = 0;
  while (i < width && field[i] == ' ') ++i;
  int64_t value = 0;
  bool any = false;
  for (; i < width && field[i] >= '0' && field[i] <= '7'; ++i) {
    value = value * 8 + (field[i] - '0');
    any = true;
  }
  if (i < width && field[i] != '\0' && field[i] != ' ') return -1;
  return any ? value : (i < width ? 0 : -1);
}

bool all_zero(const std::array<char, kBlock>& h) {
  for (char c : h)
    if (c != 0) return false;
  return true;
}

// The checksum is the sum of the header's bytes with the checksum field counted as spaces.
bool checksum_ok(const std::array<char, kBlock>& h) {
  const int64_t want = octal_field(h.data() + 148, 8);
  unsigned sum = 0;
  for (std::size_t i = 0; i < kBlock; ++i)
    sum += (i >= 148 && i < 156) ? unsigned(' ') : static_cast<unsigned char>(h[i]);
  return want >= 0 && static_cast<unsigned>(want) == sum;
}

// name[100], with ustar's prefix[155] joined by '/' when present.
std::string member_name(const std::array<char, kBlock>& h) {
  std::string name(h.data(), strnlen(h.data(), 100));
  if (std::memcmp(h.data() + 257, "ustar", 5) == 0 && h[345] != '\0')
    name = std::string(h.data() + 345, strnlen(h.data() + 345, 155)) + "/" + name;
  return name;
}

}  // namespace

TarReader::TarReader(fs::path path, OnDamage on_damage) : path_(std::move(path)) {
  file_ = std::fopen(path_.c_str(), "rb");
  if (!file_) throw Error(std::string("open: ") + std::strerror(errno), path_.string());
  std::error_code ec;
  const uint64_t file_size = fs::file_size(path_, ec);
  std::array<char, kBlock> h;
  uint64_t at = 0;
  // Damage at `at`: thrown, or the end of the index (true: stop walking).
  const auto damage = [&](const char* what) {
    if (on_damage == OnDamage::fail) {
      std::fclose(file_);  // the destructor does not run for a throwing constructor
      file_ = nullptr;
      throw Error(what, path_.string(), static_cast<int64_t>(at));
    }
    damaged_at_ = static_cast<int64_t>(at);
    return true;
  };
  while (at + kBlock <= file_size) {
    if (std::fseek(file_, static_cast<long>(at), SEEK_SET) != 0 ||
        std::fread(h.data(), 1, kBlock, file_) != kBlock) {
      damage("tar header cut short");
      break;
    }
    if (all_zero(h)) break;  // the end-of-archive blocks
    if (!checksum_ok(h) && damage("tar header checksum mismatch")) break;
    const int64_t size = octal_field(h.data() + 124, 12);
    if (size < 0 && damage("tar size field malformed")) break;
    const uint64_t data = at + kBlock;
    if (data + static_cast<uint64_t>(size) > file_size && damage("tar member runs past the end of the file")) break;
    const char type = h[156];
    if (type == '0' || type == '\0') index_[member_name(h)] = {data, static_cast<uint64_t>(size)};
    at = data + (static_cast<uint64_t>(size) + kBlock - 1) / kBlock * kBlock;
  }
}

TarReader::~TarReader() {
  if (file_) std::fclose(file_);
}

bool TarReader::read(std::string_view name, std::string& out) {
  const auto it = index_.find(std::string(name));
  if (it == index_.end()) return false;
  out.resize(it->second.size);
  if (std::fseek(file_, static_cast<long>(it->second.offset), SEEK_SET) != 0 ||
      (it->second.size && std::fread(out.data(), 1, out.size(), file_) != out.size()))
    throw Error("tar member read failed", path_.string(), static_cast<int64_t>(it->second.offset));
  return true;
}

}  // namespace warcpairs::io
