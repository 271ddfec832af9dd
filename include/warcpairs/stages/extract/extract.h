// The extract stage: WARC files → per-file HDF5 shards of pages, images and contexts.
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "warcpairs/core/limits.h"
#include "warcpairs/html/extractor.h"

namespace warcpairs::dist {
class MpiSession;
}

namespace warcpairs::stages {

// A file's result is written as a sequence of shards ("parts"), so a kill loses at most the
// part being written and a rerun resumes after the last committed one.
struct RollPolicy {
  int64_t pages = 20000;          // a part holds at most this many pages...
  int64_t bytes = 256ll << 20;    // ...or about this many bytes of text
};

struct ExtractConfig {
  std::vector<std::string> inputs;  // files, directories, globs, @list.txt
  std::filesystem::path run_dir;    // shards go to run_dir/shards
  int32_t context_chars = 500;      // visible text kept on each side of an image
  html::ContextFrom context_from = html::ContextFrom::kMain;  // contexts: main content or all text
  html::PageText page_text = html::PageText::kNone;           // pages.text: main, all or none
  bool language_id = true;          // CLD2 on page text and contexts (--no-language-id: off)
  Limits limits;
  RollPolicy roll;
  bool quiet = false;               // no progress lines
  double progress_seconds = 0;      // between progress lines; 0: 0.5 s on a terminal, 10 s in logs
  // --model: run the span model on every image context as pages stream by; the predictions
  // go into the same shard parts (/predictions, keyed by image row).
  std::filesystem::path model_dir;
  std::string device = "auto";
  int model_threads = 0;            // 0: cores / ranks on the node
  int batch_size = 32;              // windows per forward pass
  int64_t pool_images = 256;        // contexts bucketed together
  bool allow_untrained_head = false; // --model without a trained QA head (SpanPredictorOptions)
  // Accept options that shape the output (extract_output_options) other than the ones
  // RUN/extract-options.json records; each file's options then go to
  // RUN/extract-file-options.jsonl. Without it such a rerun is refused (UsageError).
  bool allow_mixed_options = false;
};

// Counts of one rank, summed over ranks on rank 0.
struct ExtractTotals {
  uint64_t files = 0;             // files finished in this run
  uint64_t files_already_done = 0;  // finished by an earlier run: not redone
  uint64_t files_resumed = 0;     // begun by an earlier run, continued after its last part
  uint64_t files_stopped = 0;     // interrupted by a stop signal (continued by the next run)
  uint64_t files_left = 0;        // not started because of a stop signal
  uint64_t files_unreadable = 0;  // could not be opened: not done, the next run tries again
  uint64_t files_missing = 0;     // @list entries that do not exist: not done either
  uint64_t bytes = 0;             // WARC bytes read
  uint64_t records = 0, pages = 0, images = 0;
  uint64_t predictions = 0;       // images the span model ran on (--model)
  std::map<std::string, uint64_t> skips;  // logged problems by reason
  // Pages kept whole after a repair (invalid_utf8_replaced: bytes replaced by U+FFFD); a
  // repair is not a skip and leaves the file `ok`.
  std::map<std::string, uint64_t> repairs;
  std::map<std::string, uint64_t> notes;  // counted, expected things (data: URIs, trackers...)
  double seconds = 0;             // wall time of the slowest rank
  // CPU time (user + system, getrusage) of the work after start-up, summed over ranks: what a
  // benchmark compares, without process start, MPI init or the run's lock and listing.
  double cpu_seconds = 0;

  void add(const ExtractTotals& other);
  std::string to_json() const;
  static ExtractTotals from_json(const std::string& json);

  // Work remains because a stop signal ended the run: the caller exits kExitResume.
  bool stopped() const { return files_stopped + files_left > 0; }
};

// Runs on every rank of `session`; files are handed out dynamically. Returns this attempt's
// totals of all ranks on every rank; rank 0 writes run_dir/extract-stats.json, the run over all
// its attempts (extract_run_stats.h). Throws UsageError on every rank, before any work, when
// the options differ from RUN/extract-options.json (extract_options.h).
ExtractTotals run_extract(const ExtractConfig& config, const dist::MpiSession& session);

}  // namespace warcpairs::stages
