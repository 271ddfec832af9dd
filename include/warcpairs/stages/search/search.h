// The search stage: the best pairs of a run for a CLIP query (texts, example images or a
// vector), a full-text query (SQLite FTS5), or both, as an id list for export and review.
#pragma once

#include <cstdint>
#include <filesystem>
#include <limits>
#include <string>
#include <vector>

#include "warcpairs/dist/mpi_session.h"

namespace warcpairs::stages {

struct SearchConfig {
  std::filesystem::path run_dir;            // RUN/warcpairs.sqlite and RUN/embeddings
  std::vector<std::string> texts;           // embedded with CLIP's text tower
  std::vector<std::filesystem::path> images;  // embedded with CLIP's image tower
  std::filesystem::path query_vector;       // .npy float32, (dim,) or (n, dim): made elsewhere
  std::string match;                        // FTS5 query over alt, title, figcaption, context
  std::string where;                        // SQL over images JOIN pages LEFT JOIN scores
  int64_t top = 10000;
  double min_similarity = -std::numeric_limits<double>::infinity();
  std::filesystem::path dest;               // .csv, else JSON lines
  // CLIP, for --text and --image (the model the embeddings were made with).
  std::filesystem::path clip_dir, bpe;
  std::string device = "auto";
  int threads = 0;
};

struct SearchTotals {
  int64_t parts = 0;               // embedding files in the store
  int64_t embeddings = 0;          // rows scanned by all ranks
  int64_t passed_filter = 0;       // of those, let through by --where / --match and not superseded
  int64_t text_indexed = 0;        // images added to the full-text index by this run
  int64_t results = 0;
  double seconds = 0, scan_seconds = 0;  // scan: the slowest rank's
  std::string kernel;              // the dot-product kernel used
};

// Collective. UsageError: no query, an empty text, a --where or --match SQLite refuses, a query
// whose dimension or CLIP model differs from the store's, no embeddings for a CLIP query.
// Error: a store file that is missing or damaged (named, with the byte offset).
SearchTotals run_search(const SearchConfig& config, const dist::MpiSession& session);

}  // namespace warcpairs::stages
