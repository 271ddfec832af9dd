// extract's run totals over all attempts (extract_run_stats.h).
#include "extract_run_stats.h"

#include <fstream>
#include <string>

#include <nlohmann/json.hpp>
#include <spdlog/spdlog.h>

#include "../common/run_options.h"
#include "warcpairs/core/error.h"
#include "warcpairs/stages/common/shard_ledger.h"
#include "warcpairs/store/shard.h"

namespace warcpairs::stages {
namespace fs = std::filesystem;
using nlohmann::json;

namespace {

// Every recorded attempt (a line that does not parse, e.g. cut by a full disk, is left out).
std::vector<ExtractTotals> read_attempts(const fs::path& log) {
  std::vector<ExtractTotals> out;
  std::ifstream in(log);
  for (std::string line; std::getline(in, line);) {
    if (line.empty()) continue;
    try {
      out.push_back(ExtractTotals::from_json(line));
    } catch (const std::exception& e) {
      spdlog::warn("{}: an attempt line that does not parse is left out of the totals: {}",
                   log.string(), e.what());
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
  const fs::path log = run_dir / "logs" / "extract-attempts.jsonl";
  fs::create_directories(log.parent_path());
  std::ofstream(log, std::ios::app) << json::parse(attempt.to_json()).dump() << '\n';

  ExtractTotals run;
  const auto attempts = read_attempts(log);
  for (const auto& a : attempts) run.add(a);
  run.seconds = 0;
  for (const auto& a : attempts) run.seconds += a.seconds;
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
