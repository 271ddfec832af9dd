// The extract stage: WARC files → per-file HDF5 shards of pages, images and contexts.
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "warcpairs/core/limits.h"

namespace warcpairs::dist {
class MpiSession;
}

namespace warcpairs::stages {

struct ExtractConfig {
  std::vector<std::string> inputs;  // files, directories, globs, @list.txt
  std::filesystem::path run_dir;    // shards go to run_dir/shards
  int32_t context_chars = 500;      // visible text kept on each side of an image
  Limits limits;
  bool redo = false;                // extract again files whose shard already exists
};

// Counts of one rank, summed over ranks on rank 0.
struct ExtractTotals {
  uint64_t files = 0;             // files extracted in this run
  uint64_t files_already_done = 0;  // shard present from an earlier run: not redone
  uint64_t files_unreadable = 0;
  uint64_t bytes = 0;             // WARC bytes read
  uint64_t records = 0, pages = 0, images = 0;
  std::map<std::string, uint64_t> skips;  // logged problems by reason
  std::map<std::string, uint64_t> notes;  // counted, expected things (data: URIs, trackers...)
  double seconds = 0;             // wall time of the slowest rank

  void add(const ExtractTotals& other);
  std::string to_json() const;
  static ExtractTotals from_json(const std::string& json);
};

// Runs on every rank of `session`; files are handed out dynamically. Returns the totals of
// all ranks on rank 0 (this rank's own elsewhere) and writes run_dir/extract-stats.json.
ExtractTotals run_extract(const ExtractConfig& config, const dist::MpiSession& session);

}  // namespace warcpairs::stages
