// `warcpairs predict`: options into PredictConfig, MPI session, the stage, a summary.
#include <spdlog/spdlog.h>

#include <cstdio>

#include "commands.h"
#include "warcpairs/core/error.h"
#include "warcpairs/dist/mpi_session.h"
#include "warcpairs/stages/predict/predict.h"

namespace warcpairs::cli {
namespace {

struct PredictCli {
  stages::PredictConfig config;
  LogOptions log;
};

int run(PredictCli& cli) {
  const auto session = start_mpi_stage(cli.log, cli.config.run_dir, "predict");
  const auto t = stages::run_predict(cli.config, *session);
  if (session->is_root()) {
    if (t.ids_planned == 0 && !t.stopped)
      std::printf("predict: nothing new: all %lld image ids are covered by the %lld shards of "
                  "model %s already written\n",
                  (long long)t.ids_already_covered, (long long)t.shards_already_done,
                  t.model_version.c_str());
    std::printf("predict: %lld shards written (%lld already done), %lld new image ids (%lld "
                "already covered), %lld contexts, %lld with a "
                "span, in %.1f s (%.1f contexts/s; %.1f%% of model time outside the forward pass)"
                "; run `warcpairs merge --out %s` next\n",
                (long long)t.shards_written, (long long)t.shards_already_done,
                (long long)t.ids_planned, (long long)t.ids_already_covered, (long long)t.images,
                (long long)t.spans, t.seconds, t.seconds > 0 ? t.images / t.seconds : 0.0,
                t.model_seconds > 0 ? 100.0 * (1.0 - t.forward_seconds / t.model_seconds) : 0.0,
                cli.config.run_dir.c_str());
    if (t.stopped)
      std::printf("stopped by a signal; run the same command again to go on (exit %d)\n", kExitResume);
  }
  return t.stopped ? kExitResume : kExitOk;
}

}  // namespace

Runner add_predict_command(CLI::App& app) {
  auto cli = std::make_shared<PredictCli>();
  auto& c = cli->config;
  auto* cmd = app.add_subcommand("predict", "Run the span model on every image context -> shards");
  cmd->add_option("-o,--out", c.run_dir, "Run directory (reads RUN/warcpairs.sqlite)")->required();
  cmd->add_option("--model", c.model_dir, "Checkpoint directory (e.g. RUN/model/best)")->required();
  cmd->add_option("--device", c.device, "auto, cpu, cuda or cuda:N (each rank its node-local GPU)")
      ->capture_default_str();
  cmd->add_option("--threads", c.threads, "LibTorch threads per rank (0: cores / ranks per node)")
      ->check(CLI::NonNegativeNumber)->capture_default_str();
  cmd->add_option("--batch-size", c.batch_size, "Windows per forward pass")
      ->check(CLI::PositiveNumber)->capture_default_str();
  cmd->add_option("--max-length", c.max_length,
                  "Tokens per window (default: as the checkpoint was trained)")
      ->check(CLI::Range(4, 4096));
  cmd->add_option("--stride", c.stride, "Tokens shared by neighbouring windows (default: likewise)")
      ->check(CLI::NonNegativeNumber);
  cmd->add_option("--rows-per-shard", c.rows_per_shard,
                  "Image ids per shard, the unit of resuming (10x score's: a predict shard holds "
                  "text, a score shard the images)")
      ->check(CLI::PositiveNumber)->capture_default_str();
  cmd->add_option("--pool", c.pool_images, "Contexts bucketed by length together")
      ->check(CLI::PositiveNumber)->capture_default_str();
  cmd->add_flag("--allow-mixed-options", c.allow_mixed_options,
               "Accept window settings (--max-length, --stride) other than the ones "
               "RUN/predict-<model>-options.json records for this model; the id ranges done "
               "with each go to RUN/predict-<model>-range-options.jsonl");
  cmd->add_flag("--allow-untrained-head", c.allow_untrained_head,
               "Run a checkpoint whose question-answering head was never trained (a bare "
               "distilbert-base-uncased: random spans); without it such a checkpoint exits 2, "
               "asking to run `train` first");
  add_log_options(*cmd, cli->log);
  cmd->footer(
      "Examples:\n"
      "  mpirun -np 4 warcpairs predict --out run1 --model run1/model/best\n"
      "  warcpairs merge --out run1     # predictions -> the `predictions` table\n"
      "Each shard records the image ids it covered; a rerun does the ids no shard of the model\n"
      "covers yet (after `extract` + `merge` of more data: exactly the new ones; else nothing).\n"
      "SIGTERM/SIGUSR1 exit 75 after dropping the unfinished shard.\n"
      "The first run of a model records its window settings (--max-length, --stride) in\n"
      "RUN/predict-<model>-options.json; a rerun with others exits 2 (a new --out, or\n"
      "--allow-mixed-options).\n"
      "The model's totals over all attempts (the last one's under \"last_attempt\"):\n"
      "RUN/predict-stats.json; each attempt: RUN/logs/predict-attempts.jsonl; per-rank logs:\n"
      "RUN/logs/predict.rankN.log.");
  return [cli] { return run(*cli); };
}

}  // namespace warcpairs::cli
