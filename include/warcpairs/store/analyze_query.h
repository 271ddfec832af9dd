// Read-only statistics over a run's database for `warcpairs analyze`: counts, GROUP BYs and
// histograms computed by SQLite (bounded memory), and small samples of pairs.
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace warcpairs::store {

struct NamedCount {
  std::string name;
  int64_t count = 0;
};

// Equal-width bins: bin i covers [lo + i * width, lo + (i + 1) * width).
struct Histogram {
  double lo = 0, width = 1;
  std::vector<int64_t> bins;
  int64_t total() const;
};

// A scored pair with its image location in RUN/images (tar + key).
struct PairSample {
  int64_t image_id = -1;  // -1 for URL-list pairs
  std::string url, caption, alt, tar, key;
  std::optional<double> clip;
  int64_t width = 0, height = 0;
};

struct Point {
  double x = 0, y = 0;
};

class AnalyzeQuery {
 public:
  // Opens RUN/warcpairs.sqlite read-only; throws Error when missing or of an unknown version.
  explicit AnalyzeQuery(const std::filesystem::path& database);
  ~AnalyzeQuery();

  bool has_predictions() const;  // schema v2 and at least one row
  bool has_scores() const;       // schema v3 and at least one row
  // Rows per stage: files, pages, images, images_with_alt, labelled, skips, predictions,
  // scores, scores_ok, scores_clip, review_decisions, reviewed_accept, reviewed_reject,
  // reviewed_edit (0 before those stages ran).
  std::vector<NamedCount> stage_counts();
  // detected_language: pages.text_language (CLD2, schema 8; "(unknown)" where none);
  // context_language: images.context_language of images with a context; language_disagreement:
  // "<html lang> → detected" for pages whose primary subtags differ (both known).
  // render_failure: render_failures.reason (schema 11).
  enum class Group { file_status, skip_reason, domain, language, page_type, image_mime, outcome,
                     detected_language, context_language, language_disagreement, render_failure };
  // Largest groups first; past `limit` the rest is summed into "(other)".
  std::vector<NamedCount> groups(Group g, int limit);
  enum class Text { alt, context, prediction };
  // Length in characters (code points) of non-empty texts, `bins` equal bins from 0 to max.
  Histogram length_histogram(Text t, int bins);
  // clip_caption of the scored pairs, `bins` bins over [min, max].
  Histogram clip_histogram(int bins);
  // scores.unsafe (schema 8), `bins` bins over [0, 1] (1 falls in the last bin).
  Histogram unsafe_histogram(int bins);
  // Pages by how <html lang> and the detected language (primary subtags) relate: declared
  // (both known), agree, disagree, declared_only, detected_only, neither.
  std::vector<NamedCount> language_agreement();
  // Scored pairs with clip_caption >= threshold.
  int64_t clip_at_least(double threshold);
  // Deterministic pseudo-random samples (same database, same points): x = caption length,
  // y = clip_caption; and x = width, y = height of the downloaded images.
  std::vector<Point> clip_vs_length(int limit);
  std::vector<Point> image_sizes(int limit);
  // image_rows, distinct_image_urls, distinct_alt_texts, and with scores: images_stored,
  // distinct_sha256, duplicate_sha256_rows, distinct_phash.
  std::vector<NamedCount> duplicates();
  // Schema 11 and `warcpairs render` merged at least one file (render_files has a row).
  bool has_renders() const;
  // render_files, render_pages, render_failures, crops (renders rows), page_tokens and
  // page_visible_tokens (sums over render_pages), token_boxes and visible_boxes (render_tokens
  // rows); empty without renders.
  std::vector<NamedCount> render_counts();
  enum class Order { best, worst, random };
  // Stored pairs (outcome ok, with a key); best and worst need clip_caption.
  std::vector<PairSample> pairs(Order order, int limit);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace warcpairs::store
