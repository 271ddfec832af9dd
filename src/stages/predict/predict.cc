// run_predict: image-id ranges handed out by the work queue, each one shard of predictions.
#include "warcpairs/stages/predict/predict.h"

#include <spdlog/spdlog.h>

#include <chrono>
#include <fstream>
#include <nlohmann/json.hpp>

#include "../common/run_lock.h"
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

void write_stats(const fs::path& path, const PredictTotals& t) {
  const nlohmann::json j = {
      {"model", t.model_version},       {"shards_written", t.shards_written},
      {"shards_already_done", t.shards_already_done}, {"ids_planned", t.ids_planned},
      {"ids_already_covered", t.ids_already_covered}, {"images", t.images},
      {"spans", t.spans},               {"windows", t.windows},
      {"tokens", t.tokens},             {"seconds", t.seconds},
      {"model_seconds", t.model_seconds}, {"forward_seconds", t.forward_seconds},
      {"share_outside_forward",
       t.model_seconds > 0 ? 1.0 - t.forward_seconds / t.model_seconds : 0.0},
      {"stopped", t.stopped}};
  std::ofstream(path) << j.dump(2) << '\n';
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
  po.threads = c.threads > 0 ? c.threads : cores_per_rank(node);
  po.batch_windows = c.batch_size;
  po.windows.max_length = c.max_length;
  po.windows.stride = c.stride;
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
      const double s = std::chrono::duration<double>(Clock::now() - chunk_started).count();
      spdlog::info("predict: {} ({} contexts, {:.0f} contexts/s)", path.filename().string(),
                   t.images - before, double(t.images - before) / std::max(1e-9, s));
    }
    if (stop_requested()) t.stopped = true;
  }
  const PredictTiming& timing = predictor.timing();
  double sums[] = {double(t.shards_written), double(t.shards_already_done), double(t.images),
                   double(t.spans), double(timing.windows), double(timing.tokens),
                   timing.total_seconds, timing.forward_seconds, t.stopped ? 1.0 : 0.0};
  session.allreduce_sum(sums, std::size(sums));
  t.shards_written = int64_t(sums[0]), t.shards_already_done = plan.shards_done;
  t.images = int64_t(sums[2]), t.spans = int64_t(sums[3]);
  t.windows = int64_t(sums[4]), t.tokens = int64_t(sums[5]);
  t.model_seconds = sums[6], t.forward_seconds = sums[7];
  t.stopped = sums[8] > 0;
  t.seconds = std::chrono::duration<double>(Clock::now() - started).count();
  if (session.is_root()) write_stats(c.run_dir / "predict-stats.json", t);
  return t;
}

}  // namespace warcpairs::stages
