// run_extract: expand inputs on rank 0, hand files out dynamically, one shard per file,
// totals gathered on rank 0 into run_dir/extract-stats.json.
#include "warcpairs/stages/extract.h"

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>

#include <nlohmann/json.hpp>
#include <spdlog/spdlog.h>

#include "file_extractor.h"
#include "warcpairs/core/error.h"
#include "warcpairs/dist/mpi_session.h"
#include "warcpairs/dist/work_queue.h"
#include "warcpairs/stages/inputs.h"
#include "warcpairs/stages/shard_ledger.h"

namespace warcpairs::stages {
namespace fs = std::filesystem;
using nlohmann::json;

void ExtractTotals::add(const ExtractTotals& o) {
  files += o.files;
  files_already_done += o.files_already_done;
  files_unreadable += o.files_unreadable;
  bytes += o.bytes;
  records += o.records;
  pages += o.pages;
  images += o.images;
  for (const auto& [k, v] : o.skips) skips[k] += v;
  for (const auto& [k, v] : o.notes) notes[k] += v;
  seconds = std::max(seconds, o.seconds);
}

std::string ExtractTotals::to_json() const {
  json j = {{"files", files},     {"files_already_done", files_already_done},
            {"files_unreadable", files_unreadable},
            {"bytes", bytes},     {"records", records},
            {"pages", pages},     {"images", images},
            {"skips", skips},     {"notes", notes},
            {"seconds", seconds}};
  return j.dump(2);
}

ExtractTotals ExtractTotals::from_json(const std::string& text) {
  json j = json::parse(text);
  ExtractTotals t;
  t.files = j["files"];
  t.files_already_done = j["files_already_done"];
  t.files_unreadable = j["files_unreadable"];
  t.bytes = j["bytes"];
  t.records = j["records"];
  t.pages = j["pages"];
  t.images = j["images"];
  t.skips = j["skips"].get<std::map<std::string, uint64_t>>();
  t.notes = j["notes"].get<std::map<std::string, uint64_t>>();
  t.seconds = j["seconds"];
  return t;
}

namespace {

// Largest files first (then by path): with dynamic handout this keeps one big file from
// being taken last and idling every other rank at the end.
std::vector<std::string> handout_order(std::vector<std::string> files) {
  std::vector<std::pair<uintmax_t, std::string>> sized;
  for (auto& f : files) {
    std::error_code ec;
    uintmax_t size = fs::file_size(f, ec);
    sized.emplace_back(ec ? 0 : size, std::move(f));
  }
  std::sort(sized.begin(), sized.end(),
            [](const auto& a, const auto& b) { return a.first != b.first ? a.first > b.first : a.second < b.second; });
  std::vector<std::string> out;
  for (auto& [size, f] : sized) out.push_back(std::move(f));
  return out;
}

std::string join_lines(const std::vector<std::string>& v) {
  std::string out;
  for (const auto& s : v) out += s + '\n';
  return out;
}

std::vector<std::string> split_lines(const std::string& s) {
  std::vector<std::string> out;
  size_t start = 0;
  for (size_t nl; (nl = s.find('\n', start)) != std::string::npos; start = nl + 1)
    out.push_back(s.substr(start, nl - start));
  return out;
}

}  // namespace

ExtractTotals run_extract(const ExtractConfig& config, const dist::MpiSession& session) {
  const auto started = std::chrono::steady_clock::now();
  const fs::path shard_dir = config.run_dir / "shards";

  // Rank 0 expands the inputs once (one metadata storm, not N) and shares the list.
  std::string listing;
  std::string usage_error;
  if (session.is_root()) {
    try {
      fs::create_directories(shard_dir);
      listing = join_lines(handout_order(expand_inputs(config.inputs)));
    } catch (const UsageError& e) {
      usage_error = e.what();
    }
  }
  usage_error = session.broadcast(usage_error);
  if (!usage_error.empty()) throw UsageError(usage_error);
  const std::vector<std::string> files = split_lines(session.broadcast(listing));
  if (session.is_root()) spdlog::info("extract: {} input files, {} ranks", files.size(), session.size());

  ExtractTotals mine;
  FileExtractor extractor(config);
  {
    dist::WorkQueue queue(session, static_cast<int64_t>(files.size()));
    while (auto index = queue.next()) {
      const std::string& path = files[static_cast<size_t>(*index)];
      const fs::path shard_path =
          shard_dir / part_file_name(shard_prefix_for("extract", path), 0, true);
      if (!config.redo && fs::exists(shard_path)) {
        ++mine.files_already_done;
        spdlog::debug("already extracted: {}", path);
        continue;
      }
      const uint64_t pages_before = mine.pages;
      extractor.extract(path, shard_path, mine);
      spdlog::info("[{}/{}] {}: {} pages", *index + 1, files.size(), path, mine.pages - pages_before);
    }
  }
  mine.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();

  const auto all = session.gather(mine.to_json());
  if (!session.is_root()) return mine;
  ExtractTotals totals;
  for (const auto& part : all) totals.add(ExtractTotals::from_json(part));
  std::ofstream(config.run_dir / "extract-stats.json") << totals.to_json() << '\n';
  return totals;
}

}  // namespace warcpairs::stages
