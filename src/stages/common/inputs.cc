// expand_inputs: files, directories, globs and @lists → sorted absolute paths, one per file.
#include "warcpairs/stages/common/inputs.h"

#include <glob.h>
#include <sys/stat.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>

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
  return ends_with(".warc") || ends_with(".warc.gz") || ends_with(".arc") || ends_with(".arc.gz");
}

bool has_glob_chars(const std::string& s) { return s.find_first_of("*?[") != std::string::npos; }

void add_one(const std::string& input, const fs::path& relative_to, bool in_list, InputFiles& out);

void add_list_file(const std::string& list_path, InputFiles& out) {
  std::ifstream in(list_path);
  if (!in) throw UsageError(fmt::format("cannot read the input list '{}': check the path", list_path));
  const fs::path folder = fs::absolute(list_path).parent_path();
  std::string line;
  while (std::getline(in, line)) {
    auto first = line.find_first_not_of(" \t\r");
    if (first == std::string::npos || line[first] == '#') continue;
    auto last = line.find_last_not_of(" \t\r");
    add_one(line.substr(first, last - first + 1), folder, true, out);
  }
}

void add_directory(const fs::path& dir, std::vector<std::string>& out) {
  std::vector<std::string> found;
  std::error_code ec;
  for (fs::recursive_directory_iterator it(dir, fs::directory_options::skip_permission_denied, ec),
       end;
       it != end; it.increment(ec)) {
    if (ec) break;
    // A dangling link is kept too: extract then reports it as unreadable instead of the
    // file silently missing from the run.
    if (looks_like_warc(it->path()) && (it->is_regular_file(ec) || it->is_symlink(ec)))
      found.push_back(it->path().string());
  }
  if (ec) spdlog::warn("input directory {}: {}", dir.string(), ec.message());
  // Listing order is the file system's: sorted, "the first as given" is the same every run.
  std::sort(found.begin(), found.end());
  out.insert(out.end(), found.begin(), found.end());
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

void add_one(const std::string& input, const fs::path& relative_to, bool in_list,
             InputFiles& out) {
  if (input.empty()) return;
  if (input[0] == '@') return add_list_file(input.substr(1), out);
  fs::path p(input);
  if (p.is_relative() && !relative_to.empty()) p = relative_to / p;
  std::error_code ec;
  if (fs::is_directory(p, ec)) return add_directory(p, out.files);
  if (fs::exists(p, ec)) return out.files.push_back(p.string());
  if (has_glob_chars(p.string())) return add_glob(p.string(), out.files);
  // Not there (or a dangling link): never taken as work, so never recorded as done.
  if (!in_list)
    throw UsageError(fmt::format(
        "input '{}' does not exist: check the path (a file that is still to come can be run "
        "later with the same command; finished files are not redone)",
        input));
  spdlog::warn("input list entry '{}' does not exist: skipped and counted as missing (a rerun "
               "reads it once it is there)",
               p.string());
  out.missing.push_back(p.string());
}

// Keeps the first path of each file (device and inode), in the order given.
std::vector<std::string> one_path_per_file(const std::vector<std::string>& paths) {
  std::vector<std::string> out;
  std::map<std::pair<dev_t, ino_t>, const std::string*> seen;
  std::set<std::string> names;
  for (const auto& path : paths) {
    if (!names.insert(path).second) continue;  // the same path twice: silently one
    struct stat st {};
    if (::stat(path.c_str(), &st) == 0) {
      const auto [it, fresh] = seen.emplace(std::make_pair(st.st_dev, st.st_ino), &path);
      if (!fresh) {
        spdlog::warn("input {} is the same file as {}: dropped, the file is read once as {}",
                     path, *it->second, *it->second);
        continue;
      }
    }
    out.push_back(path);
  }
  return out;
}

}  // namespace

InputFiles expand_inputs(const std::vector<std::string>& inputs) {
  InputFiles found;
  for (const auto& input : inputs) add_one(input, {}, false, found);
  for (auto* list : {&found.files, &found.missing})
    for (auto& path : *list) path = fs::absolute(path).lexically_normal().string();
  found.files = one_path_per_file(found.files);
  std::sort(found.files.begin(), found.files.end());
  std::sort(found.missing.begin(), found.missing.end());
  found.missing.erase(std::unique(found.missing.begin(), found.missing.end()), found.missing.end());
  if (found.files.empty() && !found.missing.empty())
    throw UsageError(fmt::format(
        "no input WARC files: none of the {} entries of the input lists exists (first: '{}')",
        found.missing.size(), found.missing.front()));
  if (found.files.empty())
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
