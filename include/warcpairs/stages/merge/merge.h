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
  int64_t files_waiting = 0;  // shards of files whose extraction is not finished: left for later
  int64_t files = 0, pages = 0, images = 0, skips = 0;
  int64_t predictions = 0, predictions_present = 0;  // new rows / already in the table
  int64_t embeddings = 0, embeddings_present = 0;    // into RUN/embeddings / already there
  int64_t render_pages = 0, renders = 0, render_tokens = 0;  // render shards (render_*)
  double seconds = 0;
};

// Each input file's shard parts go in together, in one transaction, once its last part
// exists; files in name order, so the same set of shards always gives the same database.
// Shards that cannot be read are logged and counted (shards_failed) and the rest go on.
MergeTotals run_merge(const MergeConfig& config);

}  // namespace warcpairs::stages
