// The index stage: per-file CDXJ indexes made by the ranks from a dynamic handout, stamped
// (size + mtime) so reruns redo only new or changed files, then merged by rank 0.
#include "warcpairs/stages/index/index.h"

#include <spdlog/spdlog.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <nlohmann/json.hpp>
#include <queue>
#include <set>

#include "../common/run_lock.h"
#include "../common/run_options.h"
#include "warcpairs/core/error.h"
#include "warcpairs/core/skip_log.h"
#include "warcpairs/core/stop_signal.h"
#include "warcpairs/dist/mpi_session.h"
#include "warcpairs/dist/work_queue.h"
#include "warcpairs/stages/common/inputs.h"
#include "warcpairs/warc/cdxj.h"

namespace fs = std::filesystem;
using nlohmann::json;

namespace warcpairs::stages {

std::string IndexTotals::to_json() const {
  return json{{"files", files}, {"files_already_done", files_already_done},
              {"files_unreadable", files_unreadable}, {"files_missing", files_missing},
              {"files_stopped", files_stopped}, {"records", records}, {"entries", entries},
              {"bytes", bytes}, {"merged_lines", merged_lines}, {"merged", merged},
              {"skips", skips}, {"seconds", seconds}}
      .dump();
}

IndexTotals IndexTotals::from_json(const std::string& text) {
  const json j = json::parse(text);
  IndexTotals t;
  t.files = j["files"];
  t.files_already_done = j["files_already_done"];
  t.files_unreadable = j["files_unreadable"];
  t.files_missing = j["files_missing"];
  t.files_stopped = j["files_stopped"];
  t.records = j["records"];
  t.entries = j["entries"];
  t.bytes = j["bytes"];
  t.merged_lines = j["merged_lines"];
  t.merged = j["merged"];
  t.skips = j["skips"].get<std::map<std::string, uint64_t>>();
  t.seconds = j["seconds"];
  return t;
}

namespace {

struct Input {
  std::string path;      // absolute
  std::string filename;  // the "filename" of its lines
  std::string prefix;    // RUN/index/<prefix>.cdxj and .json
  bool done = false;     // its stamp matches the file
};

struct Stamp {
  uint64_t size = 0;
  int64_t mtime_ns = 0;
  bool operator==(const Stamp&) const = default;
};

bool stamp_of(const std::string& path, Stamp& out) {
  struct stat st{};
  if (::stat(path.c_str(), &st) != 0) return false;
  out.size = static_cast<uint64_t>(st.st_size);
  out.mtime_ns = static_cast<int64_t>(st.st_mtim.tv_sec) * 1000000000 + st.st_mtim.tv_nsec;
  return true;
}

// The stamp a finished index recorded for its file (and the filename it wrote), if any.
bool recorded_stamp(const fs::path& json_path, Stamp& out, std::string& filename) {
  std::ifstream in(json_path);
  if (!in) return false;
  json j = json::parse(in, nullptr, false);
  if (j.is_discarded() || !j.contains("size") || !j.contains("mtime_ns")) return false;
  out.size = j["size"];
  out.mtime_ns = j["mtime_ns"];
  filename = j.value("filename", "");
  return true;
}

std::vector<Input> plan(const IndexConfig& config, const fs::path& index_dir, uint64_t& missing) {
  InputFiles inputs = expand_inputs(config.inputs);
  missing = inputs.missing.size();
  if (missing)
    spdlog::warn("{} input list entries do not exist and are not indexed (first: {})", missing,
                 inputs.missing.front());
  fs::create_directories(index_dir);
  std::vector<Input> out;
  std::map<std::string, std::string> by_name;
  for (const std::string& path : inputs.files) {
    Input in;
    in.path = path;
    in.filename = config.dir_root.empty()
                      ? fs::path(path).filename().string()
                      : fs::path(path).lexically_relative(fs::absolute(config.dir_root)).string();
    if (in.filename.empty() || in.filename.rfind("..", 0) == 0)
      throw UsageError("index: " + path + " is not inside --dir-root " + config.dir_root.string());
    auto [it, fresh] = by_name.emplace(in.filename, path);
    if (!fresh)
      throw UsageError("index: " + it->second + " and " + path + " would both be \"" +
                       in.filename + "\" in the index; give --dir-root FOLDER so each line names "
                       "its file relative to FOLDER");
    in.prefix = shard_prefix_for("index", path);
    Stamp now, then;
    std::string then_name;
    in.done = stamp_of(path, now) && recorded_stamp(index_dir / (in.prefix + ".json"), then, then_name) &&
              now == then && then_name == in.filename && fs::exists(index_dir / (in.prefix + ".cdxj"));
    out.push_back(std::move(in));
  }
  return out;
}

std::string to_text(const std::vector<Input>& inputs, uint64_t missing) {
  json j = json::array();
  for (const Input& in : inputs) j.push_back({in.path, in.filename, in.prefix, in.done});
  return json{{"missing", missing}, {"inputs", j}}.dump();
}

std::vector<Input> from_text(const std::string& text, uint64_t& missing) {
  const json j = json::parse(text);
  missing = j["missing"];
  std::vector<Input> out;
  for (const json& e : j["inputs"]) out.push_back({e[0], e[1], e[2], e[3]});
  return out;
}

// One file: its lines, then its stamp (taken before reading, so a file changed meanwhile is
// redone next time). False when the file cannot be read at all.
bool index_one(const Input& in, const IndexConfig& config, const fs::path& index_dir,
               IndexTotals& mine) {
  Stamp stamp;
  if (!stamp_of(in.path, stamp)) {
    spdlog::warn("index: cannot stat {}: not indexed, a rerun tries it again", in.path);
    return false;
  }
  SkipLog skips(1000);
  uint64_t records = 0;
  std::vector<warc::CdxjEntry> entries;
  try {
    entries = warc::index_warc_file(in.path, in.filename, config.limits, skips, &records);
  } catch (const Error& e) {
    spdlog::warn("index: cannot read {}: {}; not indexed, a rerun tries it again", in.path, e.what());
    return false;
  }
  for (const SkipEntry& s : skips.entries())
    spdlog::warn("index: skipped {} in {} at offset {}{}{}", s.reason, s.file, s.offset,
                 s.detail.empty() ? "" : ": ", s.detail);
  for (const auto& [reason, n] : skips.counts()) mine.skips[reason] += n;
  const uint64_t n = entries.size();
  warc::write_cdxj_file((index_dir / (in.prefix + ".cdxj")).string(), std::move(entries));
  write_atomically(index_dir / (in.prefix + ".json"),
                   json{{"path", in.path}, {"filename", in.filename}, {"size", stamp.size},
                        {"mtime_ns", stamp.mtime_ns}, {"records", records}, {"entries", n},
                        {"skipped", skips.total()}}
                       .dump() + "\n");
  mine.records += records;
  mine.entries += n;
  mine.bytes += stamp.size;
  ++mine.files;
  return true;
}

// Rank 0: RUN/index.cdxj as a k-way merge of the sorted per-file indexes (identical lines
// once, as pywb's SortingWriter), unless the same per-file indexes made it already.
void merge(const std::vector<Input>& inputs, const fs::path& run_dir, const fs::path& index_dir,
           IndexTotals& totals) {
  std::vector<const Input*> parts;
  json manifest = json::array(), files = json::object();
  for (const Input& in : inputs) {
    Stamp s;
    std::string name;
    if (!recorded_stamp(index_dir / (in.prefix + ".json"), s, name)) continue;  // unreadable
    parts.push_back(&in);
    manifest.push_back({in.prefix, in.filename, s.size, s.mtime_ns});
    files[in.filename] = in.path;
  }
  const fs::path merged = run_dir / "index.cdxj", made_from = index_dir / "merged.json";
  std::ifstream old(made_from);
  json before = old ? json::parse(old, nullptr, false) : json();
  if (fs::exists(merged) && before == manifest) {
    spdlog::info("index: {} unchanged ({} files)", merged.string(), parts.size());
    return;
  }
  std::vector<std::ifstream> streams;
  using Head = std::pair<std::string, std::size_t>;
  std::priority_queue<Head, std::vector<Head>, std::greater<>> heads;
  streams.reserve(parts.size());
  for (const Input* in : parts) {
    streams.emplace_back(index_dir / (in->prefix + ".cdxj"), std::ios::binary);
    if (!streams.back()) throw Error("cannot read per-file index", (index_dir / (in->prefix + ".cdxj")).string());
    std::string line;
    if (std::getline(streams.back(), line)) heads.emplace(line, streams.size() - 1);
  }
  const fs::path tmp = merged.string() + ".tmp";
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    if (!out) throw Error("cannot create", tmp.string());
    std::string last;
    while (!heads.empty()) {
      auto [line, k] = heads.top();
      heads.pop();
      if (line != last) {
        out << line << '\n';
        ++totals.merged_lines;
        last = line;
      }
      std::string next;
      if (std::getline(streams[k], next)) heads.emplace(std::move(next), k);
    }
    out.flush();
    if (!out) throw Error("cannot write", tmp.string());
  }
  const int fd = ::open(tmp.c_str(), O_RDONLY | O_CLOEXEC);  // durable before it is visible
  if (fd < 0 || ::fsync(fd) != 0) throw Error("cannot fsync", tmp.string());
  ::close(fd);
  fs::rename(tmp, merged);
  write_atomically(run_dir / "index-files.json", files.dump(1) + "\n");
  write_atomically(made_from, manifest.dump() + "\n");
  totals.merged = true;
  spdlog::info("index: {} lines from {} files in {}", totals.merged_lines, parts.size(), merged.string());
}

}  // namespace

