// One input file's shards: rolls to a new part every N pages or M bytes, so a kill loses at
// most the part being written, and resumes after the latest committed part.
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>

#include "warcpairs/core/skip_log.h"
#include "warcpairs/html/image_record.h"
#include "warcpairs/stages/extract/extract.h"
#include "warcpairs/stages/common/shard_ledger.h"
#include "warcpairs/stages/common/span_predictor.h"
#include "warcpairs/store/page_record.h"
#include "warcpairs/store/shard.h"

namespace warcpairs::stages {

class PartWriter {
 public:
  // `committed`: the parts earlier runs left for this file (from scan_parts).
  // `predictor` (may be null): runs on every image context with text; its answers are written
  // into the part that holds the image, before that part is committed.
  PartWriter(std::filesystem::path dir, std::string prefix, RollPolicy policy,
             const FileParts& committed, SpanPredictor* predictor = nullptr);
  ~PartWriter();

  // True when an earlier run committed parts: `summary()` then holds its counts and the
  // reader must seek to summary().resume_offset / resume_member_offset.
  bool resuming() const { return resuming_; }
  store::FileSummary& summary() { return summary_; }
  int32_t next_part() const { return summary_.part; }
  int64_t predictions() const { return predictions_; }  // written by this writer so far

  // Whether the current part should be committed before the next page is added.
  bool full() const;
  int64_t add_page(const store::PageRecord& page);
  void add_image(const html::ImageRecord& image);

  // Commits the current part; the file continues at (next_offset, next_member_offset).
  // `skips` entries not yet written go into this part.
  void commit_part(int64_t next_offset, int64_t next_member_offset, const SkipLog& skips);
  // Commits the file's last part (summary() must hold the final counts).
  void commit_last(const SkipLog& skips);

 private:
  void commit(bool last, const SkipLog& skips);
  void flush_predictions();
  store::ShardWriter& writer();

  std::filesystem::path dir_;
  std::string prefix_;
  RollPolicy policy_;
  store::FileSummary summary_;
  bool resuming_ = false;
  std::unique_ptr<store::ShardWriter> writer_;
  SpanPredictor* predictor_ = nullptr;
  int64_t predictions_ = 0;
  int64_t part_pages_ = 0, part_bytes_ = 0;
  std::size_t skips_written_ = 0;
};

}  // namespace warcpairs::stages
