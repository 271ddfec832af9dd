// SpanPredictor over the model layer's SpanModel: queue, window, bucket, run, decode.
#include "warcpairs/stages/common/span_predictor.h"

#include <algorithm>
#include <chrono>
#include <numeric>
#include <vector>

#include <nlohmann/json.hpp>
#include <spdlog/spdlog.h>

#include "warcpairs/core/error.h"
#include "warcpairs/model/span_model.h"
#include "warcpairs/text/span_answer.h"
#include "warcpairs/text/wordpiece.h"

namespace warcpairs::stages {

bool model_layer_linked() { return true; }

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

namespace {
// Checks the whole checkpoint directory first, so one message names everything missing.
text::WordPiece load_vocab(const fs::path& dir) {
  std::string missing;
  for (const char* name : {"config.json", "model.safetensors", "vocab.txt"})
    if (!fs::is_regular_file(dir / name)) missing += std::string(missing.empty() ? "" : ", ") + name;
  if (!missing.empty())
    throw UsageError("--model " + dir.string() + " is not a span-model checkpoint: it lacks " +
                     missing + " (e.g. RUN/model/best after `warcpairs train`; models/README.md)");
  return text::WordPiece::from_vocab_file(dir / "vocab.txt");
}
// Fills max_length/stride left open from the checkpoint (what train recorded) or defaults.
text::SpanExampleOptions window_options(text::SpanExampleOptions w, const model::SpanModel& m) {
  const auto& extra = m.config().extra;
  const auto it = extra.find(kWindowsKey);
  nlohmann::json saved = it == extra.end() ? nlohmann::json::object()
                                           : nlohmann::json::parse(it->second, nullptr, false);
  if (!saved.is_object()) saved = nlohmann::json::object();
  const int max_pos = static_cast<int>(m.config().max_position_embeddings);
  if (w.max_length <= 0) w.max_length = saved.value("max_length", std::min(384, max_pos));
  if (w.stride < 0) w.stride = saved.value("stride", w.max_length / 4);
  // Checkpoints from before line markers record none: their windows have none.
  w.centre_marker = saved.value("centre_marker", false);
  w.near_line_markers = saved.value("near_line_markers", false);
  const std::string line = saved.value("line_marker", std::string());
  if (line == text::kLineMarker)
    w.line_marker = text::kLineMarker;
  else if (!line.empty())
    throw UsageError("the checkpoint's config.json asks for line marker \"" + line +
                     "\"; this build knows only \"" + std::string(text::kLineMarker) + "\"");
  return w;
}

// The decoding train recorded (kWindowsKey "decoding"); checkpoints from before it: free spans.
text::SpanDecoding recorded_decoding(const model::SpanModel& m) {
  const auto& extra = m.config().extra;
  const auto it = extra.find(kWindowsKey);
  const auto saved = it == extra.end() ? nlohmann::json() : nlohmann::json::parse(it->second, nullptr, false);
  const std::string name = saved.is_object() ? saved.value("decoding", std::string("spans")) : "spans";
  text::SpanDecoding d = text::SpanDecoding::kSpans;
  if (!text::parse_decoding(name, d))
    throw UsageError("the checkpoint's config.json asks for decoding \"" + name +
                     "\"; this build knows spans, lines and both");
  return d;
}

double since(Clock::time_point t) {
  return std::chrono::duration<double>(Clock::now() - t).count();
}
}  // namespace

struct SpanPredictor::Impl {
  explicit Impl(const SpanPredictorOptions& o)
      : options(o),
        tokenizer(load_vocab(o.model_dir)),
        model((model::set_threads(o.threads),
               model::SpanModel::load(o.model_dir, model::resolve_device(o.device, o.local_rank)))),
        builder(tokenizer, (options.windows = window_options(o.windows, model))) {
    if (!options.decoding) options.decoding = recorded_decoding(model);
    if (o.batch_windows < 1) throw UsageError("--batch-size must be at least 1");
    if (model.untrained_head() && !o.allow_untrained_head)
      throw UsageError("--model " + o.model_dir.string() +
                       " has no trained question-answering head (qa_outputs is not in its "
                       "model.safetensors, as in a bare pretrained distilbert-base-uncased): its spans "
                       "would be random. Run `warcpairs train --init " + o.model_dir.string() +
                       "` first and give RUN/model/best, or pass --allow-untrained-head to run it anyway");
    if (o.windows.max_length > model.config().max_position_embeddings)
      throw UsageError("--max-length " + std::to_string(o.windows.max_length) +
                       " exceeds the model's max_position_embeddings (" +
                       std::to_string(model.config().max_position_embeddings) + ")");
  }

