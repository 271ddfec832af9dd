// `warcpairs train`: options into TrainConfig, MPI session, the stage, a summary.
#include <spdlog/spdlog.h>

#include <cstdio>

#include "commands.h"
#include "option_checks.h"
#include "warcpairs/core/error.h"
#include "warcpairs/dist/mpi_session.h"
#include "warcpairs/model_io/distilbert_config.h"
#include "warcpairs/stages/train/train.h"

namespace warcpairs::cli {
namespace {

struct TrainCli {
  stages::TrainConfig config;
  LogOptions log;
  bool max_length_given = false, stride_given = false;
};

// --max-length defaults to 384 (HF question answering) or the model's position count when that
// is smaller (a tiny checkpoint has 128), --stride to a third of it (HF's 128 for 384); a
// window needs room for [CLS] and [SEP] besides the stride.
void resolve_windows(TrainCli& cli) {
  auto& c = cli.config;
  const auto config_json = c.init_dir.empty() ? c.model_config : c.init_dir / "config.json";
  int64_t positions = 0;
  if (std::filesystem::is_regular_file(config_json))
    positions = model_io::load_distilbert_config(config_json.string()).max_position_embeddings;
  if (!cli.max_length_given && positions > 0 && positions < c.max_length)
    c.max_length = static_cast<int>(positions);
  if (positions > 0 && c.max_length > positions)
    throw UsageError("--max-length " + std::to_string(c.max_length) + " exceeds the model's " +
                     std::to_string(positions) + " positions (max_position_embeddings in " +
                     config_json.string() + "): give --max-length " + std::to_string(positions) +
                     " or less");
  if (!cli.stride_given) c.stride = c.max_length / 3;
  if (c.stride >= c.max_length - 2)
    throw UsageError("--stride " + std::to_string(c.stride) + " leaves no room in a window of --max-length " +
                     std::to_string(c.max_length) + " ([CLS], [SEP] and the shared tokens must fit): give --stride " +
                     "below " + std::to_string(c.max_length - 2) + " (without --stride: " +
                     std::to_string(c.max_length / 3) + ", a third) or a larger --max-length");
}

int run(TrainCli& cli) {
  resolve_windows(cli);
  const auto session = start_mpi_stage(cli.log, cli.config.run_dir, "train");
  const auto r = stages::run_train(cli.config, *session);
  const auto out = cli.config.out_dir.empty() ? cli.config.run_dir / "model" : cli.config.out_dir;
  if (session->is_root()) {
    std::printf("train: %lld steps, %lld training windows, %lld validation images, best "
                "%s token F1 %.4f, %.1f windows/s over %d ranks, %.1f s -> %s\n",
                (long long)r.steps, (long long)r.train_windows, (long long)r.validation_images,
                r.dev_images > 0 ? "dev" : "validation", r.best_f1, r.windows_per_second,
                session->size(), r.seconds, (out / "best").c_str());
    if (r.early_stopped) std::printf("stopped early (--patience %d)\n", cli.config.patience);
    if (r.stopped)
      std::printf("stopped by a signal after saving %s; run the same command again to go on "
                  "(exit %d)\n", (out / "last").c_str(), kExitResume);
  }
  return r.stopped ? kExitResume : kExitOk;
}

}  // namespace

Runner add_train_command(CLI::App& app) {
  auto cli = std::make_shared<TrainCli>();
  auto& c = cli->config;
  auto* cmd = app.add_subcommand("train", "Fine-tune the span model on the run's training candidates");
  cmd->add_option("-o,--out", c.run_dir, "Run directory (reads RUN/warcpairs.sqlite)")->required();
  cmd->add_option("--model-out", c.out_dir, "Where checkpoints go (default RUN/model)");
  auto* init = cmd->add_option("--init", c.init_dir,
                               "Start from this Hugging Face checkpoint (e.g. distilbert-base-uncased)");
  auto* fresh = cmd->add_option("--model-config", c.model_config,
                                "...or from random weights of this config.json");
  init->excludes(fresh);
  cmd->add_option("--vocab", c.vocab, "vocab.txt for --model-config");
  cmd->add_option("--epochs", c.epochs, "Passes over the training windows")->check(CLI::PositiveNumber)->capture_default_str();
  cmd->add_option("--batch-size", c.batch_size, "Windows per step, over all ranks together")
      ->check(CLI::PositiveNumber)->capture_default_str();
  cmd->add_option("--lr", c.learning_rate, "Peak learning rate (AdamW)")
      ->check(CLI::PositiveNumber)->capture_default_str();
  cmd->add_option("--warmup-ratio", c.warmup_ratio, "Share of the steps for linear warm-up")
      ->check(CLI::Range(0.0, 1.0))->capture_default_str();
  cmd->add_option("--weight-decay", c.weight_decay, "AdamW weight decay (not on biases and LayerNorm)")->check(CLI::NonNegativeNumber)->capture_default_str();
  cmd->add_option("--max-grad-norm", c.max_grad_norm, "Clip the gradient norm (0: off)")
      ->check(CLI::NonNegativeNumber)->capture_default_str();
  cmd->add_option("--seed", c.seed, "Seeds the initial weights (--model-config), the shuffle and dropout")->capture_default_str();
  auto* max_length = cmd->add_option("--max-length", c.max_length,
                                     "Tokens per window (default: 384, or the model's max_position_embeddings when smaller)")
                          ->check(CLI::Range(4, 4096));
  auto* stride = cmd->add_option("--stride", c.stride,
                                 "Tokens shared by neighbouring windows, below --max-length - 2 (default: a third of --max-length)")
                     ->check(CLI::NonNegativeNumber);
  cmd->add_option("--validation-fraction", c.validation_fraction,
                  "Share of pages held out for validation, in (0, 1): both sides need pages")
      ->check(open_fraction())->capture_default_str();
  cmd->add_option("--dev-fraction", c.dev_fraction,
                  "Share of pages (the hash slice above the held-out one) whose F1 picks the best "
                  "epoch and --patience follows, so the held-out numbers are not chosen on the "
                  "held-out pages (0: the held-out pages pick)")
      ->check(CLI::Range(0.0, 1.0))->capture_default_str();
  cmd->add_option("--patience", c.patience, "With --dev-fraction: stop after N epochs without a better dev F1 (0: never)")
      ->check(CLI::NonNegativeNumber)->capture_default_str();
  cmd->add_option("--max-steps", c.max_steps, "Stop after this many steps in all (0: epochs decide)")
      ->check(CLI::NonNegativeNumber)->capture_default_str();
  cmd->add_option("--save-steps", c.save_steps, "Also checkpoint every N steps (0: at epoch ends)")
      ->check(CLI::NonNegativeNumber)->capture_default_str();
  cmd->add_option("--log-steps", c.log_steps, "A metrics line every N steps")
      ->check(CLI::PositiveNumber)->capture_default_str();
  cmd->add_option("--device", c.device, "auto, cpu, cuda or cuda:N (each rank its node-local GPU)")
      ->capture_default_str();
  cmd->add_option("--threads", c.threads, "LibTorch threads per rank (0: cores / ranks per node)")
      ->check(CLI::NonNegativeNumber)->capture_default_str();
  cmd->add_flag("--float64", c.float64, "Train in double precision (for equivalence checks)");
  cmd->add_flag("--line-marker,!--no-line-marker", c.line_marker,
                "Mark the context's line breaks with [unused2] (default; recorded in config.json "
                "for predict)");
  cmd->add_flag("--bucket-by-length", c.bucket_by_length,
                "Batches of windows of similar length (sorted pools of 50 batches, batches shuffled): less padding");
  cmd->add_option("--decoding", c.decoding,
                  "Answers: spans (any span of whole words in a line, at most 30 tokens), lines (whole "
                  "lines of the context only) or both; recorded in config.json for predict")
      ->check(CLI::IsMember({"spans", "lines", "both"}))->capture_default_str();
  cmd->add_flag("--centre-marker", c.centre_marker,
                "One window per image with the image marker at its centre ([PAD] in front where the "
                "context is shorter): the marker at one position for a model trained from random "
                "weights; recorded in config.json for predict");
  cmd->add_flag("--near-line-markers", c.near_line_markers,
                "The two line markers nearest the image on each side as [unused3]..[unused6] instead "
                "of [unused2] (needs the line marker): where the lines around the image end, for a "
                "model from random weights; recorded in config.json for predict");
  cmd->add_option("--token-dropout", c.token_dropout,
                  "Share of the context's words replaced by [MASK] in each training step (a fresh draw "
                  "each step; validation and predict see all words)")
      ->check(CLI::Range(0.0, 0.99))->capture_default_str();
  cmd->add_option("--ensemble", c.ensemble,
                  "Train N models (seeds --seed, --seed + 1, ...) into OUT/member-K and write OUT/best "
                  "as their ensemble: predict and extract --model average their start and end logits")
      ->check(CLI::PositiveNumber)->capture_default_str();
  cmd->add_flag("--label-windows-only", c.label_windows_only,
                "Train only on windows that hold the whole label (drop the \"no span\" windows the "
                "windowing cuts out of labelled contexts)");
  add_log_options(*cmd, cli->log);
  cmd->footer(
      "Examples:\n"
      "  mpirun -np 4 warcpairs train --out run1 --init models/distilbert-base-uncased\n"
      "  warcpairs train --out run1 --model-config tiny/config.json --vocab tiny/vocab.txt\n"
      "Writes RUN/model/best (the best validation F1; loads in transformers), RUN/model/last\n"
      "(+ optimizer state), metrics.jsonl and quality.json (model vs sentence baselines).\n"
      "After a kill or SIGTERM (exit 75) the same command resumes from RUN/model/last.");
  return [cli, max_length, stride] {
    cli->max_length_given = max_length->count() > 0;
    cli->stride_given = stride->count() > 0;
    return run(*cli);
  };
}

}  // namespace warcpairs::cli
