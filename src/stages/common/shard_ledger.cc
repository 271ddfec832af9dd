// Shard part names and the scan of a shard folder.
#include "warcpairs/stages/common/shard_ledger.h"

#include <algorithm>

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include "warcpairs/store/shard.h"

namespace warcpairs::stages {
namespace fs = std::filesystem;

std::string part_file_name(const std::string& prefix, int part, bool last) {
  return fmt::format("{}.p{:05}{}.h5", prefix, part, last ? ".last" : "");
}

std::optional<PartName> parse_part_name(const std::string& name) {
  constexpr std::string_view kExt = ".h5", kLast = ".last";
  std::string_view s = name;
  if (s.size() < kExt.size() || s.substr(s.size() - kExt.size()) != kExt) return std::nullopt;
  s.remove_suffix(kExt.size());
  PartName out;
  if (s.size() > kLast.size() && s.substr(s.size() - kLast.size()) == kLast) {
    out.last = true;
    s.remove_suffix(kLast.size());
  }
  const auto dot = s.rfind(".p");
  if (dot == std::string_view::npos || dot == 0 || s.size() - dot != 7) return std::nullopt;
  int part = 0;
  for (char c : s.substr(dot + 2)) {
    if (c < '0' || c > '9') return std::nullopt;
    part = part * 10 + (c - '0');
  }
  out.prefix = std::string(s.substr(0, dot));
  out.part = part;
  return out;
}

std::map<std::string, FileParts> scan_parts(const fs::path& dir) {
  std::map<std::string, std::vector<PartName>> found;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(dir, ec)) {
    if (auto p = parse_part_name(entry.path().filename().string())) found[p->prefix].push_back(*p);
  }
  std::map<std::string, FileParts> out;
  for (auto& [prefix, parts] : found) {
    std::sort(parts.begin(), parts.end(), [](auto& a, auto& b) { return a.part < b.part; });
    FileParts& f = out[prefix];
    for (const auto& p : parts) {
      if (p.part != f.next_part() || f.complete) {
        spdlog::warn("shards of {}: part {} is out of sequence; parts from there on are ignored",
                     prefix, p.part);
        break;
      }
      f.names.push_back(part_file_name(prefix, p.part, p.last));
      f.complete = p.last;
    }
  }
  return out;
}

int remove_stale_temporaries(const fs::path& dir) {
  int removed = 0;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(dir, ec)) {
    if (store::is_shard_temporary(entry.path().filename().string()) && fs::remove(entry.path(), ec))
      ++removed;
  }
  return removed;
}

}  // namespace warcpairs::stages
