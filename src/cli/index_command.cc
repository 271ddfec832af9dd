// `warcpairs index`: options into IndexConfig, MPI session, the stage, a summary.
#include <cstdio>

#include "commands.h"
#include "warcpairs/core/error.h"
#include "warcpairs/dist/mpi_session.h"
#include "warcpairs/stages/index/index.h"

namespace warcpairs::cli {
namespace {

struct IndexCli {
  stages::IndexConfig config;
  LogOptions log;
  double max_record_mb = static_cast<double>(Limits{}.max_record_bytes >> 20);
};

int run(IndexCli& cli) {
  cli.config.limits.max_record_bytes = static_cast<uint64_t>(cli.max_record_mb * 1024 * 1024);
  const auto session = start_mpi_stage(cli.log, cli.config.run_dir, "index");
  const stages::IndexTotals t = stages::run_index(cli.config, *session);
  if (session->is_root()) {
    std::string skips;
    for (const auto& [k, v] : t.skips) skips += " " + k + "=" + std::to_string(v);
    const double mb = static_cast<double>(t.bytes) / 1e6;
    std::printf("index: %llu files indexed (%llu unchanged, %llu unreadable, %llu missing), "
                "%.1f MB, %llu records, %llu index lines in %.1f s (%.1f MB/s, %.0f records/s)\n",
                (unsigned long long)t.files, (unsigned long long)t.files_already_done,
                (unsigned long long)t.files_unreadable, (unsigned long long)t.files_missing, mb,
                (unsigned long long)t.records, (unsigned long long)t.entries, t.seconds,
                t.seconds > 0 ? mb / t.seconds : 0.0,
                t.seconds > 0 ? static_cast<double>(t.records) / t.seconds : 0.0);
    std::printf("  skipped:%s\n", skips.empty() ? " none" : skips.c_str());
    if (t.merged)
      std::printf("  %s/index.cdxj: %llu lines\n", cli.config.run_dir.c_str(),
                  (unsigned long long)t.merged_lines);
    else if (!t.stopped())
      std::printf("  %s/index.cdxj: unchanged\n", cli.config.run_dir.c_str());
    if (t.files_unreadable + t.files_missing > 0)
      std::printf("%llu input files were not indexed (see the warnings above); run the same "
                  "command again once they are readable\n",
                  (unsigned long long)(t.files_unreadable + t.files_missing));
    std::fflush(stdout);
  }
  if (t.stopped()) {
    if (session->is_root())
      std::printf("stopped by a signal: %llu files not indexed; run the same command again to go "
                  "on (exit %d)\n", (unsigned long long)t.files_stopped, kExitResume);
    return kExitResume;
  }
  return kExitOk;
}

}  // namespace

Runner add_index_command(CLI::App& app) {
  auto cli = std::make_shared<IndexCli>();
  auto* cmd = app.add_subcommand(
      "index", "WARC files -> CDXJ index (pywb's format): RUN/index.cdxj, one per file in RUN/index/");
  cmd->add_option("inputs", cli->config.inputs,
                  "WARC or ARC files (.warc, .warc.gz, .arc, .arc.gz), directories, glob "
                  "patterns or @list.txt")
      ->required();
  cmd->add_option("-o,--out", cli->config.run_dir, "Run directory")->required();
  cmd->add_option("--dir-root", cli->config.dir_root,
                  "Write each file's path relative to this folder in the \"filename\" field "
                  "(default: its base name, as cdxj-indexer)");
  cmd->add_option("--max-record-mb", cli->max_record_mb, "Skip WARC records larger than this")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
  add_log_options(*cmd, cli->log);
  return [cli] { return run(*cli); };
}

}  // namespace warcpairs::cli
