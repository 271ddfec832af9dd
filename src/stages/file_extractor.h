// One WARC file → one extract shard. Holds the per-thread parsers, reused across files.
#pragma once

#include <filesystem>
#include <string>

#include "warcpairs/html/extractor.h"
#include "warcpairs/stages/extract.h"
#include "warcpairs/warc/http.h"

namespace warcpairs::stages {

class FileExtractor {
 public:
  explicit FileExtractor(const ExtractConfig& config);

  // Reads `warc_path` and commits `shard_path`. Never throws for bad input in the file (it is
  // counted in `totals`); throws Error only when the shard cannot be written.
  void extract(const std::string& warc_path, const std::filesystem::path& shard_path,
               ExtractTotals& totals);

 private:
  const ExtractConfig& config_;
  warc::HttpParser http_;
  html::HtmlExtractor html_;
  html::PageExtraction page_;  // reused between pages
};

}  // namespace warcpairs::stages
