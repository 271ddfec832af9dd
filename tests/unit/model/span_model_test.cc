// SpanModel / SpanTrainer: data-parallel equivalence (two ranks as two threads), resume,
// predict determinism, padding-independent loss, device parsing, bucketed all-reduce.
#include "warcpairs/model/span_model.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <barrier>
#include <cmath>
#include <filesystem>
#include <mutex>
#include <random>
#include <thread>

#include "warcpairs/core/error.h"

namespace warcpairs::model {
namespace {
namespace fs = std::filesystem;

model_io::DistilBertConfig tiny_config(double dropout = 0.0) {
  model_io::DistilBertConfig c;
  c.vocab_size = 50;
  c.max_position_embeddings = 32;
  c.n_layers = 2;
  c.n_heads = 2;
  c.dim = 16;
  c.hidden_dim = 32;
  c.dropout = c.attention_dropout = c.qa_dropout = dropout;
  return c;
}

// A toy task with the shape of the real one: token 5 is the image marker, the answer is the
// two tokens after it (or "no span" when the window has no marker). Lengths vary, so batches
// pad.
std::vector<text::SpanWindow> toy_windows(int n, uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::vector<text::SpanWindow> out;
  for (int i = 0; i < n; ++i) {
    text::SpanWindow w;
    const int len = 8 + static_cast<int>(rng() % 16);
    w.input_ids.push_back(2);  // [CLS]
    w.offsets.push_back({-1, -1});
    for (int k = 1; k < len - 1; ++k) {
      w.input_ids.push_back(10 + static_cast<int32_t>(rng() % 40));
      w.offsets.push_back({k * 3, k * 3 + 2});
    }
    w.input_ids.push_back(3);  // [SEP]
    w.offsets.push_back({-1, -1});
    w.length = len;
    if (rng() % 4 != 0) {
      const int m = 1 + static_cast<int>(rng() % (len - 4));
      w.input_ids[m] = 5;
      w.offsets[m] = {-1, -1};
      w.marker_token = m;
      w.start_token = m + 1;
      w.end_token = m + 2;
    }
    out.push_back(std::move(w));
  }
  return out;
}

std::vector<const text::SpanWindow*> ptrs(const std::vector<text::SpanWindow>& w, std::size_t from,
                                          std::size_t to) {
  std::vector<const text::SpanWindow*> p;
  for (std::size_t i = from; i < to && i < w.size(); ++i) p.push_back(&w[i]);
  return p;
}

GradientSum one_process() {
  return {[](float*, std::size_t) {}, [](double*, std::size_t) {}};
}

TEST(SpanTrainer, LossFallsOnATinyTask) {
  SpanModel model = SpanModel::create(tiny_config(0.1), 1, "cpu");
  TrainOptions o;
  o.learning_rate = 1e-2;
  o.warmup_steps = 10;
  o.total_steps = 200;
  SpanTrainer trainer(model, o, one_process());
  const auto data = toy_windows(64, 7);
  const auto all = ptrs(data, 0, data.size());
  const double before = evaluate_loss(model, all);
  for (int s = 0; s < o.total_steps; ++s) {
    const std::size_t from = (s * 16) % data.size();
    trainer.step(ptrs(data, from, from + 16), 16);
  }
  const double after = evaluate_loss(model, all);
  EXPECT_LT(after, before * 0.4) << "before " << before << " after " << after;
  EXPECT_EQ(trainer.steps_done(), o.total_steps);
  EXPECT_DOUBLE_EQ(trainer.learning_rate(), 0.0);  // decayed to zero at total_steps
}

TEST(SpanTrainer, LearningRateWarmsUpThenDecaysLinearly) {
  SpanModel model = SpanModel::create(tiny_config(), 1, "cpu");
  TrainOptions o;
  o.learning_rate = 1.0;
  o.warmup_steps = 4;
  o.total_steps = 12;
  SpanTrainer trainer(model, o, one_process());
  const auto data = toy_windows(2, 1);
  std::vector<double> rates;
  for (int s = 0; s < 12; ++s) {
    rates.push_back(trainer.learning_rate());
    trainer.step(ptrs(data, 0, 2), 2);
  }
  const std::vector<double> expected{0, 0.25, 0.5, 0.75, 1, 0.875, 0.75, 0.625, 0.5, 0.375, 0.25, 0.125};
  for (int s = 0; s < 12; ++s) EXPECT_NEAR(rates[s], expected[s], 1e-12) << "step " << s;
}

// Rank r of `ranks` as a thread; the "all-reduce" sums through shared memory with a barrier,
// exactly where MPI_Allreduce would stand. Small buckets force several reductions per step.
std::vector<double> train_ranks(int ranks, int steps, int global_batch, Precision precision,
                                std::size_t bucket_bytes, bool sparse_embedding = false) {
  const auto data = toy_windows(steps * global_batch, 11);
  std::vector<std::vector<double>> result(ranks);
  std::barrier sync(ranks);
  std::mutex mu;
  std::vector<double> acc;
  std::vector<float> acc32;
  std::vector<uint8_t> flags;
  // Created one after the other: the threads share LibTorch's global generator (processes
  // under MPI each have their own).
  std::vector<SpanModel> models;
  for (int r = 0; r < ranks; ++r) models.push_back(SpanModel::create(tiny_config(), 3, "cpu", precision));
  auto body = [&](int rank) {
    SpanModel& model = models[rank];
    TrainOptions o;
    o.learning_rate = 2e-3;
    o.warmup_steps = 2;
    o.total_steps = steps;
    o.rank = rank;
    o.bucket_bytes = bucket_bytes;
    auto reduce = [&](auto* data_ptr, std::size_t n, auto& shared) {
      sync.arrive_and_wait();
      if (rank == 0) shared.assign(n, 0);
      sync.arrive_and_wait();
      {
        std::lock_guard lock(mu);
        for (std::size_t i = 0; i < n; ++i) shared[i] += data_ptr[i];
      }
      sync.arrive_and_wait();
      for (std::size_t i = 0; i < n; ++i) data_ptr[i] = shared[i];
      sync.arrive_and_wait();
    };
    GradientSum sum{[&](float* p, std::size_t n) { reduce(p, n, acc32); },
                    [&](double* p, std::size_t n) { reduce(p, n, acc); }, {}};
    if (sparse_embedding)  // the "any" reduction: element-wise maximum through shared memory
      sum.any = [&](uint8_t* p, std::size_t n) {
        sync.arrive_and_wait();
        if (rank == 0) flags.assign(n, 0);
        sync.arrive_and_wait();
        {
          std::lock_guard lock(mu);
          for (std::size_t i = 0; i < n; ++i) flags[i] = std::max(flags[i], p[i]);
        }
        sync.arrive_and_wait();
        for (std::size_t i = 0; i < n; ++i) p[i] = flags[i];
        sync.arrive_and_wait();
      };
    SpanTrainer trainer(model, o, sum);
    const int per_rank = global_batch / ranks;
    for (int s = 0; s < steps; ++s) {
      const std::size_t from = std::size_t(s * global_batch + rank * per_rank);
      trainer.step(ptrs(data, from, from + per_rank), global_batch);
    }
    result[rank] = model.flat_parameters();
  };
  std::vector<std::thread> threads;
  for (int r = 0; r < ranks; ++r) threads.emplace_back(body, r);
  for (auto& t : threads) t.join();
  for (int r = 1; r < ranks; ++r) EXPECT_EQ(result[r], result[0]) << "ranks diverged";
  return result[0];
}

double max_abs_diff(const std::vector<double>& a, const std::vector<double>& b) {
  double m = 0;
  for (std::size_t i = 0; i < a.size(); ++i) m = std::max(m, std::abs(a[i] - b[i]));
  return m;
}

TEST(SpanTrainer, TwoRanksWithHalfBatchesEndWhereOneRankWithTheWholeBatchEnds) {
  const int steps = 6, batch = 8;
  const auto one = train_ranks(1, steps, batch, Precision::kFloat64, 1 << 20);
  const auto two = train_ranks(2, steps, batch, Precision::kFloat64, 4096);
  const auto two_sparse = train_ranks(2, steps, batch, Precision::kFloat64, 4096, /*sparse=*/true);
  ASSERT_EQ(one.size(), two.size());
  EXPECT_LT(max_abs_diff(two, two_sparse), 1e-12);  // reducing only the used rows changes nothing
  const auto start = SpanModel::create(tiny_config(), 3, "cpu", Precision::kFloat64).flat_parameters();
  EXPECT_GT(max_abs_diff(one, start), 1e-3);  // training moved the parameters
  EXPECT_LT(max_abs_diff(one, two), 1e-5);
  // float32: the sums round differently, and Adam's m/sqrt(v) turns a rounding difference in a
  // near-zero gradient into up to a whole step (lr) of difference; so only closeness, reported.
  const auto one32 = train_ranks(1, steps, batch, Precision::kFloat32, 1 << 20);
  const auto two32 = train_ranks(2, steps, batch, Precision::kFloat32, 4096);
  const double d32 = max_abs_diff(one32, two32);
  RecordProperty("float32_max_abs_diff", std::to_string(d32));
  EXPECT_LT(d32, 1e-2);
}

TEST(SpanTrainer, SavedStateResumesExactlyWhereItStopped) {
  const auto data = toy_windows(40, 5);
  TrainOptions o;
  o.learning_rate = 2e-3;
  o.total_steps = 10;
  o.warmup_steps = 2;
  const fs::path dir = fs::temp_directory_path() / ("warcpairs-resume-" + std::to_string(::getpid()));
  fs::create_directories(dir);
  auto steps = [&](SpanModel& m, SpanTrainer& t, int from, int to) {
    for (int s = from; s < to; ++s) t.step(ptrs(data, std::size_t(s) * 4, std::size_t(s) * 4 + 4), 4);
  };
  SpanModel a = SpanModel::create(tiny_config(0.1), 9, "cpu");  // dropout on: seeds must line up
  SpanTrainer ta(a, o, one_process());
  steps(a, ta, 0, 4);
  a.save(dir / "model", {});
  ta.save_state(dir / "trainer.pt");
  steps(a, ta, 4, 10);

  SpanModel b = SpanModel::load(dir / "model", "cpu");
  SpanTrainer tb(b, o, one_process());
  tb.load_state(dir / "trainer.pt");
  EXPECT_EQ(tb.steps_done(), 4);
  steps(b, tb, 4, 10);
  EXPECT_EQ(a.flat_parameters(), b.flat_parameters());
  EXPECT_THROW(tb.load_state(dir / "model" / "config.json"), Error);
  fs::remove_all(dir);
}

TEST(SpanModel, PredictIsDeterministicAndIndependentOfBatchMates) {
  SpanModel model = SpanModel::create(tiny_config(0.1), 4, "cpu");
  const auto data = toy_windows(9, 3);
  BatchLogits all, again, alone;
  model.predict(ptrs(data, 0, 9), all);
  model.predict(ptrs(data, 0, 9), again);
  EXPECT_EQ(all.start, again.start);  // eval mode: dropout off, same bits
  EXPECT_EQ(all.end, again.end);
  for (int i = 0; i < 9; ++i) {
    model.predict(ptrs(data, i, i + 1), alone);
    for (int k = 0; k < data[i].length; ++k) {
      EXPECT_NEAR(alone.start_row(0)[k], all.start_row(i)[k], 1e-5);
      EXPECT_NEAR(alone.end_row(0)[k], all.end_row(i)[k], 1e-5);
    }
  }
}

TEST(SpanModel, LossDoesNotDependOnPadding) {
  SpanModel model = SpanModel::create(tiny_config(), 4, "cpu", Precision::kFloat64);
  auto data = toy_windows(6, 8);
  std::vector<double> alone;
  for (int i = 0; i < 6; ++i) alone.push_back(evaluate_loss(model, ptrs(data, i, i + 1)));
  double mean = 0;
  for (double x : alone) mean += x / 6;
  EXPECT_NEAR(evaluate_loss(model, ptrs(data, 0, 6)), mean, 1e-12);
}

TEST(SpanModel, DeviceSpecs) {
  EXPECT_EQ(resolve_device("cpu", 3), "cpu");
  if (!cuda_available()) {
    EXPECT_EQ(resolve_device("auto", 1), "cpu");
    EXPECT_THROW(resolve_device("cuda", 0), UsageError);
    EXPECT_THROW(resolve_device("cuda:0", 0), UsageError);
  } else {
    EXPECT_EQ(resolve_device("auto", 0), "cuda:0");
  }
  EXPECT_THROW(resolve_device("tpu", 0), UsageError);
}

TEST(SpanModel, LoadNamesWhatIsMissing) {
  EXPECT_THROW(SpanModel::load("/nonexistent-model-dir", "cpu"), UsageError);
}

}  // namespace
}  // namespace warcpairs::model

