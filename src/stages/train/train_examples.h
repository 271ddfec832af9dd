// What run_train trains and validates on: the windows of the labelled images, their order
// and split over the ranks, and the validation at each epoch end (exact match and token F1
// of the model and of four sentence baselines).
#pragma once

#include <cstdint>
#include <iterator>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "warcpairs/text/span_answer.h"
#include "warcpairs/text/span_examples.h"

namespace warcpairs::dist {
class MpiSession;
}
namespace warcpairs::model {
class SpanModel;
}
namespace warcpairs::text {
class WordPiece;
}

namespace warcpairs::stages {
struct TrainConfig;

// One held-out image: its windows, and what the model and the baselines are scored against.
struct ValidationItem {
  std::string context;
  std::string label;  // the label span's text
  std::string alt;
  int32_t image_pos = 0;
};

// Images scored at epoch ends (the held-out set, or the development set): their windows and
// whether one of them holds the label.
struct EvalSet {
  std::vector<ValidationItem> items;
  std::vector<std::vector<text::SpanWindow>> windows;
  std::vector<uint8_t> label_in_window;
  std::size_t size() const { return items.size(); }
};

struct Examples {
  std::vector<text::SpanWindow> train;
  EvalSet validation;  // the held-out pages (TrainConfig::validation_fraction)
  EvalSet dev;         // the development pages (TrainConfig::dev_fraction; empty without)
  int64_t train_images = 0;
  // How much of the labels the windows (those holding the image marker) can reach: training
  // windows holding their whole label, training images with the label inside at least one
  // window, training windows dropped for lacking the label (TrainConfig::label_windows_only).
  int64_t train_windows_with_label = 0, train_images_label_in_window = 0, train_windows_dropped = 0;
};

// The labelled images of RUN/warcpairs.sqlite as windows: pages picked by
// text::is_validation are held out, the next dev_fraction of the hash range is the
// development set, the rest are training windows.
Examples load_examples(const TrainConfig& c, const text::WordPiece& tokenizer);

// This epoch's order of the n training windows: the same on every rank, machine and library.
std::vector<int64_t> epoch_order(int64_t n, uint64_t seed, int64_t epoch);

// Length bucketing (train --bucket-by-length): `order` (a shuffled epoch order) is cut into
// pools of `pool_batches` batches, each pool sorted by window length, so a batch holds
// windows of similar length and pads little; the full batches are then shuffled (the same
// on every rank), a partial last batch stays last.
void bucket_by_length(const std::vector<text::SpanWindow>& windows, int64_t batch_size,
                      int64_t pool_batches, uint64_t seed, int64_t epoch, std::vector<int64_t>& order);

// Token dropout (TrainConfig::token_dropout): `out` = `w` with each text token (offsets >= 0:
// not [CLS], [SEP], [PAD] or a marker) replaced by `mask_id` with probability `p`, drawn from
// SplitMix64 of (seed, step, window): the same whatever the ranks and after a resume.
void mask_tokens(const text::SpanWindow& w, double p, int32_t mask_id, uint64_t seed, int64_t step,
                 int64_t window, text::SpanWindow& out);

// This rank's windows of the global batch order[begin, begin + count) (see train_examples.cc).
void deal_batch(const std::vector<text::SpanWindow>& windows, const std::vector<int64_t>& order,
                int64_t begin, int64_t count, int size, int rank, std::vector<int64_t>& scratch,
                std::vector<const text::SpanWindow*>& local);

// The baselines answer with a whole sentence of the context: the one closest to the alt text
// (highest token F1 against it: it knows the alt text, which the model does not see), the one
// nearest the image, the first after it, the last before it.
constexpr int kBaselines = 4;

// Sums over the validation images of all ranks: count, then EM and F1 of the model and of
// each baseline.
struct Quality {
  double n = 0, em = 0, f1 = 0;
  double base_em[kBaselines] = {}, base_f1[kBaselines] = {};
  // Diagnostics: images the model answered "no span"; EM and F1 summed over the images it
  // answered; images whose label lies inside one of their windows, and the model's F1 on them.
  double no_span = 0, answered_em = 0, answered_f1 = 0, reachable = 0, reachable_f1 = 0;
  // EM and F1 summed under each decoding (text::SpanDecoding: spans, lines, both); em and f1
  // above are those of TrainConfig::decoding.
  static constexpr int kDecodings = static_cast<int>(std::size(text::kSpanDecodings));
  double decoding_em[kDecodings] = {}, decoding_f1[kDecodings] = {};
  nlohmann::json to_json() const;  // the means, as quality.json and metrics.jsonl carry them
};

// Image i of `set` is scored on rank i mod size; the sums are all-reduced (collective).
Quality validate(model::SpanModel& model, const EvalSet& set, const TrainConfig& c,
                 const dist::MpiSession& session);

}  // namespace warcpairs::stages
