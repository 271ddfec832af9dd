// Learnability check of the span model (issue 15): does the model, trainer and decoder that
// `train` uses learn "the answer is the line right after the image marker" from random weights
// with tools/quality.sh's settings (2 layers, dim 64, 4 heads, dropout 0.1, learned positions,
// AdamW 1e-3 with 6 % warm-up, batch 32) in 300 steps? Random word ids, so nothing but the rule
// can be learned. What it showed (BENCHMARKS.md, "learnability check"): with the image marker
// at one fixed window position the start is learned exactly, the end (the token before the next
// line marker: a relation between neighbours) is not; with the marker anywhere, not even the
// start is (argmax right on 20 % after 300 steps, EM 0.2 after 1,000 steps at lr 3e-3): learned
// absolute positions from random weights give no "next to" in that budget. So the test holds
// the marker still and checks what must then hold: label offsets, loss, schedule and decoding
// agree (the start is found), and line decoding turns a found start into the whole line.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <random>
#include <vector>

#include "warcpairs/model/span_model.h"
#include "warcpairs/text/span_answer.h"

namespace warcpairs::model {
namespace {

constexpr int32_t kPad = 0, kCls = 1, kSep = 2, kImage = 3, kLine = 4, kFirstWord = 10;

model_io::DistilBertConfig quality_config(int32_t vocab, int32_t positions) {
  model_io::DistilBertConfig c;  // transformers' defaults: dropout 0.1, learned positions
  c.vocab_size = vocab;
  c.max_position_embeddings = positions;
  c.n_layers = 2;
  c.n_heads = 4;
  c.dim = 64;
  c.hidden_dim = 256;
  c.pad_token_id = kPad;
  return c;
}

// A window as SpanExampleBuilder lays it out: [CLS] lines separated by line markers [SEP],
// the image marker at the start of the fourth line (after its line marker); the three lines
// before it have 5 words each (so the marker always sits at token 19), the others 1-12. The
// label is the line after the image. Offsets: distinct code points, none for markers.
text::SpanWindow line_window(std::mt19937_64& rng, int32_t length, int32_t vocab) {
  constexpr int32_t kImageLine = 3, kWordsBefore = 5;
  text::SpanWindow w;
  auto put = [&](int32_t id, bool word) {
    const auto k = static_cast<int32_t>(w.input_ids.size());
    w.input_ids.push_back(id);
    w.offsets.push_back(word ? std::pair{k * 4, k * 4 + 3} : std::pair{-1, -1});
  };
  put(kCls, false);
  for (int32_t line = 0; static_cast<int32_t>(w.input_ids.size()) < length - 1; ++line) {
    if (line > 0) put(kLine, false);
    if (line == kImageLine) {
      w.marker_token = static_cast<int32_t>(w.input_ids.size());
      put(kImage, false);
    }
    const int32_t words = line < kImageLine ? kWordsBefore : 1 + static_cast<int32_t>(rng() % 12);
    for (int32_t i = 0; i < words && static_cast<int32_t>(w.input_ids.size()) < length - 1; ++i) {
      if (line == kImageLine && i == 0) w.start_token = static_cast<int32_t>(w.input_ids.size());
      put(kFirstWord + static_cast<int32_t>(rng() % uint64_t(vocab - kFirstWord)), true);
      if (line == kImageLine) w.end_token = static_cast<int32_t>(w.input_ids.size()) - 1;
    }
  }
  put(kSep, false);
  w.length = static_cast<int32_t>(w.input_ids.size());
  return w;
}

std::vector<text::SpanWindow> line_windows(int n, uint64_t seed, int32_t length, int32_t vocab) {
  std::mt19937_64 rng(seed);
  std::vector<text::SpanWindow> out;
  for (int i = 0; i < n; ++i) out.push_back(line_window(rng, length, vocab));
  return out;
}

struct Fit {
  double start_right = 0, end_right = 0;  // argmax of the logits on the label's token
  double spans_em = 0, lines_em = 0;      // the decoded answer is the label
};

Fit measure(SpanModel& model, const std::vector<text::SpanWindow>& windows) {
  std::vector<const text::SpanWindow*> batch;
  for (const auto& w : windows) batch.push_back(&w);
  BatchLogits logits;
  model.predict(batch, logits);
  Fit f;
  for (int32_t i = 0; i < logits.rows; ++i) {
    const auto& w = windows[i];
    const float* start = logits.start_row(i);
    const float* end = logits.end_row(i);
    f.start_right += std::max_element(start, start + w.length) - start == w.start_token;
    f.end_right += std::max_element(end, end + w.length) - end == w.end_token;
    for (auto d : {text::SpanDecoding::kSpans, text::SpanDecoding::kLines}) {
      text::SpanDecoder decoder(30, d);
      decoder.add_window(w, start, end);
      const auto a = decoder.answer();
      const bool right = a.start == w.offsets[w.start_token].first && a.end == w.offsets[w.end_token].second;
      (d == text::SpanDecoding::kSpans ? f.spans_em : f.lines_em) += right;
    }
  }
  const double n = static_cast<double>(windows.size());
  f.start_right /= n, f.end_right /= n, f.spans_em /= n, f.lines_em /= n;
  return f;
}

TEST(SpanLearnability, TheLineAfterTheImageIsLearnedFromRandomWeights) {
  constexpr int32_t kLength = 64, kVocab = 2000;
  constexpr int kSteps = 300, kBatch = 32;
  SpanModel model = SpanModel::create(quality_config(kVocab, kLength), 42, "cpu");
  TrainOptions o;
  o.learning_rate = 1e-3;
  o.total_steps = kSteps;
  o.warmup_steps = static_cast<int64_t>(0.06 * kSteps + 0.5);
  SpanTrainer trainer(model, o, {[](float*, std::size_t) {}, [](double*, std::size_t) {}});
  const auto train = line_windows(kSteps * kBatch, 1, kLength, kVocab);
  const auto held_out = line_windows(300, 2, kLength, kVocab);
  for (int s = 0; s < kSteps; ++s) {
    std::vector<const text::SpanWindow*> batch;
    for (int k = 0; k < kBatch; ++k) batch.push_back(&train[std::size_t(s) * kBatch + k]);
    trainer.step(batch, kBatch);
  }
  const Fit f = measure(model, held_out);
  std::printf("held-out: start right %.3f, end right %.3f, exact match %.3f (spans) %.3f (lines)\n",
              f.start_right, f.end_right, f.spans_em, f.lines_em);
  EXPECT_GE(f.start_right, 0.95);
  EXPECT_GE(f.lines_em, 0.9);
}

}  // namespace
}  // namespace warcpairs::model
