// run_merge: every input file whose shard sequence is complete, in name order, into the
// database; shards that are not file parts (later stages) one by one.
#include "warcpairs/stages/merge/merge.h"

#include <algorithm>
#include <fstream>

#include <nlohmann/json.hpp>
#include <chrono>
#include <vector>

#include <spdlog/spdlog.h>

#include "warcpairs/core/error.h"
#include "warcpairs/stages/common/shard_ledger.h"
#include "warcpairs/store/database.h"

namespace warcpairs::stages {
namespace fs = std::filesystem;

namespace {

// One unit of merging: a file's parts, or a lone shard. Sorted by first name, so the same
// shards always go in in the same order (page ids follow merge order).
struct MergeUnit {
  std::vector<fs::path> shards;
};

std::vector<MergeUnit> plan_units(const fs::path& dir, int64_t& files_waiting) {
  std::vector<MergeUnit> units;
  for (const auto& [prefix, parts] : scan_parts(dir)) {
    if (!parts.complete) {
      ++files_waiting;  // still being extracted (or interrupted): merged once its last part exists
      continue;
    }
    MergeUnit unit;
    for (const auto& name : parts.names) unit.shards.push_back(dir / name);
    units.push_back(std::move(unit));
  }
  // Shards that are not parts of a file sequence (a writer's "*.h5.tmp" is not a shard yet).
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(dir, ec)) {
    const std::string name = entry.path().filename().string();
    if (entry.path().extension() == ".h5" && !parse_part_name(name) && entry.is_regular_file())
      units.push_back({{entry.path()}});
  }
  std::sort(units.begin(), units.end(), [](const MergeUnit& a, const MergeUnit& b) {
    return a.shards.front().filename() < b.shards.front().filename();
  });
  return units;
}

void write_stats(const fs::path& path, const MergeTotals& t) {
  const nlohmann::json j = {{"shards_merged", t.shards_merged},
                            {"shards_already_merged", t.shards_already_merged},
                            {"shards_failed", t.shards_failed},
                            {"files_waiting", t.files_waiting},
                            {"files", t.files},
                            {"pages", t.pages},
                            {"images", t.images},
                            {"skips", t.skips},
                            {"predictions", t.predictions},
                            {"predictions_already_present", t.predictions_present},
                            {"embeddings", t.embeddings},
                            {"embeddings_already_present", t.embeddings_present},
                            {"render_pages", t.render_pages},
                            {"renders", t.renders},
                            {"render_tokens", t.render_tokens},
                            {"seconds", t.seconds}};
  std::ofstream(path) << j.dump(2) << '\n';
}

}  // namespace

MergeTotals run_merge(const MergeConfig& config) {
  const auto started = std::chrono::steady_clock::now();
  const fs::path shard_dir = config.run_dir / "shards";
  if (!fs::is_directory(shard_dir))
    throw UsageError("no shards in " + shard_dir.string() +
                     ": run `warcpairs extract --out " + config.run_dir.string() + " ...` first");
  store::Database db(config.run_dir / "warcpairs.sqlite");
  MergeTotals totals;
  for (const MergeUnit& unit : plan_units(shard_dir, totals.files_waiting)) {
    const std::string name = unit.shards.front().filename().string();
    if (db.has_shard(name)) {
      totals.shards_already_merged += static_cast<int64_t>(unit.shards.size());
      continue;
    }
    try {
      if (name.rfind("render-", 0) == 0) {  // a file's render parts (stage render)
        const auto r = db.merge_render_parts(unit.shards);
        totals.shards_merged += static_cast<int64_t>(unit.shards.size());
        totals.render_pages += r.pages, totals.renders += r.crops, totals.render_tokens += r.tokens;
        spdlog::info("merged {} ({} shards): {} rendered pages, {} crops, {} token boxes", name,
                     unit.shards.size(), r.pages, r.crops, r.tokens);
        continue;
      }
      const auto counts = db.merge_parts(unit.shards);
      totals.shards_merged += static_cast<int64_t>(unit.shards.size());
      totals.files += counts.files;
      totals.pages += counts.pages;
      totals.images += counts.images;
      totals.skips += counts.skips;
      totals.predictions += counts.predictions;
      totals.predictions_present += counts.predictions_present;
      totals.embeddings += counts.embeddings;
      totals.embeddings_present += counts.embeddings_present;
      spdlog::info("merged {} ({} shards): {} pages, {} images, {} predictions", name,
                   unit.shards.size(), counts.pages, counts.images, counts.predictions);
    } catch (const Error& e) {
      totals.shards_failed += static_cast<int64_t>(unit.shards.size());
      spdlog::error("cannot merge: {}", e.what());
    }
  }
  if (totals.files_waiting)
    spdlog::info("{} files are not completely extracted yet: merge again after extract", totals.files_waiting);
  totals.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  write_stats(config.run_dir / "merge-stats.json", totals);
  return totals;
}

}  // namespace warcpairs::stages
