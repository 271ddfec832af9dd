// The span model as the stages use it, without LibTorch in the header: load or create a
// DistilBertForQuestionAnswering, run it on token windows, train it one optimizer step at a
// time with gradients summed across ranks by a callback the caller provides (MPI lives in
// dist/, LibTorch here; stages join them without including either's headers).
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "warcpairs/model_io/distilbert_config.h"
#include "warcpairs/text/span_examples.h"

namespace warcpairs::model {

// "auto" → "cuda:<local_rank mod device count>" when LibTorch sees a GPU, else "cpu";
// "cuda" → the same GPU choice; "cuda:N" and "cpu" as given. Throws UsageError for a CUDA
// device this build or machine does not have, or a spec it does not understand.
std::string resolve_device(const std::string& spec, int local_rank);
// Whether this build's LibTorch was compiled with CUDA (and sees at least one GPU).
bool cuda_available();
// Intra-op threads LibTorch may use in this process.
void set_threads(int threads);

// Start and end logits of a batch, row-major [rows, width]; row i belongs to batch[i] and
// only its first batch[i]->length entries mean anything.
struct BatchLogits {
  int32_t rows = 0;
  int32_t width = 0;
  std::vector<float> start, end;
  const float* start_row(int32_t i) const { return start.data() + std::size_t(i) * width; }
  const float* end_row(int32_t i) const { return end.data() + std::size_t(i) * width; }
};

enum class Precision { kFloat32, kFloat64 };

// The config.json key of an ensemble checkpoint (train --ensemble N): a list of member
// checkpoint directories relative to it ("ensemble/1", ...), each a whole single model with
// the same vocabulary and window/decoding records; the top directory holds the first member.
// SpanModel::load loads them all and predict() returns the mean of the members' start and end
// logits, so predict and extract --model run an ensemble like one model. transformers ignores
// the key and loads the first member alone.
inline constexpr const char* kEnsembleKey = "warcpairs_ensemble";

class SpanModel {
 public:
  // A checkpoint directory in Hugging Face layout (config.json + model.safetensors). Missing
  // or mis-shaped tensors are an Error naming them. An ensemble checkpoint (kEnsembleKey)
  // loads all its members.
  static SpanModel load(const std::filesystem::path& dir, const std::string& device,
                        Precision precision = Precision::kFloat32);
  // Random initialisation as transformers' _init_weights, from `seed`.
  static SpanModel create(const model_io::DistilBertConfig& config, uint64_t seed,
                          const std::string& device, Precision precision = Precision::kFloat32);
  SpanModel(SpanModel&&) noexcept;
  SpanModel& operator=(SpanModel&&) noexcept;
  ~SpanModel();

  // Eval mode, no gradients: the windows padded to the longest, one forward pass (one per
  // member of an ensemble, whose start and end logits are averaged).
  void predict(std::span<const text::SpanWindow* const> batch, BatchLogits& out);
  // Hugging Face layout (F32 safetensors, config.json, the tokenizer files of tokenizer_dir).
  // Throws UsageError for an ensemble (write_ensemble writes those).
  void save(const std::filesystem::path& dir, const std::filesystem::path& tokenizer_dir) const;

  const model_io::DistilBertConfig& config() const;
  // An extra key of config.json (kept by save(), ignored by transformers): `json_text` is the
  // value as JSON. train records its window settings there for predict.
  void set_config_extra(const std::string& key, const std::string& json_text);
  std::string device() const;
  int64_t parameter_count() const;  // all members' together for an ensemble
  std::size_t ensemble_size() const;  // 1 for a single model
  // "fnv1a64:<hex>" of the loaded model.safetensors bytes ("+"-joined over an ensemble's
  // members); "" for a model not loaded from disk.
  const std::string& version() const;
  // True when load() found no question-answering head (qa_outputs) in the checkpoint, as in a
  // bare pretrained distilbert-base-uncased: the head then holds fresh random weights and its
  // spans mean nothing until `train` has fitted it.
  bool untrained_head() const;
  // Every parameter as float64 in named_parameters() order (tests compare models with it); of
  // the first member only for an ensemble.
  std::vector<double> flat_parameters() const;

  struct Impl;
  Impl& impl() { return *impl_; }

 private:
  explicit SpanModel(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

// Writes `out` as an ensemble checkpoint of the single-model checkpoints `members` (>= 2): the
// first member's files (tokenizer included) at the top, member k's config.json and
// model.safetensors in out/ensemble/k, and the list under kEnsembleKey in out's config.json.
// Throws UsageError for fewer than two members, a missing file, or members whose vocabulary
// size or window/decoding records differ (they would window or decode unlike each other).
void write_ensemble(const std::vector<std::filesystem::path>& members, const std::filesystem::path& out);

struct TrainOptions {
  double learning_rate = 5e-5;   // peak, reached after warm-up
  int64_t warmup_steps = 0;      // linear from 0 to the peak
  int64_t total_steps = 1;       // then linear decay to 0 at total_steps
  double weight_decay = 0.01;    // AdamW, not on biases and LayerNorm weights (as HF Trainer)
  double beta1 = 0.9, beta2 = 0.999, epsilon = 1e-8;
  double max_grad_norm = 1.0;    // <= 0: no clipping
  uint64_t seed = 0;             // dropout of step s on rank r draws from seed, s, r
  int rank = 0;
  std::size_t bucket_bytes = std::size_t{25} << 20;  // gradients per all-reduce call
};

// Sums a buffer element-wise over all ranks, in place (MPI_Allreduce with MPI_SUM); identity
// for one process. `any` (optional) takes the element-wise maximum of 0/1 flags over the ranks:
// with it, the word-embedding gradient is reduced only in the rows some rank's batch used (the
// others are zero everywhere), ~10 % of the matrix instead of all of it.
struct GradientSum {
  std::function<void(float*, std::size_t)> f32;
  std::function<void(double*, std::size_t)> f64;
  std::function<void(uint8_t*, std::size_t)> any;
};

class SpanTrainer {
 public:
  SpanTrainer(SpanModel& model, TrainOptions options, GradientSum sum);
  ~SpanTrainer();

  // One optimizer step of a global batch of `global_count` windows of which `local` are this
  // rank's. Each window's loss (mean of start and end cross-entropy over its real tokens,
  // padding masked) is divided by global_count, so the gradients summed over ranks are those
  // of the global batch's mean loss whatever its split. Then: clip the global norm, AdamW
  // with the scheduled rate. Returns the local sum of per-window losses.
  double step(std::span<const text::SpanWindow* const> local, int64_t global_count);

  int64_t steps_done() const;
  double learning_rate() const;  // the rate of the next step
  // Optimizer moments and step count, LibTorch's archive format (resume after a kill).
  void save_state(const std::filesystem::path& file) const;
  void load_state(const std::filesystem::path& file);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// Mean loss over windows in eval mode (no dropout), for the finite-difference gradient check
// and validation loss: the same per-window loss as SpanTrainer::step.
double evaluate_loss(SpanModel& model, std::span<const text::SpanWindow* const> batch);

}  // namespace warcpairs::model
