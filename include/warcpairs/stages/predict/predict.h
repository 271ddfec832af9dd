// The predict stage: every image context in the run's SQLite → the span model's answer, in
// prediction shards (then `merge` puts them in the `predictions` table).
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>

namespace warcpairs::dist {
class MpiSession;
}

namespace warcpairs::stages {

struct PredictConfig {
  std::filesystem::path run_dir;    // reads RUN/warcpairs.sqlite, writes RUN/shards
  std::filesystem::path model_dir;  // HF checkpoint (e.g. RUN/model/best)
  std::string device = "auto";
  int threads = 0;                  // LibTorch threads per rank; 0: cores / ranks on the node
  int batch_size = 32;              // windows per forward pass
  int max_length = 0;               // 0: as the checkpoint was trained (else min(384, positions))
  int stride = -1;                  // -1: likewise
  int64_t rows_per_shard = 20000;   // image ids per shard: the unit of work and of resuming
  int64_t pool_images = 256;        // contexts tokenized and bucketed together
  // The window settings in use shape the predictions: the first run of a model records them in
  // RUN/predict-<model hash>-options.json and a rerun with others is refused, unless this is
  // set (the id ranges done with each are then recorded, common/run_options.h).
  bool allow_mixed_options = false;
  // Run a checkpoint whose question-answering head was never trained (SpanPredictorOptions).
  bool allow_untrained_head = false;
};

struct PredictTotals {
  int64_t shards_written = 0;
  int64_t shards_already_done = 0;  // written by an earlier run: not redone
  int64_t ids_planned = 0;          // image ids no shard of the model covered: this run's work
  int64_t ids_already_covered = 0;  // image ids earlier shards of the model covered
  int64_t ids_covered = 0;          // image ids the model's shards cover after this run
  int64_t images = 0;               // contexts run through the model
  int64_t spans = 0;                // of which the model found a span
  int64_t windows = 0, tokens = 0;
  double seconds = 0;               // wall time
  double model_seconds = 0;         // summed over ranks: inside the predictor
  double forward_seconds = 0;       // summed over ranks: inside the forward pass
  bool stopped = false;             // a stop signal ended the run: resume with the same command
  std::string model_version;
};

// Collective. Shards are RUN/shards/predict-<model hash>-<first>-<last>.h5, the closed image
// id range each covered (stages/common/range_ledger.h); the run does every image id of the
// database that no committed shard of the model covers, in ranges handed out dynamically.
// Writes RUN/predict-stats.json (rank 0): the model's totals over every attempt of the run
// (common/run_stats.h), this attempt under "last_attempt".
PredictTotals run_predict(const PredictConfig& config, const dist::MpiSession& session);

}  // namespace warcpairs::stages
