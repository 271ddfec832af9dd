// `warcpairs index`: CDXJ indexes (pywb's format) of WARC files, one per input file in
// RUN/index/ and all of them merged into RUN/index.cdxj, for looking a URL's record up.
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

struct IndexConfig {
  std::vector<std::string> inputs;  // files, directories, globs, @list.txt (inputs.h)
  std::filesystem::path run_dir;
  // "filename" of each line: the path relative to this folder; empty: the file's base name
  // (cdxj-indexer's default; two inputs with the same base name are then refused).
  std::filesystem::path dir_root;
  Limits limits;
};

struct IndexTotals {
  uint64_t files = 0;               // indexed in this run
  uint64_t files_already_done = 0;  // unchanged since their index was made (size + mtime)
  uint64_t files_unreadable = 0;
  uint64_t files_missing = 0;
  uint64_t files_stopped = 0;       // not started because a stop signal arrived
  uint64_t records = 0, entries = 0, bytes = 0;
  uint64_t merged_lines = 0;        // lines of RUN/index.cdxj
  bool merged = false;              // RUN/index.cdxj (re)written in this run
  std::map<std::string, uint64_t> skips;
  double seconds = 0;

  bool stopped() const { return files_stopped > 0; }
  std::string to_json() const;
  static IndexTotals from_json(const std::string& text);
};

// Collective. Files are handed out dynamically to the ranks; each file's lines go to
// RUN/index/<index-name-hash>.cdxj with a stamp (<...>.json: path, size, mtime) written after
// it, so a rerun skips files whose stamp matches and redoes changed or unfinished ones. Rank 0
// then merges the per-file indexes of the inputs into RUN/index.cdxj (sorted; rewritten only
// when something changed) and RUN/index-files.json (filename → absolute path).
// Throws UsageError (exit 2) for bad inputs and Error for a run-level failure.
IndexTotals run_index(const IndexConfig& config, const dist::MpiSession& session);

}  // namespace warcpairs::stages
