// Reading back the scores table for `score` reruns: the stored rows a rerun may redo (failed
// downloads to retry, stored images without CLIP scores) and the revision their redo gets.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>

#include "warcpairs/store/score_record.h"

namespace warcpairs::store {

// One row of `scores` (pairs from the database only: list rows are not redone).
struct StoredScore {
  ScoreRecord record;
  std::string clip_model;
  int32_t tries = 1;     // score runs that downloaded it (1 in databases before schema 5)
  int32_t revision = 1;
};

class ScoreQuery {
 public:
  // Opens RUN/warcpairs.sqlite read-only (as ImageQuery).
  explicit ScoreQuery(const std::filesystem::path& database);
  ~ScoreQuery();

  // The highest revision in `scores` (0 when it is empty or missing).
  int32_t max_revision();
  // Rows with image_id in [first, last] that are neither "ok" nor "noai", and, when
  // `with_unclipped`, "ok" rows with a stored image and no CLIP score. image_id order.
  int64_t for_each_redo_candidate(int64_t first, int64_t last, bool with_unclipped,
                                  const std::function<void(const StoredScore&)>& fn);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace warcpairs::store
