// Reading images back out of the canonical database for the stages after merge (train,
// predict): read-only, streamed row by row, in image_id order.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace warcpairs::store {

// One image as the span model sees it.
struct ContextRow {
  int64_t image_id = 0;
  std::string page_url;
  std::string alt;
  std::string context;
  int32_t image_pos = 0;
  int32_t label_start = -1;  // -1: no training label
  int32_t label_end = -1;
};

class ImageQuery {
 public:
  // Opens RUN/warcpairs.sqlite read-only. Throws Error when it is missing or not a warcpairs
  // database of a version this build reads.
  explicit ImageQuery(const std::filesystem::path& database);
  ~ImageQuery();

  // Training candidates: images whose alt text occurs in their context (label not NULL).
  int64_t for_each_labelled(const std::function<void(const ContextRow&)>& fn);
  // Images with image_id in [first, last] and a non-empty context (label filled when present).
  int64_t for_each_in_range(int64_t first, int64_t last,
                            const std::function<void(const ContextRow&)>& fn);
  int64_t max_image_id();
  // The model versions in `predictions`, most rows first.
  std::vector<std::string> prediction_models();
  // Images with image_id in [first, last] and some text to score: `caption` gets the
  // prediction of `span_model` when it found a span, else the alt text ("" model: the alt
  // text). Rows with neither are left out. image_id order.
  struct PairRow {
    int64_t image_id = 0;
    std::string url, caption, alt;
    std::string kind;  // image_kinds.kind ("unknown" in a database older than schema 6)
    std::string page_robots;  // pages.robots ("" in a database older than schema 8)
  };
  int64_t for_each_pair(int64_t first, int64_t last, const std::string& span_model,
                        const std::function<void(const PairRow&)>& fn);
  // Image ids in [first, last] that already have a prediction by `model`.
  int64_t count_predicted(int64_t first, int64_t last, const std::string& model);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace warcpairs::store
