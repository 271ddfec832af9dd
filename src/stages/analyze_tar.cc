// A minimal ustar reader for `analyze`: finds named members (the pair images of the report's
// grids) in a WebDataset tar by walking the 512-byte headers and seeking over the data.
#include <cstdio>
#include <memory>

#include "warcpairs/core/error.h"
#include "warcpairs/stages/analyze.h"

namespace warcpairs::stages {

namespace {

constexpr std::size_t kBlock = 512;

struct CloseFile {
  void operator()(std::FILE* f) const { std::fclose(f); }
};

// An octal field (POSIX ustar: digits, ended by NUL or space); -1 when it holds none.
int64_t octal(const unsigned char* p, std::size_t n) {
  int64_t v = 0;
  bool any = false;
  for (std::size_t i = 0; i < n; ++i) {
    if (p[i] == ' ' && !any) continue;
    if (p[i] < '0' || p[i] > '7') break;
    v = v * 8 + (p[i] - '0'), any = true;
  }
  return any ? v : -1;
}

// The header checksum: the sum of all bytes with the checksum field counted as spaces.
bool checksum_ok(const unsigned char* h) {
  int64_t sum = 0;
  for (std::size_t i = 0; i < kBlock; ++i) sum += (i >= 148 && i < 156) ? ' ' : h[i];
  return octal(h + 148, 8) == sum;
}

std::string field(const unsigned char* p, std::size_t n) {
  std::size_t len = 0;
  while (len < n && p[len] != 0) ++len;
  return {reinterpret_cast<const char*>(p), len};
}

}  // namespace

std::unordered_map<std::string, std::string> read_tar_members(
    const std::filesystem::path& tar, const std::unordered_set<std::string>& wanted,
    int64_t max_bytes) {
  std::unique_ptr<std::FILE, CloseFile> f(std::fopen(tar.c_str(), "rb"));
  if (!f) throw Error("cannot open tar", tar.string());
  std::unordered_map<std::string, std::string> out;
  unsigned char h[kBlock];
  while (out.size() < wanted.size() && std::fread(h, 1, kBlock, f.get()) == kBlock) {
    if (h[0] == 0 || !checksum_ok(h)) break;  // end-of-archive zero block, or damage
    std::string name = field(h, 100);
    const std::string prefix = field(h + 345, 155);  // ustar: path = prefix "/" name
    if (!prefix.empty() && field(h + 257, 5) == "ustar") name = prefix + "/" + name;
    const int64_t size = octal(h + 124, 12);
    if (size < 0) break;
    const int64_t padded = (size + 511) / 512 * 512;
    const bool regular = h[156] == '0' || h[156] == 0;
    if (regular && size <= max_bytes && wanted.count(name)) {
      std::string data(static_cast<std::size_t>(size), '\0');
      if (std::fread(data.data(), 1, data.size(), f.get()) != data.size()) break;
      out.emplace(std::move(name), std::move(data));
      if (std::fseek(f.get(), padded - size, SEEK_CUR) != 0) break;
    } else if (std::fseek(f.get(), padded, SEEK_CUR) != 0) {
      break;
    }
  }
  return out;
}

}  // namespace warcpairs::stages
