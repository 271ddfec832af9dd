// extract's run totals over all attempts (extract_run_stats.h).
#include "extract_run_stats.h"

#include <string>

#include <nlohmann/json.hpp>
#include <spdlog/spdlog.h>

#include "../common/run_options.h"
#include "../common/run_stats.h"
#include "warcpairs/core/error.h"
#include "warcpairs/stages/common/shard_ledger.h"
#include "warcpairs/store/shard.h"

namespace warcpairs::stages {
namespace fs = std::filesystem;
using nlohmann::json;

namespace {

// Every recorded attempt, this one last (a line that does not fit ExtractTotals is left out).
std::vector<ExtractTotals> record_attempt(const fs::path& run_dir, const ExtractTotals& attempt) {
  std::vector<ExtractTotals> out;
  for (const json& line : append_attempt(run_dir, "extract", json::parse(attempt.to_json()))) {
    try {
      out.push_back(ExtractTotals::from_json(line.dump()));
    } catch (const std::exception& e) {
      spdlog::warn("extract: an attempt line is left out of the totals: {}", e.what());
    }
  }
  return out;
}

// files, records, pages, images of every extract file in the shard folder. (A file that could
// not be read gets no shard, so it is not here: it is tried again and counted per attempt.)
void count_ledger(const fs::path& shard_dir, ExtractTotals& t) {
  t.files = t.records = t.pages = t.images = 0;
  for (const auto& [prefix, parts] : scan_parts(shard_dir)) {
    if (prefix.rfind("extract-", 0) != 0 || parts.names.empty()) continue;
    try {
      const store::FileSummary file = store::ShardReader(shard_dir / parts.names.back()).file();
      t.records += static_cast<uint64_t>(file.records);
      t.pages += static_cast<uint64_t>(file.pages);
      t.images += static_cast<uint64_t>(file.images);
      if (parts.complete) ++t.files;
    } catch (const Error& e) {
      spdlog::warn("{}: not counted in extract-stats.json: {}", parts.names.back(), e.what());
    }
  }
}

}  // namespace

void write_extract_run_stats(const fs::path& run_dir, const ExtractTotals& attempt) {
  ExtractTotals run;
  const auto attempts = record_attempt(run_dir, attempt);
  for (const auto& a : attempts) run.add(a);
  run.seconds = 0;
  for (const auto& a : attempts) run.seconds += a.seconds;  // cpu_seconds: add() sums it
  count_ledger(run_dir / "shards", run);
  run.files_already_done = attempt.files_already_done;
  run.files_stopped = attempt.files_stopped;
  run.files_left = attempt.files_left;
  run.files_unreadable = attempt.files_unreadable;  // tried again by every attempt
  run.files_missing = attempt.files_missing;

  json out = json::parse(run.to_json());
  out["attempts"] = attempts.size();
  out["last_attempt"] = json::parse(attempt.to_json());
  write_atomically(run_dir / "extract-stats.json", out.dump(2) + "\n");
}

}  // namespace warcpairs::stages
