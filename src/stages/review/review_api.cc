// The review page's JSON (review_api.h).
#include "review_api.h"

#include <algorithm>

#include "../common/sample_fields.h"
#include "warcpairs/core/error.h"
#include "warcpairs/text/normalize.h"

namespace warcpairs::stages {
using nlohmann::json;

json context_segments(const store::ReviewPair& p) {
  const std::string& c = p.context;
  const int32_t length = text::codepoint_count(c);
  const auto clamp = [&](int32_t cp) { return std::clamp(cp, 0, length); };
  // Cut points in code points; the span only when the model found one.
  const bool span = p.span_start >= 0 && p.span_end > p.span_start;
  const int32_t s0 = span ? clamp(p.span_start) : -1, s1 = span ? clamp(p.span_end) : -1;
  const int32_t img = clamp(p.image_pos);
  json out = json::array();
  const auto text = [&](int32_t from, int32_t to, const char* kind) {
    if (to <= from) return;
    const std::size_t b = text::byte_offset_of_codepoint(c, from), e = text::byte_offset_of_codepoint(c, to);
    out.push_back({{"k", kind}, {"t", c.substr(b, e - b)}});
  };
  // Walk the context once: plain text up to the next cut, the span as one piece (the image
  // marker goes before or after it, never inside: a marker inside would split the highlight).
  int32_t at = 0;
  bool image_done = false;
  const auto image_marker_until = [&](int32_t limit) {
    if (!image_done && img <= limit) {
      text(at, img, "text");
      at = std::max(at, img);
      out.push_back({{"k", "image"}, {"t", ""}});
      image_done = true;
    }
  };
  if (span) {
    image_marker_until(s0);
    text(at, s0, "text");
    text(s0, s1, "span");
    at = s1;
  }
  image_marker_until(length);
  text(at, length, "text");
  return out;
}

json decision_json(const store::ReviewDecision& d) {
  if (d.decision_id == 0) return nullptr;
  return {{"decision_id", d.decision_id}, {"image_id", d.image_id}, {"action", d.action},
          {"text", d.text},               {"machine_text", d.machine_text},
          {"reviewer", d.reviewer},       {"decided_at", d.decided_at},
          {"replaces", d.replaces == 0 ? json(nullptr) : json(d.replaces)}};
}

json pair_json(const store::ReviewPair& p) {
  return {{"image_id", p.image_id},
          {"page_url", p.page_url},
          {"page_title", p.page_title},
          {"url", p.url},
          {"alt", p.alt},
          {"machine_text", p.machine_text},
          {"context", context_segments(p)},
          {"prediction_score", number_or_null(p.prediction_score)},
          {"clip_caption", number_or_null(p.clip_caption)},
          {"clip_alt", number_or_null(p.clip_alt)},
          {"width", size_or_null(p.width)},
          {"height", size_or_null(p.height)},
          {"outcome", p.outcome},
          {"image", p.has_image ? json("/image/" + std::to_string(p.image_id)) : json(nullptr)},
          {"decision", decision_json(p.decision)},
          {"version", p.latest_decision_id}};
}

store::ReviewFilter parse_filter(const std::string& w) {
  using F = store::ReviewFilter;
  if (w.empty() || w == "all") return F::all;
  if (w == "undecided") return F::undecided;
  if (w == "accepted") return F::accepted;
  if (w == "rejected") return F::rejected;
  if (w == "edited") return F::edited;
  throw UsageError("filter: all, undecided, accepted, rejected or edited");
}

store::ReviewOrder parse_order(const std::string& w) {
  using O = store::ReviewOrder;
  if (w.empty() || w == "id") return O::image_id;
  if (w == "clip-desc") return O::clip_descending;
  if (w == "clip-asc") return O::clip_ascending;
  throw UsageError("order: id, clip-desc or clip-asc");
}

std::string dump(const json& j) { return j.dump(-1, ' ', false, json::error_handler_t::replace); }

}  // namespace warcpairs::stages
