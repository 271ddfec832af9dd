// run_train: windows from the training candidates, a global batch split over the ranks each
// step, gradients summed by MPI all-reduce, validation (exact match, token F1, and the
// sentence baselines) at each epoch end, best and last checkpoints, resume after a kill.
#include "warcpairs/stages/train/train.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <chrono>
#include <fstream>
#include <nlohmann/json.hpp>
#include <optional>
#include <vector>

#include "warcpairs/core/crash_point.h"
#include "warcpairs/core/error.h"
#include "warcpairs/core/stop_signal.h"
#include "warcpairs/dist/mpi_session.h"
#include "warcpairs/model/span_model.h"
#include "warcpairs/model_io/distilbert_config.h"
#include "warcpairs/stages/common/span_predictor.h"
#include "warcpairs/text/span_answer.h"
#include "warcpairs/text/wordpiece.h"
#include "train_examples.h"

namespace warcpairs::stages {
namespace fs = std::filesystem;
using json = nlohmann::json;
using Clock = std::chrono::steady_clock;

namespace {

// What must match for a checkpoint in OUT/last to be resumed by this command.
json fingerprint(const TrainConfig& c, int64_t train_windows, int64_t total_steps) {
  json f = {{"epochs", c.epochs},        {"batch_size", c.batch_size},
            {"learning_rate", c.learning_rate}, {"warmup_ratio", c.warmup_ratio},
            {"weight_decay", c.weight_decay},   {"max_grad_norm", c.max_grad_norm},
            {"seed", c.seed},            {"max_length", c.max_length},
            {"stride", c.stride},        {"validation_fraction", c.validation_fraction},
            {"dev_fraction", c.dev_fraction},
            {"train_windows", train_windows}, {"total_steps", total_steps},
            {"float64", c.float64}, {"label_windows_only", c.label_windows_only},
            {"bucket_by_length", c.bucket_by_length}, {"line_marker", c.line_marker},
            {"decoding", c.decoding}, {"centre_marker", c.centre_marker}};
  if (c.near_line_markers) f["near_line_markers"] = true;  // absent: checkpoints from before it resume
  if (c.token_dropout > 0) f["token_dropout"] = c.token_dropout;
  return f;
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
  if (c.dev_fraction < 0 || c.validation_fraction + c.dev_fraction >= 1)
    throw UsageError("--dev-fraction must be >= 0 and leave pages for training "
                     "(--validation-fraction + --dev-fraction < 1)");
  if (c.patience < 0) throw UsageError("--patience must be >= 0");
  if (c.ensemble < 1) throw UsageError("--ensemble must be >= 1");
  if (c.token_dropout < 0 || c.token_dropout >= 1) throw UsageError("--token-dropout must be in [0, 1)");
  if (c.near_line_markers && !c.line_marker)
    throw UsageError("--near-line-markers needs the line marker (drop --no-line-marker)");
  text::SpanDecoding decoding;
  if (!text::parse_decoding(c.decoding, decoding))
    throw UsageError("--decoding " + c.decoding + ": expected spans, lines or both");
  if (c.patience > 0 && c.dev_fraction <= 0)
    throw UsageError("--patience needs --dev-fraction (early stopping on the held-out pages "
                     "would choose on the pages it reports)");
}

// Where and how this rank trains. Rank 0 creates OUT and the tokenizer files; the others wait.
struct Placement {
  fs::path out;
  fs::path tokenizer;  // the files each checkpoint carries
  int threads = 1;
  std::string device;
  model::Precision precision = model::Precision::kFloat32;
};

Placement place_rank(const TrainConfig& config, const dist::MpiSession& session) {
  Placement p;
  p.out = config.out_dir.empty() ? config.run_dir / "model" : config.out_dir;
  if (session.is_root()) fs::create_directories(p.out);
  session.barrier();
  const dist::NodePlace node = session.node_place();
  p.threads = config.threads > 0 ? config.threads : node.cores_per_rank();
  model::set_threads(p.threads);
  p.device = model::resolve_device(config.device, node.rank);
  p.precision = config.float64 ? model::Precision::kFloat64 : model::Precision::kFloat32;
  p.tokenizer = tokenizer_dir(config, p.out, session.is_root());
  session.barrier();
  return p;
}

// Before the slow part: the vocabulary is there and the windows fit the model's position
// table. Returns the vocabulary's path.
fs::path check_model_files(const TrainConfig& config) {
  const auto vocab_path = config.init_dir.empty() ? config.vocab : config.init_dir / "vocab.txt";
  if (!fs::is_regular_file(vocab_path))
    throw UsageError("no WordPiece vocabulary at " + vocab_path.string());
  const auto cfg_path = config.init_dir.empty() ? config.model_config : config.init_dir / "config.json";
  if (!fs::is_regular_file(cfg_path)) throw UsageError("no config.json at " + cfg_path.string());
  const auto positions = model_io::load_distilbert_config(cfg_path.string()).max_position_embeddings;
  if (config.max_length > positions)
    throw UsageError("--max-length " + std::to_string(config.max_length) +
                     " exceeds the model's max_position_embeddings (" + std::to_string(positions) +
                     "): give --max-length <= " + std::to_string(positions));
  return vocab_path;
}

// How many steps, and what a checkpoint must match to be resumed by this command.
struct Plan {
  int64_t n_train = 0;
  int64_t steps_per_epoch = 0;
  int64_t total_steps = 0;
  json fingerprint;
};

Plan plan_steps(const TrainConfig& config, const Examples& ex) {
  Plan plan;
  plan.n_train = static_cast<int64_t>(ex.train.size());
  if (config.dev_fraction > 0 && ex.dev.size() == 0)
    throw UsageError("no labelled images on the development pages (--dev-fraction " +
                     std::to_string(config.dev_fraction) + "): give a larger --dev-fraction or more pages");
  if (plan.n_train == 0)
    throw UsageError("no training candidates outside the validation pages in " +
                     (config.run_dir / "warcpairs.sqlite").string() +
                     " (images whose alt text occurs in their context): extract more pages");
  plan.steps_per_epoch = (plan.n_train + config.batch_size - 1) / config.batch_size;
  plan.total_steps = plan.steps_per_epoch * config.epochs;
  if (config.max_steps > 0) plan.total_steps = std::min(plan.total_steps, config.max_steps);
  plan.fingerprint = fingerprint(config, plan.n_train, plan.total_steps);
  return plan;
}

// The model to train and the step it starts at: OUT/last when it belongs to this same run,
// else the --init checkpoint or random weights of --model-config.
struct Start {
  fs::path resume;  // the checkpoint resumed; empty: from the start
  json state = {{"global_step", 0}, {"best_f1", -1.0}};
  std::optional<model::SpanModel> model;
};

constexpr int64_t kBucketPoolBatches = 50;  // --bucket-by-length: batches per sorted pool
constexpr const char* kStaleEpochs = "epochs_without_gain";  // state.json: for --patience

Start open_model(const TrainConfig& config, const Placement& place, const Plan& plan) {
  Start s;
  s.resume = find_checkpoint(place.out / "last");
  if (!s.resume.empty()) {
    json saved = json::parse(std::ifstream(s.resume / "state.json"));
    if (saved.value("fingerprint", json()) != plan.fingerprint)
      throw UsageError(place.out.string() + " holds a checkpoint of a different training run (" +
                       saved.value("fingerprint", json()).dump() +
                       "): give another --model-out or remove it");
    s.state = saved;
    s.model.emplace(model::SpanModel::load(s.resume, place.device, place.precision));
  } else if (!config.init_dir.empty()) {
    s.model.emplace(model::SpanModel::load(config.init_dir, place.device, place.precision));
  } else {
    s.model.emplace(model::SpanModel::create(model_io::load_distilbert_config(config.model_config.string()),
                                             config.seed, place.device, place.precision));
  }
  // predict and extract --model window contexts as training did, unless told otherwise.
  s.model->set_config_extra(kWindowsKey, json({{"max_length", config.max_length},
                                               {"stride", config.stride},
                                               {"image_marker", "[unused1]"},
                                               {"line_marker", config.line_marker ? text::kLineMarker : ""},
                                               {"decoding", config.decoding},
                                               {"centre_marker", config.centre_marker},
                                               {"near_line_markers", config.near_line_markers}}).dump());
  return s;
}

model::TrainOptions train_options(const TrainConfig& config, int64_t total_steps, int rank) {
  model::TrainOptions opts;
  opts.learning_rate = config.learning_rate;
  opts.total_steps = total_steps;
  opts.warmup_steps = static_cast<int64_t>(config.warmup_ratio * double(total_steps) + 0.5);
  opts.weight_decay = config.weight_decay;
  opts.max_grad_norm = config.max_grad_norm;
  opts.seed = config.seed;
  opts.rank = rank;
  return opts;
}

// OUT/metrics.jsonl, written by rank 0 only (the other ranks' emit() does nothing). Lines
// after the resumed step were written by the killed run: they are dropped on opening.
class MetricsLog {
 public:
  MetricsLog(const fs::path& path, int64_t step, bool root) : root_(root) {
    if (!root_) return;
    std::vector<std::string> keep;
    std::ifstream in(path);
    for (std::string line; std::getline(in, line);) {
      auto j = json::parse(line, nullptr, false);
      if (!j.is_discarded() && j.value("step", int64_t{0}) <= step) keep.push_back(line);
    }
    {
      std::ofstream rewrite(path, std::ios::trunc);
      for (const auto& l : keep) rewrite << l << '\n';
    }
    out_.open(path, std::ios::app);
  }
  void emit(const json& j) {
    if (!root_) return;
    out_ << j.dump() << '\n';
    out_.flush();
  }

