// `warcpairs merge`: fold every new shard of a run into RUN/warcpairs.sqlite.
#include <spdlog/spdlog.h>

#include <cstdio>

#include "commands.h"
#include "warcpairs/core/error.h"
#include "warcpairs/stages/merge/merge.h"

namespace warcpairs::cli {
namespace {

struct MergeCli {
  stages::MergeConfig config;
  LogOptions log;
};

int run(MergeCli& cli) {
  configure_logging(cli.log);
  const auto t = stages::run_merge(cli.config);
  std::printf(
      "merge: %lld shards merged (%lld already merged, %lld failed, %lld files still being "
      "extracted): %lld files, %lld pages, %lld images, %lld skip records, %lld predictions "
      "in %.2f s -> %s\n",
      (long long)t.shards_merged, (long long)t.shards_already_merged, (long long)t.shards_failed,
      (long long)t.files_waiting,
      (long long)t.files, (long long)t.pages, (long long)t.images, (long long)t.skips,
      (long long)t.predictions, t.seconds,
      (cli.config.run_dir / "warcpairs.sqlite").c_str());
  if (t.embeddings || t.embeddings_present)
    std::printf("merge: %lld CLIP embeddings into %s (%lld images had one already)\n",
                (long long)t.embeddings, (cli.config.run_dir / "embeddings").c_str(),
                (long long)t.embeddings_present);
  return t.shards_failed ? kExitFailed : kExitOk;
}

}  // namespace

Runner add_merge_command(CLI::App& app) {
  auto cli = std::make_shared<MergeCli>();
  auto* cmd = app.add_subcommand("merge", "HDF5 shards -> the run's canonical SQLite database");
  cmd->add_option("-o,--out", cli->config.run_dir, "Run directory (reads RUN/shards)")->required();
  add_log_options(*cmd, cli->log);
  cmd->footer(
      "Examples:\n"
      "  warcpairs merge --out run1\n"
      "Safe to run again at any time: each shard is merged once (the `shards` table is the\n"
      "ledger), in one transaction, so an interrupted merge is simply run again.\n"
      "Totals of the last merge: RUN/merge-stats.json.");
  return [cli] { return run(*cli); };
}

}  // namespace warcpairs::cli
