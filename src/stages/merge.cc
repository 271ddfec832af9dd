// run_merge: every committed shard in run_dir/shards, in name order, into the database.
#include "warcpairs/stages/merge.h"

#include <algorithm>
#include <chrono>
#include <vector>

#include <spdlog/spdlog.h>

#include "warcpairs/core/error.h"
#include "warcpairs/store/database.h"

namespace warcpairs::stages {
namespace fs = std::filesystem;

namespace {
// Committed shards only: a writer's temporary ("*.h5.tmp") is not a shard yet.
std::vector<fs::path> committed_shards(const fs::path& dir) {
  std::vector<fs::path> out;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(dir, ec))
    if (entry.path().extension() == ".h5" && entry.is_regular_file()) out.push_back(entry.path());
  std::sort(out.begin(), out.end(),
            [](const fs::path& a, const fs::path& b) { return a.filename() < b.filename(); });
  return out;
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
  const auto shards = committed_shards(shard_dir);
  for (const auto& path : shards) {
    const std::string name = path.filename().string();
    if (db.has_shard(name)) {
      ++totals.shards_already_merged;
      continue;
    }
    try {
      const auto counts = db.merge_shard(path);
      ++totals.shards_merged;
      totals.files += counts.files;
      totals.pages += counts.pages;
      totals.images += counts.images;
      totals.skips += counts.skips;
      spdlog::info("merged {}: {} pages, {} images", name, counts.pages, counts.images);
    } catch (const Error& e) {
      ++totals.shards_failed;
      spdlog::error("cannot merge shard: {}", e.what());
    }
  }
  totals.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  return totals;
}

}  // namespace warcpairs::stages