 private:
  bool root_;
  std::ofstream out_;
};

// The epoch loop: a global batch per step, progress lines, validation and the best and last
// checkpoints at each epoch end, a checkpoint and a stop when a signal arrives.
class TrainLoop {
 public:
  TrainLoop(const TrainConfig& config, const dist::MpiSession& session, const Placement& place,
            const Examples& ex, const Plan& plan, model::SpanModel& model, model::SpanTrainer& trainer,
            const json& state, int32_t mask_id)
      : config_(config), session_(session), place_(place), ex_(ex), plan_(plan), model_(model),
        trainer_(trainer), root_(session.is_root()), step_(state["global_step"].get<int64_t>()),
        best_f1_(state["best_f1"].get<double>()), stale_epochs_(state.value(kStaleEpochs, 0)),
        metrics_(place.out / "metrics.jsonl", step_, root_), mask_id_(mask_id) {}

  // Runs to the last step or to a stop signal; fills in steps, best_f1, stopped and
  // windows_per_second.
  void run(TrainResult& result);

 private:
  void report(int64_t epoch, int64_t count, double loss, bool epoch_end);
  void end_epoch();
  // Writes OUT/<dir> through <dir>.tmp on rank 0: the model and tokenizer files and, with
  // `with_state`, the optimiser state and state.json that a resume needs.
  void save(const fs::path& dir, bool with_state);
  double since(Clock::time_point t) const { return std::chrono::duration<double>(Clock::now() - t).count(); }

