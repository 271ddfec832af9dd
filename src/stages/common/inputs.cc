// expand_inputs: files, directories, globs and @lists → sorted unique absolute paths.
#include "warcpairs/stages/common/inputs.h"

#include <glob.h>

#include <algorithm>
#include <filesystem>
#include <fstream>

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include "warcpairs/core/error.h"
#include "warcpairs/core/hash.h"

namespace warcpairs::stages {
namespace fs = std::filesystem;
namespace {

bool looks_like_warc(const fs::path& p) {
  const std::string name = p.filename().string();
  auto ends_with = [&](std::string_view suffix) {
    return name.size() >= suffix.size() &&
           name.compare(name.size() - suffix.size(), suffix.size(), suffix) == 0;
  };
  return ends_with(".warc") || ends_with(".warc.gz");
}

bool has_glob_chars(const std::string& s) { return s.find_first_of("*?[") != std::string::npos; }

void add_one(const std::string& input, const fs::path& relative_to, std::vector<std::string>& out);

void add_list_file(const std::string& list_path, std::vector<std::string>& out) {
  std::ifstream in(list_path);
  if (!in) throw UsageError(fmt::format("cannot read the input list '{}': check the path", list_path));
  const fs::path folder = fs::absolute(list_path).parent_path();
  std::string line;
  while (std::getline(in, line)) {
    auto first = line.find_first_not_of(" \t\r");
    if (first == std::string::npos || line[first] == '#') continue;
    auto last = line.find_last_not_of(" \t\r");
    add_one(line.substr(first, last - first + 1), folder, out);
  }
}

void add_directory(const fs::path& dir, std::vector<std::string>& out) {
  std::error_code ec;
  for (fs::recursive_directory_iterator it(dir, fs::directory_options::skip_permission_denied, ec),
       end;
       it != end; it.increment(ec)) {
    if (ec) break;
    // A dangling link is kept too: extract then reports it as unreadable instead of the
    // file silently missing from the run.
    if (looks_like_warc(it->path()) && (it->is_regular_file(ec) || it->is_symlink(ec)))
      out.push_back(it->path().string());
  }
  if (ec) spdlog::warn("input directory {}: {}", dir.string(), ec.message());
}

void add_glob(const std::string& pattern, std::vector<std::string>& out) {
  glob_t matches{};
  int rc = ::glob(pattern.c_str(), 0, nullptr, &matches);
  if (rc == 0) {
    for (size_t i = 0; i < matches.gl_pathc; ++i) out.emplace_back(matches.gl_pathv[i]);
  } else {
    spdlog::warn("input pattern '{}' matches no file", pattern);
  }
  globfree(&matches);
}

void add_one(const std::string& input, const fs::path& relative_to,
             std::vector<std::string>& out) {
  if (input.empty()) return;
  if (input[0] == '@') return add_list_file(input.substr(1), out);
  fs::path p(input);
  if (p.is_relative() && !relative_to.empty()) p = relative_to / p;
  std::error_code ec;
  if (fs::is_directory(p, ec)) return add_directory(p, out);
  if (!fs::exists(p, ec) && has_glob_chars(p.string())) return add_glob(p.string(), out);
  out.push_back(p.string());  // a missing file stays: extract reports it as unreadable
}

}  // namespace

std::vector<std::string> expand_inputs(const std::vector<std::string>& inputs) {
  std::vector<std::string> found;
  for (const auto& input : inputs) add_one(input, {}, found);
  for (auto& path : found) path = fs::absolute(path).lexically_normal().string();
  std::sort(found.begin(), found.end());
  found.erase(std::unique(found.begin(), found.end()), found.end());
  if (found.empty())
    throw UsageError(
        "no input WARC files: give files, directories (searched for *.warc and *.warc.gz), "
        "glob patterns or @list.txt");
  return found;
}

std::string shard_prefix_for(const std::string& stage, const std::string& input_path) {
  // A hash of the full path tells apart same-named files in different folders.
  const uint64_t hash = fnv1a64(input_path);
  std::string base = fs::path(input_path).filename().string();
  for (char& c : base)
    if (!(isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '-' || c == '_')) c = '_';
  if (base.size() > 100) base.resize(100);
  return fmt::format("{}-{}-{:016x}", stage, base, hash);
}

}  // namespace warcpairs::stages
