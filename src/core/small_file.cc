// read_small_file: a bounded read of a whole file, with the error naming the file.
#include "warcpairs/core/small_file.h"

#include <fstream>

#include "warcpairs/core/error.h"

namespace warcpairs {

std::string read_small_file(const std::filesystem::path& path, std::string_view what, ReadBlame blame,
                            std::uint64_t max_bytes) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    if (blame == ReadBlame::usage) throw UsageError(std::string(what) + " " + path.string());
    throw Error(std::string(what), path.string());
  }
  std::string text;
  char chunk[64 << 10];
  while (in.read(chunk, sizeof chunk) || in.gcount() > 0) {
    const auto got = static_cast<std::uint64_t>(in.gcount());
    if (text.size() + got > max_bytes)
      throw Error(std::string(what) + ": larger than " + std::to_string(max_bytes) + " bytes", path.string());
    text.append(chunk, got);
  }
  if (in.bad()) throw Error(std::string(what) + ": read error", path.string());
  return text;
}

}  // namespace warcpairs
