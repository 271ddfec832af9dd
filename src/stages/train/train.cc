// run_train: windows from the training candidates, a global batch split over the ranks each
// step, gradients summed by MPI all-reduce, validation (exact match, token F1, and the
// sentence baselines) at each epoch end, best and last checkpoints, resume after a kill.
#include "warcpairs/stages/train/train.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <chrono>
#include <fstream>
#include <nlohmann/json.hpp>
#include <thread>
#include <vector>

#include "warcpairs/core/crash_point.h"
#include "warcpairs/core/error.h"
#include "warcpairs/core/stop_signal.h"
#include "warcpairs/dist/mpi_session.h"
#include "warcpairs/model/span_model.h"
#include "warcpairs/model_io/distilbert_config.h"
#include "warcpairs/stages/common/span_predictor.h"
#include "warcpairs/store/image_query.h"
#include "warcpairs/text/span_answer.h"
#include "warcpairs/text/wordpiece.h"

namespace warcpairs::stages {
namespace fs = std::filesystem;
using json = nlohmann::json;
using Clock = std::chrono::steady_clock;

namespace {

// One held-out image: its windows, and what the model and the baselines are scored against.
struct ValidationItem {
  std::string context;
  std::string label;  // the label span's text
  std::string alt;
  int32_t image_pos = 0;
};

struct Examples {
  std::vector<text::SpanWindow> train;
  std::vector<ValidationItem> validation;
  std::vector<std::vector<text::SpanWindow>> validation_windows;
  int64_t train_images = 0;
};

Examples load_examples(const TrainConfig& c, const text::WordPiece& tokenizer) {
  text::SpanExampleOptions wo;
  wo.max_length = c.max_length;
  wo.stride = c.stride;
  text::SpanExampleBuilder builder(tokenizer, wo);
  store::ImageQuery db(c.run_dir / "warcpairs.sqlite");
  Examples ex;
  std::vector<text::SpanWindow> windows;
  db.for_each_labelled([&](const store::ContextRow& r) {
    const text::CodePointSpan label{r.label_start, r.label_end};
    if (text::is_validation(r.page_url, c.validation_fraction)) {
      ValidationItem item{r.context, text::span_text(r.context, label), r.alt, r.image_pos};
      ex.validation_windows.emplace_back();
      builder.build(item.context, item.image_pos, std::nullopt, ex.validation_windows.back());
      ex.validation.push_back(std::move(item));
    } else {
      builder.build(r.context, r.image_pos, label, windows);
      for (auto& w : windows) ex.train.push_back(std::move(w));
      ++ex.train_images;
    }
  });
  return ex;
}

// Portable shuffle (SplitMix64 + Fisher–Yates): the same order on every machine and library,
// which std::shuffle's distribution does not promise.
std::vector<int64_t> epoch_order(int64_t n, uint64_t seed, int64_t epoch) {
  std::vector<int64_t> order(static_cast<std::size_t>(n));
  for (int64_t i = 0; i < n; ++i) order[i] = i;
  uint64_t state = seed ^ (0x9E3779B97F4A7C15ULL * static_cast<uint64_t>(epoch + 1));
  auto next = [&] {
    uint64_t z = (state += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
  };
  for (int64_t i = n - 1; i > 0; --i) std::swap(order[i], order[next() % uint64_t(i + 1)]);
  return order;
}

// Rank r's part of the global batch order[begin, begin + count): the windows sorted by length
// and dealt round-robin, so every rank gets nearly the same number of tokens and pads little
// (a rank with the long windows would keep the others waiting at the all-reduce). The summed
// gradient is the global batch's whatever the split.
void deal_batch(const std::vector<text::SpanWindow>& windows, const std::vector<int64_t>& order,
                int64_t begin, int64_t count, int size, int rank, std::vector<int64_t>& scratch,
                std::vector<const text::SpanWindow*>& local) {
  scratch.assign(order.begin() + begin, order.begin() + begin + count);
  std::stable_sort(scratch.begin(), scratch.end(), [&](int64_t a, int64_t b) {
    return windows[a].length > windows[b].length;
  });
  local.clear();
  for (std::size_t k = static_cast<std::size_t>(rank); k < scratch.size(); k += static_cast<std::size_t>(size))
    local.push_back(&windows[scratch[k]]);
}

// What must match for a checkpoint in OUT/last to be resumed by this command.
json fingerprint(const TrainConfig& c, int64_t train_windows, int64_t total_steps) {
  return {{"epochs", c.epochs},        {"batch_size", c.batch_size},
          {"learning_rate", c.learning_rate}, {"warmup_ratio", c.warmup_ratio},
          {"weight_decay", c.weight_decay},   {"max_grad_norm", c.max_grad_norm},
          {"seed", c.seed},            {"max_length", c.max_length},
          {"stride", c.stride},        {"validation_fraction", c.validation_fraction},
          {"train_windows", train_windows}, {"total_steps", total_steps},
          {"float64", c.float64}};
}

void write_json(const fs::path& path, const json& j) {
  std::ofstream(path) << j.dump(2) << '\n';
}

// Replaces `dir` by `tmp` with renames only, so a kill leaves either the old or the new one
// (dir.old is taken back by find_checkpoint when dir is missing).
void swap_in(const fs::path& tmp, const fs::path& dir) {
  const fs::path old = dir.string() + ".old";
  fs::remove_all(old);
  if (fs::exists(dir)) fs::rename(dir, old);
  fs::rename(tmp, dir);
  fs::remove_all(old);
}

fs::path find_checkpoint(const fs::path& dir) {
  if (fs::is_regular_file(dir / "state.json")) return dir;
  const fs::path old = dir.string() + ".old";
  if (fs::is_regular_file(old / "state.json")) return old;
  return {};
}

// Per-rank validation sums, all-reduced: count, then EM and F1 of the model and of each
// baseline. The baselines answer with a whole sentence of the context: the one closest to
// the alt text (highest token F1 against it: it knows the alt text, which the model does not
// see), the one nearest the image, the first after it, the last before it.
constexpr int kBaselines = 4;
constexpr const char* kBaselineNames[kBaselines] = {"alt_nearest_sentence", "image_nearest_sentence",
                                                    "sentence_after", "sentence_before"};

text::CodePointSpan alt_nearest_sentence(const std::vector<text::CodePointSpan>& sentences,
                                         const std::string& context, const std::string& alt) {
  text::CodePointSpan best{-1, -1};
  double best_f1 = -1;
  for (const auto& s : sentences) {
    const double f1 = text::token_f1(text::span_text(context, s), alt);
    if (f1 > best_f1) best_f1 = f1, best = s;
  }
  return best;
}

struct Quality {
  double n = 0, em = 0, f1 = 0;
  double base_em[kBaselines] = {}, base_f1[kBaselines] = {};
  json to_json() const {
    json j = {{"images", static_cast<int64_t>(n)},
              {"model", {{"exact_match", n ? em / n : 0}, {"token_f1", n ? f1 / n : 0}}}};
    for (int b = 0; b < kBaselines; ++b)
      j[kBaselineNames[b]] = {{"exact_match", n ? base_em[b] / n : 0},
                              {"token_f1", n ? base_f1[b] / n : 0}};
    return j;
  }
};

Quality validate(model::SpanModel& model, const Examples& ex, const TrainConfig& c,
                 const dist::MpiSession& session) {
  // Image i goes to rank i mod size: every rank scores a part, the sums are reduced.
  std::vector<std::vector<text::SpanWindow>> mine;
  std::vector<const ValidationItem*> items;
  for (std::size_t i = static_cast<std::size_t>(session.rank()); i < ex.validation.size();
       i += static_cast<std::size_t>(session.size())) {
    mine.push_back(ex.validation_windows[i]);
    items.push_back(&ex.validation[i]);
  }
  std::vector<text::SpanAnswer> answers;
  PredictTiming timing;
  answer_windows(model, mine, mine.size(), c.batch_size, 30, answers, timing);
  std::vector<double> sums(3 + 2 * kBaselines, 0.0);
  for (std::size_t i = 0; i < items.size(); ++i) {
    const ValidationItem& v = *items[i];
    const std::string pred = text::span_text(v.context, {answers[i].start, answers[i].end});
    sums[0] += 1;
    sums[1] += text::exact_match(pred, v.label);
    sums[2] += text::token_f1(pred, v.label);
    const auto sentences = text::sentences(v.context);
    const text::CodePointSpan picks[kBaselines] = {
        alt_nearest_sentence(sentences, v.context, v.alt),
        text::nearest_sentence(sentences, v.image_pos), text::sentence_after(sentences, v.image_pos),
        text::sentence_before(sentences, v.image_pos)};
    for (int b = 0; b < kBaselines; ++b) {
      const std::string t = text::span_text(v.context, picks[b]);
      sums[3 + 2 * b] += text::exact_match(t, v.label);
      sums[4 + 2 * b] += text::token_f1(t, v.label);
    }
  }
  session.allreduce_sum(sums.data(), sums.size());
  Quality q;
  q.n = sums[0], q.em = sums[1], q.f1 = sums[2];
  for (int b = 0; b < kBaselines; ++b) q.base_em[b] = sums[3 + 2 * b], q.base_f1[b] = sums[4 + 2 * b];
  return q;
}

// The tokenizer files a checkpoint carries: the init checkpoint's, or vocab.txt plus the
// tokenizer_config.json of an uncased DistilBERT, written once into OUT/tokenizer.
fs::path tokenizer_dir(const TrainConfig& c, const fs::path& out, bool root) {
  if (!c.init_dir.empty()) return c.init_dir;
  const fs::path dir = out / "tokenizer";
  if (root && !fs::is_regular_file(dir / "tokenizer_config.json")) {
    fs::create_directories(dir);
    fs::copy_file(c.vocab, dir / "vocab.txt", fs::copy_options::overwrite_existing);
    write_json(dir / "tokenizer_config.json",
               {{"do_lower_case", true}, {"model_max_length", 512},
                {"tokenizer_class", "DistilBertTokenizer"}, {"unk_token", "[UNK]"},
                {"sep_token", "[SEP]"}, {"pad_token", "[PAD]"}, {"cls_token", "[CLS]"},
                {"mask_token", "[MASK]"}});
  }
  return dir;
}

}  // namespace

int cores_per_rank(const dist::NodePlace& node) {
  const int cores = static_cast<int>(std::thread::hardware_concurrency());
  return std::max(1, cores / std::max(1, node.size));
}

namespace {

void check_config(const TrainConfig& c) {
  if (c.init_dir.empty() == c.model_config.empty())
    throw UsageError("give exactly one of --init DIR (a Hugging Face checkpoint) and "
                     "--model-config FILE (random weights of that config.json)");
  if (!c.model_config.empty() && c.vocab.empty())
    throw UsageError("--model-config needs --vocab FILE (the WordPiece vocab.txt)");
  if (c.epochs < 1 || c.batch_size < 1) throw UsageError("--epochs and --batch-size must be >= 1");
  if (c.learning_rate <= 0) throw UsageError("--lr must be > 0");
  if (c.warmup_ratio < 0 || c.warmup_ratio > 1) throw UsageError("--warmup-ratio must be in [0, 1]");
  if (c.validation_fraction <= 0 || c.validation_fraction >= 1)
    throw UsageError("--validation-fraction must be in (0, 1)");
}

}  // namespace

TrainResult run_train(const TrainConfig& config, const dist::MpiSession& session) {
  check_config(config);
  const auto started = Clock::now();
  const bool root = session.is_root();
  const fs::path out = config.out_dir.empty() ? config.run_dir / "model" : config.out_dir;
  if (root) fs::create_directories(out);
  session.barrier();
  const dist::NodePlace node = session.node_place();
  const int threads = config.threads > 0 ? config.threads : cores_per_rank(node);
  model::set_threads(threads);
  const std::string device = model::resolve_device(config.device, node.rank);
  const auto precision = config.float64 ? model::Precision::kFloat64 : model::Precision::kFloat32;

  const fs::path tokenizer = tokenizer_dir(config, out, root);
  session.barrier();
  const auto vocab_path = config.init_dir.empty() ? config.vocab : config.init_dir / "vocab.txt";
  if (!fs::is_regular_file(vocab_path))
    throw UsageError("no WordPiece vocabulary at " + vocab_path.string());
  {  // before the slow part: the windows must fit the model's position table
    const auto cfg_path = config.init_dir.empty() ? config.model_config : config.init_dir / "config.json";
    if (!fs::is_regular_file(cfg_path)) throw UsageError("no config.json at " + cfg_path.string());
    const auto positions = model_io::load_distilbert_config(cfg_path.string()).max_position_embeddings;
    if (config.max_length > positions)
      throw UsageError("--max-length " + std::to_string(config.max_length) +
                       " exceeds the model's max_position_embeddings (" + std::to_string(positions) +
                       "): give --max-length <= " + std::to_string(positions));
  }
  const text::WordPiece tokenizer_model = text::WordPiece::from_vocab_file(vocab_path);
  Examples ex = load_examples(config, tokenizer_model);
  const auto n_train = static_cast<int64_t>(ex.train.size());
  if (n_train == 0)
    throw UsageError("no training candidates outside the validation pages in " +
                     (config.run_dir / "warcpairs.sqlite").string() +
                     " (images whose alt text occurs in their context): extract more pages");
  const int64_t steps_per_epoch = (n_train + config.batch_size - 1) / config.batch_size;
  int64_t total_steps = steps_per_epoch * config.epochs;
  if (config.max_steps > 0) total_steps = std::min(total_steps, config.max_steps);
  const json print = fingerprint(config, n_train, total_steps);

  // Resume from OUT/last when it belongs to this same run, else start fresh.
  const fs::path resume = find_checkpoint(out / "last");
  json state = {{"global_step", 0}, {"best_f1", -1.0}};
  std::optional<model::SpanModel> model;
  if (!resume.empty()) {
    json saved = json::parse(std::ifstream(resume / "state.json"));
    if (saved.value("fingerprint", json()) != print)
      throw UsageError(out.string() + " holds a checkpoint of a different training run (" +
                       saved.value("fingerprint", json()).dump() +
                       "): give another --model-out or remove it");
    state = saved;
    model.emplace(model::SpanModel::load(resume, device, precision));
  } else if (!config.init_dir.empty()) {
    model.emplace(model::SpanModel::load(config.init_dir, device, precision));
  } else {
    model.emplace(model::SpanModel::create(model_io::load_distilbert_config(config.model_config.string()),
                                           config.seed, device, precision));
  }

  // predict and extract --model window contexts as training did, unless told otherwise.
  model->set_config_extra(kWindowsKey, json({{"max_length", config.max_length},
                                             {"stride", config.stride},
                                             {"image_marker", "[unused1]"}}).dump());
  model::TrainOptions opts;
  opts.learning_rate = config.learning_rate;
  opts.total_steps = total_steps;
  opts.warmup_steps = static_cast<int64_t>(config.warmup_ratio * double(total_steps) + 0.5);
  opts.weight_decay = config.weight_decay;
  opts.max_grad_norm = config.max_grad_norm;
  opts.seed = config.seed;
  opts.rank = session.rank();
  model::GradientSum sum{[&](float* p, std::size_t n) { session.allreduce_sum(p, n); },
                         [&](double* p, std::size_t n) { session.allreduce_sum(p, n); },
                         [&](uint8_t* p, std::size_t n) { session.allreduce_max(p, n); }};
  model::SpanTrainer trainer(*model, opts, sum);
  if (!resume.empty()) trainer.load_state(resume / "trainer.pt");
  int64_t step = state["global_step"].get<int64_t>();
  double best_f1 = state["best_f1"].get<double>();

  // metrics.jsonl: lines after the resumed step were written by the killed run; dropped.
  const fs::path metrics_path = out / "metrics.jsonl";
  if (root) {
    std::vector<std::string> keep;
    std::ifstream in(metrics_path);
    for (std::string line; std::getline(in, line);) {
      auto j = json::parse(line, nullptr, false);
      if (!j.is_discarded() && j.value("step", int64_t{0}) <= step) keep.push_back(line);
    }
    std::ofstream o(metrics_path, std::ios::trunc);
    for (const auto& l : keep) o << l << '\n';
  }
  std::ofstream metrics;
  if (root) metrics.open(metrics_path, std::ios::app);
  auto emit = [&](json j) {
    if (!root) return;
    metrics << j.dump() << '\n';
    metrics.flush();
  };

  auto save = [&](const fs::path& dir, bool with_state) {
    if (!root) return;
    const fs::path tmp = dir.string() + ".tmp";
    fs::remove_all(tmp);
    model->save(tmp, tokenizer);
    if (with_state) {
      trainer.save_state(tmp / "trainer.pt");
      write_json(tmp / "state.json", {{"global_step", step}, {"best_f1", best_f1},
                                      {"fingerprint", print}});
    }
    swap_in(tmp, dir);
  };

  if (root)
    spdlog::info("train: {} windows from {} images, {} validation images; {} ranks x {} threads "
                 "on {}; {} steps ({} per epoch) of {} windows; {}",
                 n_train, ex.train_images, ex.validation.size(), session.size(), threads, device,
                 total_steps, steps_per_epoch, config.batch_size,
                 resume.empty() ? "from the start" : "resuming at step " + std::to_string(step));
  TrainResult result;
  result.train_windows = n_train;
  result.validation_images = static_cast<int64_t>(ex.validation.size());
  std::vector<int64_t> order;
  int64_t order_epoch = -1;
  std::vector<const text::SpanWindow*> local;
  std::vector<int64_t> batch_order;
  const int64_t first_step = step;
  int64_t windows_done = 0;
  double loss_window = 0;
  int64_t loss_count = 0;
  auto last_line = Clock::now();
  const auto loop_started = Clock::now();
  while (step < total_steps) {
    const int64_t epoch = step / steps_per_epoch, in_epoch = step % steps_per_epoch;
    if (epoch != order_epoch) order = epoch_order(n_train, config.seed, order_epoch = epoch);
    const int64_t begin = in_epoch * config.batch_size;
    const int64_t count = std::min<int64_t>(config.batch_size, n_train - begin);
    deal_batch(ex.train, order, begin, count, session.size(), session.rank(), batch_order, local);
    double reduced[2] = {trainer.step(local, count), stop_requested() ? 1.0 : 0.0};
    session.allreduce_sum(reduced, 2);
    ++step;
    windows_done += count;
    loss_window += reduced[0];
    loss_count += count;
    const bool epoch_end = step % steps_per_epoch == 0 || step == total_steps;
    if (step % std::max<int64_t>(1, config.log_steps) == 0 || epoch_end) {
      const double rate = double(windows_done) /
                          std::max(1e-9, std::chrono::duration<double>(Clock::now() - loop_started).count());
      // "loss" is this step's global-batch loss, not an average over the lines' interval: a
      // resumed run then writes exactly the lines the uninterrupted one would have.
      emit({{"type", "train"}, {"step", step}, {"epoch", double(step) / double(steps_per_epoch)},
            {"loss", reduced[0] / double(count)}, {"lr", trainer.learning_rate()},
            {"windows_per_second", rate}});
      if (root && (std::chrono::duration<double>(Clock::now() - last_line).count() >= 2 || epoch_end)) {
        spdlog::info("train: step {}/{} (epoch {}/{}) loss {:.4f} lr {:.2e} {:.1f} windows/s, ETA {:.0f} s",
                     step, total_steps, epoch + 1, config.epochs,
                     loss_window / std::max<int64_t>(1, loss_count), trainer.learning_rate(), rate,
                     double(total_steps - step) * config.batch_size / std::max(1e-9, rate));
        last_line = Clock::now();
      }
      loss_window = 0, loss_count = 0;
    }
    if (epoch_end) {
      const Quality q = validate(*model, ex, config, session);
      const double f1 = q.n ? q.f1 / q.n : 0;
      json line = q.to_json();
      line["type"] = "validation";
      line["step"] = step;
      line["epoch"] = double(step) / double(steps_per_epoch);
      emit(line);
      if (root)
        spdlog::info("validation after step {}: exact match {:.3f}, token F1 {:.3f} on {} images "
                     "(baselines' F1: alt's nearest sentence {:.3f}, image's nearest sentence {:.3f})",
                     step, q.n ? q.em / q.n : 0, f1, int64_t(q.n), q.n ? q.base_f1[0] / q.n : 0,
                     q.n ? q.base_f1[1] / q.n : 0);
      if (f1 > best_f1) {
        best_f1 = f1;
        save(out / "best", false);
        if (root) {
          line["best_step"] = step;
          write_json(out / "quality.json", line);
        }
      }
      save(out / "last", true);
    } else if (reduced[1] > 0 || (config.save_steps > 0 && step % config.save_steps == 0)) {
      save(out / "last", true);
    }
    crash_point("train_step");  // tests: a SIGKILL between two steps
    if (reduced[1] > 0 && step < total_steps) {
      result.stopped = true;
      if (root) spdlog::warn("train: stopped by a signal after step {}; run the same command to resume", step);
      break;
    }
  }
  result.steps = step;
  result.best_f1 = best_f1;
  result.seconds = std::chrono::duration<double>(Clock::now() - started).count();
  const double loop_s = std::chrono::duration<double>(Clock::now() - loop_started).count();
  result.windows_per_second = step > first_step ? double(windows_done) / std::max(1e-9, loop_s) : 0;
  session.barrier();
  return result;
}

}  // namespace warcpairs::stages
