// The review stage: a local web page over the run's database where a person accepts, rejects
// or edits the pairs; decisions go to review_decisions and `export` applies them
// (docs/review.md).
#pragma once

#include <filesystem>
#include <string>

#include "warcpairs/stages/common/image_kind_filter.h"

namespace warcpairs::stages {

struct ReviewConfig {
  std::filesystem::path run_dir;   // RUN/warcpairs.sqlite, RUN/images
  std::string host = "127.0.0.1";  // where to listen; other than loopback needs allow_remote
  int port = 0;                    // 0: a free port, printed
  bool allow_remote = false;
  std::string reviewer;            // who decides (the CLI's default: $USER); the page can change it
  std::string span_model;          // "": the only model in the database; "none": alt texts
  ImageKindFilter image_kinds{{"content"}};  // pairs of other kinds are not shown (counted)
  std::filesystem::path url_file;  // when set, the page's URL (with its token) is written here
  std::filesystem::path ids;       // review --ids FILE: only the images of a search list
};

struct ReviewTotals {
  int64_t decisions = 0;  // saved while the server ran
  int64_t accepted = 0, rejected = 0, edited = 0, undecided = 0, pairs = 0;  // at the end
  KindCounts skipped_kinds;  // pairs not shown, by image kind
};

// Serves until SIGINT, SIGTERM or SIGUSR1, then returns. Prints the URL (with a random access token)
// on stdout. Throws UsageError on bad settings, Error when the database cannot be opened or
// the address cannot be bound.
ReviewTotals run_review(const ReviewConfig& config);

}  // namespace warcpairs::stages
