// The score stage: image–description pairs → downloaded, decoded, resized and hashed images in
// WebDataset tar shards, CLIP similarities, and score shards (then `merge` → `scores`).
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <string>

#include "warcpairs/image/resize.h"
#include "warcpairs/net/downloader.h"
#include "warcpairs/stages/common/image_kind_filter.h"
#include "warcpairs/text/pair_list.h"

namespace warcpairs::dist {
class MpiSession;
}

namespace warcpairs::stages {

struct ScoreConfig {
  std::filesystem::path run_dir;       // RUN/warcpairs.sqlite in, RUN/images + RUN/shards out
  std::filesystem::path pairs;         // a URL + caption list instead of the database
  text::ListFormat pairs_format = text::ListFormat::automatic;
  text::ListColumns pairs_columns;     // --url-col, --caption-col ("": url; caption, text, description)
  std::string span_model;              // whose predictions describe the images ("": the only one)
  // Database pairs of other kinds are skipped (counted in ScoreTotals::skipped_kinds); the
  // ids stay covered by the shard, so the choice is recorded with the options below.
  ImageKindFilter image_kinds{{"content"}};
  std::filesystem::path clip_dir;      // CLIP checkpoint; empty: no CLIP scores
  std::filesystem::path bpe;           // CLIP BPE merges (default: clip_dir/merges.txt)
  // With clip_dir: the prompt set of scores.unsafe (models/unsafe-prompts.tsv's format);
  // empty: the built-in copy of models/unsafe-prompts.tsv.
  std::filesystem::path unsafe_prompts;
  std::string device = "auto";
  int threads = 0;                     // LibTorch threads per rank; 0: cores / ranks on the node
  int clip_batch = 32;
  int32_t image_size = 256;            // img2dataset's defaults: 256, border
  image::ResizeMode resize_mode = image::ResizeMode::border;
  int jpeg_quality = 95;
  int64_t max_pixels = 89'478'485;     // decompression-bomb cap (PIL's)
  // false: large JPEGs are decoded at 1/2, 1/4 or 1/8 scale when both sides stay above what
  // the resize and CLIP need (PIL's draft rule): ~2x faster, but pHash and CLIP then see
  // those pixels, not the full decode that imagehash / HF's processor would. true: full decode.
  bool exact_decode = false;
  int64_t rows_per_shard = 2000;       // ids per shard: the unit of work and of resuming
  // Reruns (pairs from the database): a failed download is tried again by a later run while it
  // is transient (DNS, connect, timeout, 5xx, 429) and the image was tried fewer than
  // max_attempts times; retry_failed retries every failure. With clip_dir, stored images that
  // have no CLIP score get one from their stored JPEG, without a download.
  int max_attempts = 3;
  bool retry_failed = false;
  // The options that shape the stored images and captions (image size, resize mode, JPEG
  // quality, pixel cap, exact decode, noai, whose descriptions) are recorded by the first run in
  // RUN/score-options.json (a --pairs list: RUN/score-<list hash>-options.json); a rerun with
  // others is refused unless this is set (the id ranges done with each are then recorded).
  bool allow_mixed_options = false;
  net::FetchOptions fetch;
};

struct ScoreTotals {
  int64_t shards_written = 0, shards_already_done = 0;
  int64_t ids_planned = 0;             // ids no committed shard covered: this run's work
  int64_t ids_already_covered = 0;     // ids earlier shards covered
  int64_t pairs = 0, urls = 0;         // pairs scored, distinct URLs fetched (per shard)
  int64_t ok = 0;                      // images stored (downloaded, decoded)
  int64_t noai = 0;                    // refused by X-Robots-Tag
  int64_t failed = 0;                  // download or decode failures (by reason in `outcomes`)
  // Results of this run's downloads by reason: the outcome, "http_error 503" for HTTP errors.
  std::map<std::string, int64_t> outcomes;
  KindCounts skipped_kinds;            // database pairs not scored, by image kind (--image-kinds)
  // Opt-outs by reason: "X-Robots-Tag: noindex", ... (refused downloads, also in `noai`) and
  // "meta robots: noai" / "meta robots: noimageai" (database pairs whose page opted out: not
  // fetched, no score row, like skipped kinds).
  std::map<std::string, int64_t> opt_outs;
  // The rows already in the database that this run looked at again (docs/score.md, Reruns):
  int64_t retried = 0;                 // failed downloads tried again
  int64_t retries_exhausted = 0;       // transient failures left: tried max_attempts times
  int64_t permanent_left = 0;          // permanent failures left (--retry-failed retries them)
  int64_t clip_added = 0;              // stored images CLIP-scored from their tar, no download
  int64_t clip_scored = 0;
  int64_t bytes = 0;                   // downloaded
  double seconds = 0;
  double images_per_second = 0;        // pairs handled per second, all ranks
  bool stopped = false;
  std::string clip_model;
  // With CLIP: the prompt set scores.unsafe was computed with (file and digest) and the
  // threshold it was written for.
  std::string unsafe_prompts;
  double unsafe_threshold = 0;
};

// Collective. Shards: RUN/shards/score-<first>-<last>.h5 (database pairs, image ids
// [first, last]) or score-<list hash>-<first>-<last>.h5 (list rows), each with its images in
// RUN/images/<same stem>.tar; the tar is committed before the shard. The run does the ids
// that no committed shard covers (stages/common/range_ledger.h).
// Then, for database pairs, a redo pass over the rows already merged: per id range of
// --rows-per-shard, a shard RUN/shards/score-rNNN-cNNNNNN.h5 (+ tar) of the failed rows
// retried and one score-rNNN-clip-cNNNNNN.h5 of the stored images CLIP-scored, NNN the
// revision (1 + the highest in `scores`); merge replaces the stored rows with them. The
// ledger of the first pass does not read these names.
// Writes RUN/score-stats.json (rank 0): the totals of every attempt on the same pairs (the
// database, or one list), this attempt under "last_attempt" (common/run_stats.h).
ScoreTotals run_score(const ScoreConfig& config, const dist::MpiSession& session);

// The failure lines of a summary: one per reason with its count, and what a rerun does with it.
std::string describe_failures(const ScoreTotals& totals, const ScoreConfig& config);

}  // namespace warcpairs::stages