  struct Queued {
    int64_t key;
    std::string context;
    int32_t image_pos;
  };
  SpanPredictorOptions options;
  text::WordPiece tokenizer;
  model::SpanModel model;
  text::SpanExampleBuilder builder;
  std::vector<Queued> queue;
  std::vector<std::vector<text::SpanWindow>> windows;  // per queued item, reused
  std::vector<text::SpanAnswer> answers;
  PredictTiming timing;
};

SpanPredictor::SpanPredictor(const SpanPredictorOptions& options)
    : impl_(std::make_unique<Impl>(options)) {
  spdlog::debug("span model {} on {} ({} parameters)", impl_->model.version(),
                impl_->model.device(), impl_->model.parameter_count());
}
SpanPredictor::~SpanPredictor() = default;

const std::string& SpanPredictor::model_version() const { return impl_->model.version(); }
std::string SpanPredictor::device() const { return impl_->model.device(); }
const text::SpanExampleOptions& SpanPredictor::windows() const { return impl_->options.windows; }
std::size_t SpanPredictor::pending() const { return impl_->queue.size(); }
const PredictTiming& SpanPredictor::timing() const { return impl_->timing; }

void SpanPredictor::add(int64_t key, std::string_view context, int32_t image_pos) {
  impl_->queue.push_back({key, std::string(context), image_pos});
}

void answer_windows(model::SpanModel& model,
                    const std::vector<std::vector<text::SpanWindow>>& windows, std::size_t n,
                    int batch_windows, int max_answer_tokens, std::vector<text::SpanAnswer>& out,
                    PredictTiming& timing, text::SpanDecoding decoding) {
  std::vector<std::vector<text::SpanAnswer>> all(1, std::move(out));
  answer_windows(model, windows, n, batch_windows, max_answer_tokens, {decoding}, all, timing);
  out = std::move(all[0]);
}

void answer_windows(model::SpanModel& model,
                    const std::vector<std::vector<text::SpanWindow>>& windows, std::size_t n,
                    int batch_windows, int max_answer_tokens,
                    const std::vector<text::SpanDecoding>& decodings,
                    std::vector<std::vector<text::SpanAnswer>>& out, PredictTiming& timing) {
  struct WindowRef {
    std::size_t item, window;
    int32_t length;
  };
  std::vector<WindowRef> order;
  for (std::size_t i = 0; i < n; ++i)
    for (std::size_t w = 0; w < windows[i].size(); ++w) {
      order.push_back({i, w, windows[i][w].length});
      timing.tokens += windows[i][w].length;
    }
  // Length buckets: neighbours in this order pad little. Stable, so ties keep item order and
  // the batches (hence the floating-point results) are the same on every run.
  std::stable_sort(order.begin(), order.end(),
                   [](const WindowRef& a, const WindowRef& b) { return a.length < b.length; });
  const std::size_t modes = decodings.size();
  std::vector<text::SpanDecoder> decoders;  // item i, decoding k: decoders[i * modes + k]
  decoders.reserve(n * modes);
  for (std::size_t i = 0; i < n; ++i)
    for (const auto d : decodings) decoders.emplace_back(max_answer_tokens, d);
  std::vector<const text::SpanWindow*> batch;
  model::BatchLogits logits;
  const std::size_t bw = static_cast<std::size_t>(std::max(1, batch_windows));
  for (std::size_t at = 0; at < order.size(); at += bw) {
    const std::size_t end = std::min(order.size(), at + bw);
    batch.clear();
    for (std::size_t k = at; k < end; ++k) batch.push_back(&windows[order[k].item][order[k].window]);
    const auto t = Clock::now();
    model.predict(batch, logits);
    timing.forward_seconds += since(t);
    ++timing.batches;
    for (std::size_t k = at; k < end; ++k) {
      const auto row = static_cast<int32_t>(k - at);
      for (std::size_t m = 0; m < modes; ++m)
        decoders[order[k].item * modes + m].add_window(*batch[row], logits.start_row(row), logits.end_row(row));
    }
  }
  out.resize(modes);
  for (std::size_t m = 0; m < modes; ++m) {
    out[m].resize(n);
    for (std::size_t i = 0; i < n; ++i) out[m][i] = decoders[i * modes + m].answer();
  }
  timing.contexts += static_cast<int64_t>(n);
  timing.windows += static_cast<int64_t>(order.size());
}

void SpanPredictor::flush(const std::function<void(const store::PredictionRecord&)>& out) {
  Impl& s = *impl_;
  if (s.queue.empty()) return;
  const auto started = Clock::now();
  const std::size_t n = s.queue.size();
  if (s.windows.size() < n) s.windows.resize(n);
  for (std::size_t i = 0; i < n; ++i)
    s.builder.build(s.queue[i].context, s.queue[i].image_pos, std::nullopt, s.windows[i]);
  answer_windows(s.model, s.windows, n, s.options.batch_windows, s.options.max_answer_tokens,
                 s.answers, s.timing, *s.options.decoding);
  store::PredictionRecord rec;
  for (std::size_t i = 0; i < n; ++i) {
    const text::SpanAnswer& a = s.answers[i];
    rec.image = s.queue[i].key;
    rec.start = a.start;
    rec.end = a.end;
    rec.score = a.score;
    rec.text = a.has_span() ? text::span_text(s.queue[i].context, {a.start, a.end}) : std::string();
    out(rec);
  }
  s.queue.clear();
  s.timing.total_seconds += since(started);
}

}  // namespace warcpairs::stages
