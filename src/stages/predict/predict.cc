// run_predict: image-id ranges handed out by the work queue, each one shard of predictions.
#include "warcpairs/stages/predict/predict.h"

#include <spdlog/spdlog.h>

#include <chrono>
#include <nlohmann/json.hpp>

#include "../common/run_lock.h"
#include "../common/run_options.h"
#include "../common/run_stats.h"
#include "warcpairs/core/crash_point.h"
#include "warcpairs/core/error.h"
#include "warcpairs/core/stop_signal.h"
#include "warcpairs/dist/mpi_session.h"
#include "warcpairs/dist/work_queue.h"
#include "warcpairs/stages/common/range_ledger.h"
#include "warcpairs/stages/common/span_predictor.h"
#include "warcpairs/stages/train/train.h"
#include "warcpairs/store/image_query.h"
#include "warcpairs/store/shard.h"

namespace warcpairs::stages {
namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

namespace {

// "fnv1a64:0123..." → "predict-0123...": the stem of this model's shards,
// "predict-0123...-000000001-000002000.h5" (range_ledger.h; no ".pNNNNN", so never taken for
// an extract part by merge).
std::string shard_stem(const std::string& version) {
  return "predict-" + version.substr(version.find(':') + 1);
}

// One id range → one committed shard; false when a stop signal came first (nothing committed).
bool predict_range(IdRange range, const PredictConfig& c, const fs::path& path,
                   store::ImageQuery& db, SpanPredictor& predictor, PredictTotals& t) {
  store::ShardWriter shard(path, "predict");
  shard.set_model(predictor.model_version());
  auto write = [&](const store::PredictionRecord& p) {
    shard.add_prediction(p);
    ++t.images;
    if (p.start >= 0) ++t.spans;
  };
  bool stopped = false;
  db.for_each_in_range(range.first, range.last, [&](const store::ContextRow& r) {
    if (stopped) return;
    predictor.add(r.image_id, r.context, r.image_pos);
    if (static_cast<int64_t>(predictor.pending()) >= c.pool_images) {
      predictor.flush(write);
      crash_point("predict_pool");  // tests: a SIGKILL with a shard half written
      stopped = stop_requested();
    }
  });
  if (stopped) return false;  // the writer's destructor removes the temporary
  predictor.flush(write);
  shard.commit();
  return true;
}

nlohmann::json attempt_json(const PredictTotals& t) {
  return {{"model", t.model_version},       {"shards_written", t.shards_written},
          {"shards_already_done", t.shards_already_done}, {"ids_planned", t.ids_planned},
          {"ids_already_covered", t.ids_already_covered}, {"ids_covered", t.ids_covered},
          {"images", t.images},             {"spans", t.spans},
          {"windows", t.windows},           {"tokens", t.tokens},
          {"seconds", t.seconds},           {"model_seconds", t.model_seconds},
          {"forward_seconds", t.forward_seconds}, {"stopped", t.stopped}};
}

// RUN/predict-stats.json: this model's totals over the run's attempts (run_stats.h). What the
// ledger says is the last attempt's; shards, contexts and seconds are summed.
void write_stats(const fs::path& run_dir, const PredictTotals& t) {
  nlohmann::json run = sum_attempts(append_attempt(run_dir, "predict", attempt_json(t)),
                                    {"shards_already_done", "ids_planned", "ids_already_covered",
                                     "ids_covered"},
                                    "model");
  const double model = run.value("model_seconds", 0.0), forward = run.value("forward_seconds", 0.0);
  run["share_outside_forward"] = model > 0 ? 1.0 - forward / model : 0.0;
  write_atomically(run_dir / "predict-stats.json", run.dump(2) + "\n");
}

// Rank 0, before any work: the window settings against the model's record in the run folder
// (a UsageError on every rank when they differ and the mix was not allowed); a mixed run
// records the id ranges it sets out to do.
void check_windows(const PredictConfig& c, const std::string& stem, const SpanPredictor& predictor,
                   const RangePlan& plan, const dist::MpiSession& session) {
  on_root_sharing_usage_error(session, [&] {
    const nlohmann::json options = {{"max-length", predictor.windows().max_length},
                                    {"stride", predictor.windows().stride}};
    const RunOptionsCheck check =
        check_run_options(c.run_dir, "predict", options, c.allow_mixed_options, stem);
    std::vector<nlohmann::json> ranges;
    for (const IdRange& r : plan.todo) ranges.push_back({{"first", r.first}, {"last", r.last}});
    record_mixed_units(c.run_dir / (stem + "-range-options.jsonl"), check, options, ranges);
  });
}

}  // namespace

PredictTotals run_predict(const PredictConfig& c, const dist::MpiSession& session) {
  if (c.rows_per_shard < 1 || c.pool_images < 1 || c.batch_size < 1)
    throw UsageError("--rows-per-shard, --pool and --batch-size must be >= 1");
  const auto started = Clock::now();
  const auto lock = lock_run(c.run_dir, "predict", session);  // one predict job per run
  const dist::NodePlace node = session.node_place();
  SpanPredictorOptions po;
  po.model_dir = c.model_dir;
  po.device = c.device;
  po.local_rank = node.rank;
  po.threads = c.threads > 0 ? c.threads : node.cores_per_rank();
  po.batch_windows = c.batch_size;
  po.windows.max_length = c.max_length;
  po.windows.stride = c.stride;
  po.allow_untrained_head = c.allow_untrained_head;
  SpanPredictor predictor(po);
  store::ImageQuery db(c.run_dir / "warcpairs.sqlite");
  const fs::path dir = c.run_dir / "shards";
  fs::create_directories(dir);
  const int64_t max_id = db.max_image_id();
  PredictTotals t;
  t.model_version = predictor.model_version();
  const std::string stem = shard_stem(t.model_version);
  const RangePlan plan = plan_id_ranges(session, dir, stem, max_id, c.rows_per_shard);
  t.ids_planned = plan.ids_todo(), t.ids_already_covered = plan.ids_covered;
  check_windows(c, stem, predictor, plan, session);
  if (session.is_root()) {
    if (plan.todo.empty())
      spdlog::info("predict: nothing new: the {} image ids are all covered by {} shards of model {}",
                   max_id, plan.shards_done, t.model_version);
    else
      spdlog::info("predict: model {} on {}, {} of {} image ids new ({} covered by {} shards), "
                   "{} shards of up to {} ids, {} ranks",
                   t.model_version, predictor.device(), t.ids_planned, max_id, plan.ids_covered,
                   plan.shards_done, plan.todo.size(), c.rows_per_shard, session.size());
  }
  {
    dist::WorkQueue queue(session, static_cast<int64_t>(plan.todo.size()));
    while (auto k = queue.next()) {
      const IdRange range = plan.todo[static_cast<std::size_t>(*k)];
      const fs::path path = dir / range_shard_name(stem, range);
      const int64_t before = t.images;
      const auto chunk_started = Clock::now();
      if (!predict_range(range, c, path, db, predictor, t)) {
        t.stopped = true;
        queue.stop();
        break;
      }
      ++t.shards_written;
      t.ids_covered += range.last - range.first + 1;
      const double s = std::chrono::duration<double>(Clock::now() - chunk_started).count();
      spdlog::info("predict: {} ({} contexts, {:.0f} contexts/s)", path.filename().string(),
                   t.images - before, double(t.images - before) / std::max(1e-9, s));
    }
    if (stop_requested()) t.stopped = true;
  }
  const PredictTiming& timing = predictor.timing();
  double sums[] = {double(t.shards_written), double(t.shards_already_done), double(t.images),
                   double(t.spans), double(timing.windows), double(timing.tokens),
                   timing.total_seconds, timing.forward_seconds, t.stopped ? 1.0 : 0.0,
                   double(t.ids_covered)};
  session.allreduce_sum(sums, std::size(sums));
  t.shards_written = int64_t(sums[0]), t.shards_already_done = plan.shards_done;
  t.images = int64_t(sums[2]), t.spans = int64_t(sums[3]);
  t.windows = int64_t(sums[4]), t.tokens = int64_t(sums[5]);
  t.model_seconds = sums[6], t.forward_seconds = sums[7];
  t.stopped = sums[8] > 0;
  t.ids_covered = plan.ids_covered + int64_t(sums[9]);
  t.seconds = std::chrono::duration<double>(Clock::now() - started).count();
  if (session.is_root()) write_stats(c.run_dir, t);
  return t;
}

}  // namespace warcpairs::stages
