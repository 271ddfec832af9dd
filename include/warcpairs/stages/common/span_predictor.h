// Runs the span model over image contexts for `predict` and `extract --model`: contexts are
// queued, then tokenized into windows, bucketed by length into batches, run, and decoded back
// into one span per image. Built only with the model layer (WARCPAIRS_MODEL=ON); without it
// the constructor throws UsageError saying so.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "warcpairs/store/prediction_record.h"
#include "warcpairs/text/span_answer.h"
#include "warcpairs/text/span_examples.h"

namespace warcpairs::model {
class SpanModel;
}
namespace warcpairs::stages {

// The config.json key where train records its windows ({"max_length", "stride", "image_marker",
// "line_marker"}) and its decoding ("decoding": "spans" | "lines" | "both"; none: "spans").
inline constexpr const char* kWindowsKey = "warcpairs_windows";

struct SpanPredictorOptions {
  std::filesystem::path model_dir;  // HF checkpoint: config.json, model.safetensors, vocab.txt
  std::string device = "auto";      // auto | cpu | cuda | cuda:N
  int local_rank = 0;               // picks the node-local GPU
  int threads = 0;                  // LibTorch intra-op threads; 0: leave LibTorch's default
  int batch_windows = 32;           // windows per forward pass
  int max_answer_tokens = 30;
  // Unset: as the checkpoint's config.json records (kWindowsKey "decoding"), else kSpans.
  std::optional<text::SpanDecoding> decoding;
  // A checkpoint without a trained question-answering head (qa_outputs missing: a bare
  // pretrained DistilBERT) is refused with a UsageError saying to run `train` first, unless set.
  bool allow_untrained_head = false;
  // max_length <= 0 / stride < 0: as the checkpoint's config.json records (kWindowsKey), else
  // min(384, max_position_embeddings) and a quarter of that.
  text::SpanExampleOptions windows{.max_length = 0, .stride = -1};
};

struct PredictTiming {
  double total_seconds = 0;    // inside flush(): tokenizing, batching, forward, decoding
  double forward_seconds = 0;  // inside the model's forward pass (incl. copying logits back)
  int64_t contexts = 0, windows = 0, tokens = 0, batches = 0;
};

// The core of flush(), for a model already in memory (train's validation): the windows of
// items [0, n) bucketed by length into batches of `batch_windows`, run, decoded; out[i] is item
// i's answer. Deterministic: the same windows give the same batches.
void answer_windows(model::SpanModel& model, const std::vector<std::vector<text::SpanWindow>>& windows,
                    std::size_t n, int batch_windows, int max_answer_tokens,
                    std::vector<text::SpanAnswer>& out, PredictTiming& timing,
                    text::SpanDecoding decoding = text::SpanDecoding::kSpans);
// The same forward passes decoded several ways: out[k][i] is item i's answer under decodings[k]
// (train's validation compares the decodings on one model at no extra forward cost).
void answer_windows(model::SpanModel& model, const std::vector<std::vector<text::SpanWindow>>& windows,
                    std::size_t n, int batch_windows, int max_answer_tokens,
                    const std::vector<text::SpanDecoding>& decodings,
                    std::vector<std::vector<text::SpanAnswer>>& out, PredictTiming& timing);

// True in a binary that links the model layer (warcpairs-torch), false in warcpairs, whose
// model entry points (SpanPredictor, run_train, run_predict, the CLIP embedder) only explain
// how to get them.
bool model_layer_linked();

class SpanPredictor {
 public:
  explicit SpanPredictor(const SpanPredictorOptions& options);
  ~SpanPredictor();

  const std::string& model_version() const;  // "fnv1a64:<hex>" of model.safetensors
  std::string device() const;
  // The window settings in use: the options' values, those left open filled from the checkpoint.
  const text::SpanExampleOptions& windows() const;

  // Queues one context (copied). `key` comes back in the PredictionRecord's `image`.
  void add(int64_t key, std::string_view context, int32_t image_pos);
  std::size_t pending() const;
  // Runs everything queued; `out` gets one record per add(), in the order they were added.
  void flush(const std::function<void(const store::PredictionRecord&)>& out);
  const PredictTiming& timing() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace warcpairs::stages