  const TrainConfig& config_;
  const dist::MpiSession& session_;
  const Placement& place_;
  const Examples& ex_;
  const Plan& plan_;
  model::SpanModel& model_;
  model::SpanTrainer& trainer_;
  const bool root_;
  int64_t step_;
  double best_f1_;
  int stale_epochs_;  // epoch ends since the best one (TrainConfig::patience)
  MetricsLog metrics_;
  int64_t windows_done_ = 0;
  int32_t mask_id_ = -1;                    // [MASK], for TrainConfig::token_dropout
  std::vector<text::SpanWindow> masked_;    // this step's masked windows (token_dropout)
  double loss_window_ = 0;  // summed loss since the last progress line
  int64_t loss_count_ = 0;
  Clock::time_point loop_started_, last_line_;
};

void TrainLoop::run(TrainResult& result) {
  std::vector<int64_t> order;
  int64_t order_epoch = -1;
  std::vector<const text::SpanWindow*> local;
  std::vector<int64_t> batch_order;
  const int64_t first_step = step_;
  last_line_ = loop_started_ = Clock::now();
  while (step_ < plan_.total_steps) {
    const int64_t epoch = step_ / plan_.steps_per_epoch, in_epoch = step_ % plan_.steps_per_epoch;
    if (epoch != order_epoch) {
      order = epoch_order(plan_.n_train, config_.seed, order_epoch = epoch);
      if (config_.bucket_by_length)
        bucket_by_length(ex_.train, config_.batch_size, kBucketPoolBatches, config_.seed, epoch, order);
    }
    const int64_t begin = in_epoch * config_.batch_size;
    const int64_t count = std::min<int64_t>(config_.batch_size, plan_.n_train - begin);
    deal_batch(ex_.train, order, begin, count, session_.size(), session_.rank(), batch_order, local);
    if (config_.token_dropout > 0) {  // masked copies of this rank's windows
      masked_.resize(local.size());
      for (std::size_t k = 0; k < local.size(); ++k) {
        mask_tokens(*local[k], config_.token_dropout, mask_id_, config_.seed, step_, local[k] - ex_.train.data(), masked_[k]);
        local[k] = &masked_[k];
      }
    }
    double reduced[2] = {trainer_.step(local, count), stop_requested() ? 1.0 : 0.0};
    session_.allreduce_sum(reduced, 2);
    ++step_;
    windows_done_ += count;
    const bool epoch_end = step_ % plan_.steps_per_epoch == 0 || step_ == plan_.total_steps;
    report(epoch, count, reduced[0], epoch_end);
    if (epoch_end) {
      end_epoch();
      if (config_.patience > 0 && stale_epochs_ >= config_.patience && step_ < plan_.total_steps) {
        result.early_stopped = true;
        if (root_)
          spdlog::info("train: stopped early after step {}: no better dev F1 in {} epochs (best {:.3f})",
                       step_, stale_epochs_, best_f1_);
        break;
      }
    }
    else if (reduced[1] > 0 || (config_.save_steps > 0 && step_ % config_.save_steps == 0))
      save(place_.out / "last", true);
    crash_point("train_step");  // tests: a SIGKILL between two steps
    if (reduced[1] > 0 && step_ < plan_.total_steps) {
      result.stopped = true;
      if (root_) spdlog::warn("train: stopped by a signal after step {}; run the same command to resume", step_);
      break;
    }
  }
  result.steps = step_;
  result.best_f1 = best_f1_;
  result.windows_per_second = step_ > first_step ? double(windows_done_) / std::max(1e-9, since(loop_started_)) : 0;
}

// `loss`: this step's summed loss over its `count` windows, all ranks.
void TrainLoop::report(int64_t epoch, int64_t count, double loss, bool epoch_end) {
  loss_window_ += loss;
  loss_count_ += count;
  if (step_ % std::max<int64_t>(1, config_.log_steps) != 0 && !epoch_end) return;
  const double rate = double(windows_done_) / std::max(1e-9, since(loop_started_));
  // "loss" is this step's global-batch loss, not an average over the lines' interval: a
  // resumed run then writes exactly the lines the uninterrupted one would have.
  metrics_.emit({{"type", "train"}, {"step", step_}, {"epoch", double(step_) / double(plan_.steps_per_epoch)},
                 {"loss", loss / double(count)}, {"lr", trainer_.learning_rate()},
                 {"windows_per_second", rate}});
  if (root_ && (since(last_line_) >= 2 || epoch_end)) {
    spdlog::info("train: step {}/{} (epoch {}/{}) loss {:.4f} lr {:.2e} {:.1f} windows/s, ETA {:.0f} s",
                 step_, plan_.total_steps, epoch + 1, config_.epochs,
                 loss_window_ / std::max<int64_t>(1, loss_count_), trainer_.learning_rate(), rate,
                 double(plan_.total_steps - step_) * config_.batch_size / std::max(1e-9, rate));
    last_line_ = Clock::now();
  }
  loss_window_ = 0, loss_count_ = 0;
}

void TrainLoop::end_epoch() {
  const Quality q = validate(model_, ex_.validation, config_, session_);
  double f1 = q.n ? q.f1 / q.n : 0;
  json line = q.to_json();
  line["type"] = "validation";
  line["train_windows"] = plan_.n_train;
  line["train_windows_with_label"] = ex_.train_windows_with_label;
  line["train_windows_dropped"] = ex_.train_windows_dropped;
  line["step"] = step_;
  line["epoch"] = double(step_) / double(plan_.steps_per_epoch);
  metrics_.emit(line);
  if (root_)
    spdlog::info("validation after step {}: exact match {:.3f}, token F1 {:.3f} on {} images "
                 "(decoded as spans / lines / both: F1 {:.3f} / {:.3f} / {:.3f}; baselines' F1: alt's "
                 "nearest sentence {:.3f}, image's nearest sentence {:.3f})",
                 step_, q.n ? q.em / q.n : 0, f1, int64_t(q.n), q.n ? q.decoding_f1[0] / q.n : 0,
                 q.n ? q.decoding_f1[1] / q.n : 0, q.n ? q.decoding_f1[2] / q.n : 0,
                 q.n ? q.base_f1[0] / q.n : 0, q.n ? q.base_f1[1] / q.n : 0);
  // The best epoch is picked on the development pages when there are some (their F1 is
  // what best_f1 and --patience follow), else on the held-out pages themselves.
  line["selected_by"] = "held-out";
  if (ex_.dev.size() > 0) {
    const Quality d = validate(model_, ex_.dev, config_, session_);
    json dev = d.to_json();
    dev["type"] = "dev";
    dev["step"] = step_;
    dev["epoch"] = line["epoch"];
    metrics_.emit(dev);
    dev.erase("type");
    line["dev"] = dev;
    line["selected_by"] = "dev";
    f1 = d.n ? d.f1 / d.n : 0;
    if (root_)
      spdlog::info("dev after step {}: exact match {:.3f}, token F1 {:.3f} on {} images (picks the best "
                   "epoch; decoded as spans / lines / both: F1 {:.3f} / {:.3f} / {:.3f})",
                   step_, d.n ? d.em / d.n : 0, f1, int64_t(d.n), d.decoding_f1[0] / d.n,
                   d.decoding_f1[1] / d.n, d.decoding_f1[2] / d.n);
  }
  if (f1 > best_f1_) {
    best_f1_ = f1;
    stale_epochs_ = 0;
    save(place_.out / "best", false);
    if (root_) {
      line["best_step"] = step_;
      write_json(place_.out / "quality.json", line);
    }
  } else {
    ++stale_epochs_;
  }
  save(place_.out / "last", true);
}

void TrainLoop::save(const fs::path& dir, bool with_state) {
  if (!root_) return;
  const fs::path tmp = dir.string() + ".tmp";
  fs::remove_all(tmp);
  model_.save(tmp, place_.tokenizer);
  if (with_state) {
    trainer_.save_state(tmp / "trainer.pt");
    write_json(tmp / "state.json", {{"global_step", step_}, {"best_f1", best_f1_},
                                    {kStaleEpochs, stale_epochs_}, {"fingerprint", plan_.fingerprint}});
  }
  swap_in(tmp, dir);
}

// One model: OUT/best, OUT/last, metrics.jsonl, quality.json.
TrainResult train_one(const TrainConfig& config, const dist::MpiSession& session) {
  check_config(config);
  const auto started = Clock::now();
  const Placement place = place_rank(config, session);
  const fs::path vocab_path = check_model_files(config);
  const text::WordPiece vocab = text::WordPiece::from_vocab_file(vocab_path);
  const int32_t mask_id = vocab.id_of("[MASK]");
  if (config.token_dropout > 0 && mask_id < 0)
    throw UsageError("--token-dropout needs a [MASK] token in " + vocab_path.string());
  const Examples ex = load_examples(config, vocab);
  const Plan plan = plan_steps(config, ex);
  Start start = open_model(config, place, plan);
  model::GradientSum sum{[&](float* p, std::size_t n) { session.allreduce_sum(p, n); },
                         [&](double* p, std::size_t n) { session.allreduce_sum(p, n); },
                         [&](uint8_t* p, std::size_t n) { session.allreduce_max(p, n); }};
  model::SpanTrainer trainer(*start.model, train_options(config, plan.total_steps, session.rank()), sum);
  if (!start.resume.empty()) trainer.load_state(start.resume / "trainer.pt");
  TrainLoop loop(config, session, place, ex, plan, *start.model, trainer, start.state, mask_id);
  if (session.is_root())
    spdlog::info("train: {} windows from {} images, {} validation images; {} ranks x {} threads "
                 "on {}; {} steps ({} per epoch) of {} windows; {}",
                 plan.n_train, ex.train_images,
                 std::to_string(ex.validation.size()) +
                     (ex.dev.size() ? " (+ " + std::to_string(ex.dev.size()) + " dev)" : ""),
                 session.size(), place.threads,
                 place.device, plan.total_steps, plan.steps_per_epoch, config.batch_size,
                 start.resume.empty() ? "from the start"
                                      : "resuming at step " + std::to_string(start.state["global_step"].get<int64_t>()));
  if (session.is_root()) {
    const auto reach = std::count(ex.validation.label_in_window.begin(), ex.validation.label_in_window.end(), 1);
    spdlog::info("train: the label lies in {} of {} training windows built ({} dropped without it) and in a "
                 "window of {} of {} training images and {} of {} validation images",
                 ex.train_windows_with_label, plan.n_train + ex.train_windows_dropped, ex.train_windows_dropped,
                 ex.train_images_label_in_window, ex.train_images, reach, ex.validation.size());
  }
  TrainResult result;
  result.train_windows = plan.n_train;
  result.validation_images = static_cast<int64_t>(ex.validation.size());
  result.dev_images = static_cast<int64_t>(ex.dev.size());
  loop.run(result);
  result.seconds = std::chrono::duration<double>(Clock::now() - started).count();
  session.barrier();
  return result;
}

// Model F1 and EM of a quality.json (or its "dev" part), for the ensemble's member list.
json model_scores(const json& q) {
  const json m = q.value("model", json::object());
  return {{"token_f1", m.value("token_f1", 0.0)}, {"exact_match", m.value("exact_match", 0.0)}};
}

// TrainConfig::ensemble members, each trained as train_one into OUT/member-K with seed + K,
// then OUT/best = model::write_ensemble of their best checkpoints, validated as one model.
TrainResult train_ensemble(const TrainConfig& config, const dist::MpiSession& session) {
  check_config(config);
  const auto started = Clock::now();
  const fs::path out = config.out_dir.empty() ? config.run_dir / "model" : config.out_dir;
  TrainResult result;
  std::vector<fs::path> bests;
  json members = json::array();
  for (int k = 0; k < config.ensemble; ++k) {
    TrainConfig member = config;
    member.ensemble = 1;
    member.seed = config.seed + static_cast<uint64_t>(k);
    member.out_dir = out / ("member-" + std::to_string(k));
    if (session.is_root()) spdlog::info("train: ensemble member {} of {} (seed {}) -> {}", k + 1,
                                        config.ensemble, member.seed, member.out_dir.string());
    const TrainResult r = train_one(member, session);
    result.steps += r.steps;
    result.train_windows = r.train_windows;
    result.validation_images = r.validation_images;
    result.dev_images = r.dev_images;
    result.early_stopped = result.early_stopped || r.early_stopped;
    result.windows_per_second += r.windows_per_second / config.ensemble;
    if (r.stopped) {
      result.stopped = true;
      return result;
    }
    bests.push_back(member.out_dir / "best");
    if (session.is_root()) {
      const json q = json::parse(std::ifstream(member.out_dir / "quality.json"));
      json entry = {{"seed", member.seed}, {"best_step", q.value("best_step", int64_t{0})},
                    {"held_out", model_scores(q)}};
      if (q.contains("dev")) entry["dev"] = model_scores(q["dev"]);
      members.push_back(entry);
    }
  }
  const Placement place = place_rank(config, session);
  if (session.is_root()) {
    const fs::path tmp = out / "best.tmp";
    fs::remove_all(tmp);
    model::write_ensemble(bests, tmp);
    swap_in(tmp, out / "best");
  }
  session.barrier();
  model::SpanModel ensemble = model::SpanModel::load(out / "best", place.device, place.precision);
  const Examples ex = load_examples(config, text::WordPiece::from_vocab_file(check_model_files(config)));
  const Quality q = validate(ensemble, ex.validation, config, session);
  json line = q.to_json();
  line["selected_by"] = "held-out";
  if (ex.dev.size() > 0) {
    const Quality d = validate(ensemble, ex.dev, config, session);
    line["dev"] = d.to_json();
    line["selected_by"] = "dev";
    result.best_f1 = d.n ? d.f1 / d.n : 0;
  } else {
    result.best_f1 = q.n ? q.f1 / q.n : 0;
  }
  if (session.is_root()) {
    json steps = json::array();
    for (const auto& m : members) steps.push_back(m["best_step"]);
    line["best_step"] = steps;
    line["ensemble"] = members;
    write_json(out / "quality.json", line);
    spdlog::info("train: ensemble of {} in {}: held-out token F1 {:.3f} (exact match {:.3f}){}", config.ensemble,
                 (out / "best").string(), q.n ? q.f1 / q.n : 0, q.n ? q.em / q.n : 0,
                 ex.dev.size() ? fmt::format(", dev token F1 {:.3f}", result.best_f1) : std::string());
  }
  result.seconds = std::chrono::duration<double>(Clock::now() - started).count();
  session.barrier();
  return result;
}

}  // namespace

TrainResult run_train(const TrainConfig& config, const dist::MpiSession& session) {
  return config.ensemble > 1 ? train_ensemble(config, session) : train_one(config, session);
}

}  // namespace warcpairs::stages
