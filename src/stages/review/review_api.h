// The review page's JSON: pairs (context cut into text / predicted span / image marker
// segments, so the browser never computes offsets), decisions, and the query words of
// /api/pairs. No HTTP here: review_server.cc does that.
#pragma once

#include <nlohmann/json.hpp>

#include <string>

#include "warcpairs/store/review_store.h"

namespace warcpairs::stages {

// Context as segments in order: {"k": "text"|"span"|"image", "t": text}. The span is the
// predicted one (code points [span_start, span_end)), the image marker stands at image_pos;
// both are clamped into the context.
nlohmann::json context_segments(const store::ReviewPair& pair);
nlohmann::json pair_json(const store::ReviewPair& pair);
// null for "no decision".
nlohmann::json decision_json(const store::ReviewDecision& decision);

// "all", "undecided", "accepted", "rejected", "edited"; throws UsageError otherwise.
store::ReviewFilter parse_filter(const std::string& word);
// "id", "clip-desc", "clip-asc"; throws UsageError otherwise.
store::ReviewOrder parse_order(const std::string& word);

// JSON text that is valid even when a string holds invalid UTF-8 (replaced by U+FFFD).
std::string dump(const nlohmann::json& j);

}  // namespace warcpairs::stages
