// Reading image–description pairs out of the canonical database for `warcpairs export`:
// images joined with their pages, predictions and scores (whichever of those tables exist),
// then the pairs of `score --pairs` lists (scores rows with list_row, no image or page row).
#pragma once

#include <cmath>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace warcpairs::store {

// One pair. Numbers the database does not know are -1 (sizes), NaN (CLIP) or has_* false.
struct ExportRow {
  int64_t image_id = 0;             // 0 for a pair of a list
  int64_t list_row = 0;             // `score --pairs` list row (1-based); 0 for a database pair
  std::string url, page_url, crawl_date, language;  // a list pair has no page: "" page fields
  std::string text;  // the description: the span model's prediction when it found one, else alt
  std::string text_source;          // where `text` came from: model, alt, review or pairs-list
  std::string alt;
  int64_t width = -1, height = -1;  // original size (scores), else the HTML attributes
  bool size_from_scores = false;
  std::string sha256;               // "" without scores
  uint64_t phash = 0;
  bool has_phash = false;
  bool noai = false;
  double clip_caption = NAN, clip_alt = NAN;
  std::string clip_model;
  std::string outcome;              // scores.outcome; "" when the pair was not scored
  std::string key, tar;             // the sample in RUN/images/<tar>; "" without an image
  std::string review;               // the review decision in force: accept, reject, edit; "" none
  std::string machine_text;         // review "edit": the machine's description that `text` replaced
  std::string kind;                 // image_kinds.kind; "" for a list pair, "unknown" before schema 6
  // CLD2's language (schema 8): of the description when reliable, else of its context when
  // reliable, else of the page's visible text; "" unknown (and for a list pair).
  std::string detected_language;
  double unsafe = NAN;              // scores.unsafe; NaN when not scored for it
  std::string page_robots;          // pages.robots: the page's <meta name="robots"> directives
};

class ExportQuery {
 public:
  // Opens RUN/warcpairs.sqlite read-only; throws Error as ImageQuery does.
  explicit ExportQuery(const std::filesystem::path& database);
  ~ExportQuery();

  // True when the scores table exists and has rows (database pairs or `score --pairs` lists).
  bool has_scores();
  // The model versions in `predictions`, most rows first (empty before schema 2).
  std::vector<std::string> prediction_models();
  // The highest decision_id in review_decisions (0 before schema 4 or without decisions).
  int64_t last_review_decision();
  // Every pair with a non-empty description (prediction of `span_model`, else alt; "" model:
  // alt only), in image_id order, then every scored list pair with a non-empty caption, in
  // list_row order. Review decisions with decision_id <= `review_up_to` apply (0: none; list
  // pairs' from schema 8): an
  // edit replaces the description, `review` says which decision is in force. A fixed bound
  // lets every rank read the same decisions while a review page keeps writing.
  int64_t for_each(const std::string& span_model, int64_t review_up_to,
                   const std::function<void(const ExportRow&)>& fn);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace warcpairs::store
