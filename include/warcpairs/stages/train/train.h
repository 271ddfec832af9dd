// The train stage: training candidates from the run's SQLite → a fine-tuned span model,
// data-parallel over MPI ranks.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>

namespace warcpairs::dist {
class MpiSession;
struct NodePlace;
}

namespace warcpairs::stages {

struct TrainConfig {
  std::filesystem::path run_dir;        // reads RUN/warcpairs.sqlite
  std::filesystem::path out_dir;        // default RUN/model
  std::filesystem::path init_dir;       // start from this HF checkpoint (distilbert-base-uncased)...
  std::filesystem::path model_config;   // ...or from random weights of this config.json
  std::filesystem::path vocab;          // vocab.txt for --model-config (init_dir has its own)
  int epochs = 3;
  int batch_size = 32;                  // windows per optimizer step, over all ranks together
  double learning_rate = 5e-5;
  double warmup_ratio = 0.1;            // of all steps, linear warm-up
  double weight_decay = 0.01;
  double max_grad_norm = 1.0;
  uint64_t seed = 42;
  int max_length = 384;                 // tokens per window
  int stride = 128;
  double validation_fraction = 0.1;     // of pages (by URL hash), held out
  // Of pages (by URL hash, the slice just above the held-out one): the development set whose
  // token F1 picks OUT/best and stops early, so the held-out numbers are not chosen on the
  // held-out pages themselves. 0: none, the held-out pages pick OUT/best (optimistic).
  double dev_fraction = 0;
  int patience = 0;                     // with dev_fraction: stop after N epochs without a better dev F1 (0: never)
  int64_t max_steps = 0;                // stop after this many steps in all (0: epochs decide)
  int64_t save_steps = 0;               // also checkpoint every N steps (0: at epoch ends)
  int64_t log_steps = 10;               // a metrics line every N steps
  std::string device = "auto";
  int threads = 0;                      // LibTorch threads per rank; 0: cores / ranks on the node
  bool float64 = false;                 // train in double precision (equivalence checks)
  // Train only on the windows that hold the whole label. Every training image has a label,
  // so a window without it only says "the answer lies outside this window", never "this image
  // has no description"; false keeps them as "no span" examples (HF QA's preprocessing).
  bool label_windows_only = false;
  // Mark the context's line breaks with text::kLineMarker (recorded in the checkpoint's
  // config.json, so predict windows as training did).
  bool line_marker = true;
  // Batches of windows of similar length (pools of 50 batches sorted by length, the batches
  // shuffled): less padding per step; the windows seen per epoch are the same.
  bool bucket_by_length = false;
  // How answers are decoded (text::SpanDecoding: "spans", "lines", "both"): validation picks
  // the best epoch by it, and it is recorded in the checkpoint's config.json, so predict and
  // extract --model decode alike. Validation reports all three.
  std::string decoding = "spans";
  // One window per image with the image marker at its centre (text::SpanExampleOptions::
  // centre_marker), recorded in config.json for predict.
  bool centre_marker = false;
  // The two line markers nearest the image on each side as tokens of their own (text::
  // SpanExampleOptions::near_line_markers; needs line_marker), recorded in config.json.
  bool near_line_markers = false;
  // > 1: train that many models, seeds seed, seed + 1, ..., each as a whole run of its own in
  // OUT/member-K (best, last, metrics.jsonl, quality.json; each resumes on its own), then write
  // OUT/best as their ensemble (model::write_ensemble: predict and extract --model average the
  // members' logits) and OUT/quality.json as the ensemble's validation, with each member's.
  int ensemble = 1;
  // Share of the context's words (text tokens) replaced by [MASK] in each training window, a
  // fresh draw each step; validation, predict and extract see every word, so config.json
  // records nothing. Meant to keep a model from random weights from fitting the training
  // sites' words instead of the page structure (markers, line lengths) that carries over.
  double token_dropout = 0;
};

struct TrainResult {
  int64_t steps = 0;          // optimizer steps done in all (this run and earlier ones)
  int64_t train_windows = 0, validation_images = 0, dev_images = 0;
  double best_f1 = 0;         // best token F1 so far: of the dev set, else of the held-out set
  bool stopped = false;       // a stop signal ended it: resume with the same command
  bool early_stopped = false; // --patience ended it before the last epoch
  double seconds = 0;
  double windows_per_second = 0;  // training throughput of this run, all ranks
};

// Collective: every rank calls it. Writes OUT/best (the checkpoint with the best validation
// F1), OUT/last (+ trainer state, for resuming), OUT/metrics.jsonl and OUT/quality.json; with
// TrainConfig::ensemble > 1, OUT/member-K and OUT/best as their ensemble.
TrainResult run_train(const TrainConfig& config, const dist::MpiSession& session);

}  // namespace warcpairs::stages
