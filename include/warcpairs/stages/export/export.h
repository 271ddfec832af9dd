// The export stage: the run's pairs → a dataset others read (WebDataset tar shards, a Hugging
// Face imagefolder, CSV, JSON lines), after a configurable chain of cleaners, with a
// deterministic train/validation split and a dataset card (docs/export.md).
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "warcpairs/stages/common/image_kind_filter.h"

namespace warcpairs::dist {
class MpiSession;
}

namespace warcpairs::stages {

// A format `--format` accepts: its name, what it writes ("WebDataset shards", for --help) and
// whether it needs the run's images (src/stages/export/export_formats.cc lists them).
struct ExportFormat {
  std::string name, summary;
  bool needs_images = false;
};
// Every format, in the order `--help` lists them.
std::vector<ExportFormat> export_formats();
// "a, b and c" (conjunction "and") or "a, b or c": formats named in messages and help texts.
std::string word_list(const std::vector<std::string>& words, std::string_view conjunction);

// One link of the cleaner chain: a name from kCleanerNames and its setting as text
// ("0.25", "3", "en,de", "true"). Checked by run_export; a bad one is a UsageError.
struct CleanerSpec {
  std::string name, value;
};
// min_clip, min_width, min_height, max_aspect_ratio, min_words, max_words, exact_duplicates,
// near_duplicates, languages.
extern const std::vector<std::string> kCleanerNames;

// What the decisions of `warcpairs review` do: apply them (drop rejected pairs, use edited
// descriptions), ignore them, or keep only the pairs a person accepted or edited.
enum class ReviewMode { apply, ignore, reviewed_only };

struct ExportConfig {
  std::filesystem::path run_dir;       // RUN/warcpairs.sqlite and RUN/images in
  std::filesystem::path dest;          // the dataset folder out (created atomically)
  std::string format = "jsonl";        // a name from export_formats(); another is a UsageError
  std::string what = "pairs";          // "renders": the crops of `warcpairs render` (webdataset,
                                       // imagefolder or csv; cleaners and split do not apply)
  std::string span_model;              // "": the only model; "none": alt texts only
  std::vector<CleanerSpec> cleaners;   // applied in this order, after noai and "no image"
  ReviewMode review = ReviewMode::apply;
  bool include_noai = false;           // keep pairs whose server sent X-Robots-Tag noai
  ImageKindFilter image_kinds{{"content"}};  // database pairs of other kinds are skipped first
  double validation_fraction = 0.05;
  int64_t shard_size = 10000;          // samples per WebDataset shard / imagefolder part / Parquet file
  bool embed_images = false;           // parquet: the image bytes in an `image` column
  bool overwrite = false;              // replace a non-empty dest
  std::string command_line;            // for the dataset card's provenance
  std::filesystem::path ids;           // export --ids FILE: only these images (a search list)
};

struct CleanerCount {
  std::string name, setting;
  int64_t dropped = 0;
};

struct ExportTotals {
  int64_t pairs = 0;                   // read from the database
  int64_t kept = 0, train = 0, validation = 0;
  int64_t shards = 0;                  // tar shards (webdataset) or image parts written
  int64_t missing_images = 0;          // kept pairs whose image was not in RUN/images
  KindCounts skipped_kinds;            // pairs read but not taken, by image kind
  int64_t not_in_ids = 0;              // export --ids: pairs read whose image the list lacks
  std::vector<CleanerCount> cleaners;  // in the order applied
  bool has_scores = false;
  std::string span_model;
  int64_t review_up_to = 0;            // review decisions applied: decision_id <= this (0: none)
  int64_t reviewed_accepted = 0, reviewed_edited = 0, reviewed_rejected = 0;  // among pairs read
  double seconds = 0;
};

// Collective: rank 0 reads the pairs and applies the chain (the duplicate cleaners need the
// whole set), every rank writes its share of the shards, rank 0 writes the tables and the
// card and renames the finished folder to `dest`.
ExportTotals run_export(const ExportConfig& config, const dist::MpiSession& session);

}  // namespace warcpairs::stages