namespace warcpairs::model {
namespace {

// write_ensemble + load: predict() gives the mean of the members' logits; the checkpoint
// refuses members that would window or decode differently, and is not saved as one model.
TEST(SpanModel, EnsembleAveragesItsMembersLogits) {
  const fs::path dir = fs::temp_directory_path() / ("warcpairs-ensemble-" + std::to_string(::getpid()));
  fs::remove_all(dir);
  std::vector<SpanModel> singles;
  std::vector<fs::path> dirs;
  for (uint64_t seed : {3, 4, 5}) {
    singles.push_back(SpanModel::create(tiny_config(0.1), seed, "cpu"));
    singles.back().set_config_extra("warcpairs_windows", R"({"max_length":32,"decoding":"lines"})");
    dirs.push_back(dir / ("m" + std::to_string(seed)));
    singles.back().save(dirs.back(), {});
  }
  write_ensemble(dirs, dir / "ensemble");
  EXPECT_TRUE(fs::is_regular_file(dir / "ensemble" / "ensemble" / "2" / "model.safetensors"));
  SpanModel ens = SpanModel::load(dir / "ensemble", "cpu");
  EXPECT_EQ(ens.ensemble_size(), 3u);
  EXPECT_EQ(ens.parameter_count(), 3 * singles[0].parameter_count());
  EXPECT_EQ(std::count(ens.version().begin(), ens.version().end(), '+'), 2);
  EXPECT_EQ(SpanModel::load(dirs[0], "cpu").ensemble_size(), 1u);

  const auto data = toy_windows(7, 2);
  BatchLogits mean, one;
  ens.predict(ptrs(data, 0, 7), mean);
  std::vector<float> start(mean.start.size(), 0.0f), end(mean.end.size(), 0.0f);
  for (auto& m : singles) {
    m.predict(ptrs(data, 0, 7), one);
    ASSERT_EQ(one.start.size(), start.size());
    for (std::size_t k = 0; k < start.size(); ++k) start[k] += one.start[k] / 3, end[k] += one.end[k] / 3;
  }
  for (int i = 0; i < 7; ++i)
    for (int k = 0; k < data[i].length; ++k) {
      EXPECT_NEAR(mean.start_row(i)[k], start[std::size_t(i) * mean.width + k], 1e-5);
      EXPECT_NEAR(mean.end_row(i)[k], end[std::size_t(i) * mean.width + k], 1e-5);
    }
  // The members differ, so the mean is not any one of them.
  singles[0].predict(ptrs(data, 0, 7), one);
  EXPECT_GT(std::abs(one.start[1] - mean.start[1]), 1e-4);

  EXPECT_THROW(ens.save(dir / "saved", {}), UsageError);
  EXPECT_THROW(write_ensemble({dirs[0]}, dir / "one"), UsageError);
  EXPECT_THROW(write_ensemble({dirs[0], dir / "ensemble"}, dir / "nested"), UsageError);
  SpanModel other = SpanModel::create(tiny_config(0.1), 6, "cpu");
  other.set_config_extra("warcpairs_windows", R"({"max_length":32,"decoding":"spans"})");
  other.save(dir / "other", {});
  EXPECT_THROW(write_ensemble({dirs[0], dir / "other"}, dir / "mixed"), UsageError);
  // A record pointing outside the checkpoint is refused at load.
  model_io::DistilBertConfig c = model_io::load_distilbert_config((dirs[1] / "config.json").string());
  c.extra[kEnsembleKey] = R"(["../m3"])";
  model_io::write_distilbert_config((dirs[1] / "config.json").string(), c);
  EXPECT_THROW(SpanModel::load(dirs[1], "cpu"), Error);
  fs::remove_all(dir);
}

}  // namespace
}  // namespace warcpairs::model
