// The merge stage: HDF5 shards → the canonical SQLite database, each shard exactly once.
#pragma once

#include <cstdint>
#include <filesystem>

namespace warcpairs::stages {

struct MergeConfig {
  std::filesystem::path run_dir;  // reads run_dir/shards/*.h5, writes run_dir/warcpairs.sqlite
};

struct MergeTotals {
  int64_t shards_merged = 0, shards_already_merged = 0, shards_failed = 0;
  int64_t files = 0, pages = 0, images = 0, skips = 0;
  double seconds = 0;
};

// Shards are taken in name order, so the same set of shards always gives the same database.
// A shard that cannot be read is logged and counted (shards_failed) and the rest go on.
MergeTotals run_merge(const MergeConfig& config);

}  // namespace warcpairs::stages