IndexTotals run_index(const IndexConfig& config, const dist::MpiSession& session) {
  const auto started = std::chrono::steady_clock::now();
  const fs::path index_dir = config.run_dir / "index";
  const auto lock = lock_run(config.run_dir, "index", session);
  std::string text;
  uint64_t missing = 0;
  std::vector<Input> inputs;
  on_root_sharing_usage_error(session, [&] { text = to_text(plan(config, index_dir, missing), missing); });
  text = session.broadcast(text);
  inputs = from_text(text, missing);

  std::vector<std::size_t> todo;
  for (std::size_t i = 0; i < inputs.size(); ++i)
    if (!inputs[i].done) todo.push_back(i);
  if (session.is_root())
    spdlog::info("index: {} files to index ({} unchanged since indexed), {} ranks", todo.size(),
                 inputs.size() - todo.size(), session.size());

  IndexTotals mine;
  {
    dist::WorkQueue queue(session, static_cast<int64_t>(todo.size()));
    while (auto k = queue.next()) {
      if (!stop_requested() && queue.stopped()) request_stop();
      if (stop_requested()) {
        queue.stop();
        break;
      }
      const Input& in = inputs[todo[static_cast<std::size_t>(*k)]];
      if (!index_one(in, config, index_dir, mine)) ++mine.files_unreadable;
      else spdlog::info("index: done {}", in.path);
    }
    session.barrier();
  }

  IndexTotals totals;
  const auto all = session.gather(mine.to_json());
  if (session.is_root()) {
    for (const std::string& part : all) {
      IndexTotals t = IndexTotals::from_json(part);
      totals.files += t.files;
      totals.files_unreadable += t.files_unreadable;
      totals.records += t.records;
      totals.entries += t.entries;
      totals.bytes += t.bytes;
      for (const auto& [r, n] : t.skips) totals.skips[r] += n;
    }
    totals.files_already_done = inputs.size() - todo.size();
    totals.files_missing = missing;
    const uint64_t handled = totals.files + totals.files_unreadable;
    totals.files_stopped = todo.size() > handled ? todo.size() - handled : 0;
    if (!totals.stopped()) merge(inputs, config.run_dir, index_dir, totals);
    totals.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    write_atomically(config.run_dir / "index-stats.json", totals.to_json() + "\n");
  }
  return IndexTotals::from_json(session.broadcast(session.is_root() ? totals.to_json() : ""));
}

}  // namespace warcpairs::stages
