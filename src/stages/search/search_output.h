// The result list of search (docs/search.md): CSV when the file name ends in .csv, else JSON
// lines; one pair per line, best first.
#pragma once

#include <cmath>
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace warcpairs::stages {

struct SearchResult {
  int64_t image_id = 0;
  double similarity = NAN;  // cosine with the CLIP query; NaN for a --match-only search
  double bm25 = NAN;        // FTS5's rank for --match (lower is better); NaN without --match
  std::string url, description;
};

// Written to a temporary beside `dest`, then renamed: a reader never sees half a list.
void write_search_results(const std::filesystem::path& dest, const std::vector<SearchResult>& rows);

}  // namespace warcpairs::stages
