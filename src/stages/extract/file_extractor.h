// One WARC file → its extract shards (parts). Holds the per-thread parsers, reused across files.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>

#include "part_writer.h"
#include "warcpairs/html/extractor.h"
#include "warcpairs/stages/extract/extract.h"
#include "warcpairs/stages/common/shard_ledger.h"
#include "warcpairs/warc/http.h"
#include "warcpairs/warc/reader.h"

namespace warcpairs::stages {

struct FileTask {
  std::string path;       // the WARC file
  std::string prefix;     // its shards' name prefix
  FileParts committed;    // what earlier runs left of it
};

// unreadable: the file could not be opened; nothing is committed for it (it is not done).
enum class FileOutcome { finished, stopped, unreadable };

class FileExtractor {
 public:
  // `tick(bytes)` is called every few hundred records with the file bytes read so far.
  using Tick = std::function<void(uint64_t bytes_read)>;

  // `predictor` (may be null): the span model, run on every stored image (extract --model).
  FileExtractor(const ExtractConfig& config, std::filesystem::path shard_dir,
                SpanPredictor* predictor = nullptr);

  // Reads the file (from where an earlier run stopped) and commits its parts. Stops between
  // two records when a stop signal arrived, after committing what it did. Never throws for
  // bad input in the file (it is counted in `totals`); throws Error only when a shard
  // cannot be written.
  FileOutcome extract(const FileTask& task, ExtractTotals& totals, const Tick& tick);

 private:
  void handle_record(const warc::WarcRecord& rec, PartWriter& parts, SkipLog& skips,
                     ExtractTotals& totals);
  void store_page(const warc::WarcRecord& rec, int status, const std::string& media,
                  PartWriter& parts, ExtractTotals& totals);

  const ExtractConfig& config_;
  std::filesystem::path shard_dir_;
  SpanPredictor* predictor_;
  warc::HttpParser http_;
  warc::HttpResponse response_;
  std::string http_error_;
  html::HtmlExtractor html_;
  html::PageExtraction page_;  // reused between pages
};

}  // namespace warcpairs::stages
