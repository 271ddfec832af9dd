// One span prediction as store keeps it: a row of a shard's /predictions and of the
// database's predictions table (docs/storage.md). Made by the span-model stages (extract,
// predict). Plain struct, no logic.
#pragma once

#include <cstdint>
#include <string>

namespace warcpairs::store {

// The span model's answer for one image: the code-point span [start, end) of its context that
// describes the image, or start == end == -1 for "no span".
struct PredictionRecord {
  int64_t image = -1;      // which image (see store's shard layout: shard row or image_id)
  int32_t start = -1;
  int32_t end = -1;
  std::string text;        // the span's text ("" for no span)
  double score = 0;        // best span logit sum minus the "no span" logit sum
};

}  // namespace warcpairs::store
