// The training and validation windows from the database, their order per epoch and split over
// the ranks, and the validation at an epoch end.
#include "train_examples.h"

#include <algorithm>

#include "warcpairs/core/splitmix64.h"
#include "warcpairs/dist/mpi_session.h"
#include "warcpairs/model/span_model.h"
#include "warcpairs/stages/common/span_predictor.h"
#include "warcpairs/stages/train/train.h"
#include "warcpairs/store/image_query.h"
#include "warcpairs/text/span_answer.h"

namespace warcpairs::stages {
namespace {

constexpr const char* kBaselineNames[kBaselines] = {"alt_nearest_sentence", "image_nearest_sentence",
                                                    "sentence_after", "sentence_before"};

text::CodePointSpan alt_nearest_sentence(const std::vector<text::CodePointSpan>& sentences,
                                         const std::string& context, const std::string& alt) {
  text::CodePointSpan best{-1, -1};
  double best_f1 = -1;
  for (const auto& s : sentences) {
    const double f1 = text::token_f1(text::span_text(context, s), alt);
    if (f1 > best_f1) best_f1 = f1, best = s;
  }
  return best;
}

}  // namespace

Examples load_examples(const TrainConfig& c, const text::WordPiece& tokenizer) {
  text::SpanExampleOptions wo;
  wo.max_length = c.max_length;
  wo.stride = c.stride;
  if (c.line_marker) wo.line_marker = text::kLineMarker;
  wo.centre_marker = c.centre_marker;
  wo.near_line_markers = c.near_line_markers;
  text::SpanExampleBuilder builder(tokenizer, wo);
  store::ImageQuery db(c.run_dir / "warcpairs.sqlite");
  Examples ex;
  std::vector<text::SpanWindow> windows;
  db.for_each_labelled([&](const store::ContextRow& r) {
    const text::CodePointSpan label{r.label_start, r.label_end};
    const auto reaches = [](const std::vector<text::SpanWindow>& ws) {
      return std::any_of(ws.begin(), ws.end(), [](const text::SpanWindow& w) { return w.has_span(); });
    };
    const double point = text::page_split_point(r.page_url);
    if (point < c.validation_fraction + c.dev_fraction) {
      EvalSet& set = point < c.validation_fraction ? ex.validation : ex.dev;
      ValidationItem item{r.context, text::span_text(r.context, label), r.alt, r.image_pos};
      // Built with the label only to know whether a window holds it: decoding never reads
      // start_token / end_token.
      set.windows.emplace_back();
      builder.build(item.context, item.image_pos, label, set.windows.back());
      set.label_in_window.push_back(reaches(set.windows.back()));
      set.items.push_back(std::move(item));
    } else {
      builder.build(r.context, r.image_pos, label, windows);
      ex.train_images_label_in_window += reaches(windows);
      for (auto& w : windows) {
        ex.train_windows_with_label += w.has_span();
        if (c.label_windows_only && !w.has_span()) {
          ++ex.train_windows_dropped;
          continue;
        }
        ex.train.push_back(std::move(w));
      }
      ++ex.train_images;
    }
  });
  return ex;
}

namespace {
// Portable shuffle (SplitMix64 + Fisher–Yates): the same order on every machine and library,
// which std::shuffle's distribution does not promise.
void portable_shuffle(std::vector<int64_t>& v, uint64_t state) {
  for (int64_t i = static_cast<int64_t>(v.size()) - 1; i > 0; --i)
    std::swap(v[static_cast<std::size_t>(i)], v[splitmix64_next(state) % uint64_t(i + 1)]);
}
}  // namespace

void mask_tokens(const text::SpanWindow& w, double p, int32_t mask_id, uint64_t seed, int64_t step,
                 int64_t window, text::SpanWindow& out) {
  out = w;
  uint64_t state = seed ^ (0xA0761D6478BD642FULL * static_cast<uint64_t>(step + 1)) ^
                   (0xE7037ED1A0B428DBULL * static_cast<uint64_t>(window + 1));
  const auto threshold = static_cast<uint64_t>(std::clamp(p, 0.0, 1.0) * 0x1.0p53);
  for (std::size_t i = 0; i < out.input_ids.size(); ++i) {
    const uint64_t z = splitmix64_next(state);
    if (i < out.offsets.size() && out.offsets[i].first >= 0 && (z >> 11) < threshold) out.input_ids[i] = mask_id;
  }
}

std::vector<int64_t> epoch_order(int64_t n, uint64_t seed, int64_t epoch) {
  std::vector<int64_t> order(static_cast<std::size_t>(n));
  for (int64_t i = 0; i < n; ++i) order[i] = i;
  portable_shuffle(order, seed ^ (0x9E3779B97F4A7C15ULL * static_cast<uint64_t>(epoch + 1)));
  return order;
}

void bucket_by_length(const std::vector<text::SpanWindow>& windows, int64_t batch_size,
                      int64_t pool_batches, uint64_t seed, int64_t epoch, std::vector<int64_t>& order) {
  const auto n = static_cast<int64_t>(order.size());
  const int64_t pool = batch_size * std::max<int64_t>(1, pool_batches);
  for (int64_t at = 0; at < n; at += pool)
    std::stable_sort(order.begin() + at, order.begin() + std::min(n, at + pool),
                     [&](int64_t a, int64_t b) { return windows[a].length < windows[b].length; });
  const int64_t full = n / batch_size;
  std::vector<int64_t> batches(static_cast<std::size_t>(full));
  for (int64_t i = 0; i < full; ++i) batches[i] = i;
  portable_shuffle(batches, ~seed ^ (0xD1B54A32D192ED03ULL * static_cast<uint64_t>(epoch + 1)));
  std::vector<int64_t> out;
  out.reserve(order.size());
  for (int64_t b : batches)
    out.insert(out.end(), order.begin() + b * batch_size, order.begin() + (b + 1) * batch_size);
  out.insert(out.end(), order.begin() + full * batch_size, order.end());
  order = std::move(out);
}

// Rank r's part of the global batch order[begin, begin + count): the windows sorted by length
// and dealt round-robin, so every rank gets nearly the same number of tokens and pads little
// (a rank with the long windows would keep the others waiting at the all-reduce). The summed
// gradient is the global batch's whatever the split.
void deal_batch(const std::vector<text::SpanWindow>& windows, const std::vector<int64_t>& order,
                int64_t begin, int64_t count, int size, int rank, std::vector<int64_t>& scratch,
                std::vector<const text::SpanWindow*>& local) {
  scratch.assign(order.begin() + begin, order.begin() + begin + count);
  std::stable_sort(scratch.begin(), scratch.end(), [&](int64_t a, int64_t b) {
    return windows[a].length > windows[b].length;
  });
  local.clear();
  for (std::size_t k = static_cast<std::size_t>(rank); k < scratch.size(); k += static_cast<std::size_t>(size))
    local.push_back(&windows[scratch[k]]);
}

nlohmann::json Quality::to_json() const {
  nlohmann::json j = {{"images", static_cast<int64_t>(n)},
                      {"model", {{"exact_match", n ? em / n : 0}, {"token_f1", n ? f1 / n : 0}}}};
  for (int b = 0; b < kBaselines; ++b)
    j[kBaselineNames[b]] = {{"exact_match", n ? base_em[b] / n : 0},
                            {"token_f1", n ? base_f1[b] / n : 0}};
  const double answered = n - no_span;
  j["model_no_span"] = n ? no_span / n : 0;
  j["model_answered"] = {{"images", static_cast<int64_t>(answered)},
                         {"exact_match", answered ? answered_em / answered : 0},
                         {"token_f1", answered ? answered_f1 / answered : 0}};
  j["label_in_window"] = {{"images", static_cast<int64_t>(reachable)},
                          {"model_token_f1", reachable ? reachable_f1 / reachable : 0}};
  for (int m = 0; m < kDecodings; ++m)
    j["model_decoded"][text::decoding_name(text::kSpanDecodings[m])] = {{"exact_match", n ? decoding_em[m] / n : 0},
                                                        {"token_f1", n ? decoding_f1[m] / n : 0}};
  return j;
}

Quality validate(model::SpanModel& model, const EvalSet& set, const TrainConfig& c,
                 const dist::MpiSession& session) {
  // Image i goes to rank i mod size: every rank scores a part, the sums are reduced.
  std::vector<std::vector<text::SpanWindow>> mine;
  std::vector<const ValidationItem*> items;
  std::vector<uint8_t> reachable;
  for (std::size_t i = static_cast<std::size_t>(session.rank()); i < set.size();
       i += static_cast<std::size_t>(session.size())) {
    mine.push_back(set.windows[i]);
    items.push_back(&set.items[i]);
    reachable.push_back(set.label_in_window[i]);
  }
  const std::vector<text::SpanDecoding> decodings(std::begin(text::kSpanDecodings),
                                                  std::end(text::kSpanDecodings));
  text::SpanDecoding chosen = text::SpanDecoding::kSpans;
  text::parse_decoding(c.decoding, chosen);  // checked by run_train
  const auto chosen_at = static_cast<std::size_t>(
      std::find(decodings.begin(), decodings.end(), chosen) - decodings.begin());
  std::vector<std::vector<text::SpanAnswer>> all;
  PredictTiming timing;
  answer_windows(model, mine, mine.size(), c.batch_size, 30, decodings, all, timing);
  const std::vector<text::SpanAnswer>& answers = all[chosen_at];
  constexpr std::size_t kDiag = 3 + 2 * kBaselines;  // where the diagnostic sums start
  constexpr std::size_t kDec = kDiag + 5;             // where the per-decoding sums start
  std::vector<double> sums(kDec + 2 * Quality::kDecodings, 0.0);
  for (std::size_t i = 0; i < items.size(); ++i) {
    const ValidationItem& v = *items[i];
    for (std::size_t m = 0; m < decodings.size(); ++m) {
      const std::string p = text::span_text(v.context, {all[m][i].start, all[m][i].end});
      sums[kDec + 2 * m] += text::exact_match(p, v.label);
      sums[kDec + 2 * m + 1] += text::token_f1(p, v.label);
    }
    const std::string pred = text::span_text(v.context, {answers[i].start, answers[i].end});
    const double em = text::exact_match(pred, v.label), f1 = text::token_f1(pred, v.label);
    sums[0] += 1;
    sums[1] += em;
    sums[2] += f1;
    if (!answers[i].has_span()) {
      sums[kDiag] += 1;
    } else {
      sums[kDiag + 1] += em;
      sums[kDiag + 2] += f1;
    }
    if (reachable[i]) sums[kDiag + 3] += 1, sums[kDiag + 4] += f1;
    const auto sentences = text::sentences(v.context);
    const text::CodePointSpan picks[kBaselines] = {
        alt_nearest_sentence(sentences, v.context, v.alt),
        text::nearest_sentence(sentences, v.image_pos), text::sentence_after(sentences, v.image_pos),
        text::sentence_before(sentences, v.image_pos)};
    for (int b = 0; b < kBaselines; ++b) {
      const std::string t = text::span_text(v.context, picks[b]);
      sums[3 + 2 * b] += text::exact_match(t, v.label);
      sums[4 + 2 * b] += text::token_f1(t, v.label);
    }
  }
  session.allreduce_sum(sums.data(), sums.size());
  Quality q;
  q.n = sums[0], q.em = sums[1], q.f1 = sums[2];
  for (int b = 0; b < kBaselines; ++b) q.base_em[b] = sums[3 + 2 * b], q.base_f1[b] = sums[4 + 2 * b];
  q.no_span = sums[kDiag], q.answered_em = sums[kDiag + 1], q.answered_f1 = sums[kDiag + 2];
  q.reachable = sums[kDiag + 3], q.reachable_f1 = sums[kDiag + 4];
  for (int m = 0; m < Quality::kDecodings; ++m)
    q.decoding_em[m] = sums[kDec + 2 * m], q.decoding_f1[m] = sums[kDec + 2 * m + 1];
  return q;
}

}  // namespace warcpairs::stages
