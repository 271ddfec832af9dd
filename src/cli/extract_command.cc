// `warcpairs extract`: options into ExtractConfig, MPI session, the stage, a summary.
#include <spdlog/spdlog.h>

#include <cstdio>
#include <map>

#include "commands.h"
#include "warcpairs/core/error.h"
#include "warcpairs/dist/mpi_session.h"
#include "warcpairs/stages/extract/extract.h"

namespace warcpairs::cli {
namespace {

struct ExtractCli {
  stages::ExtractConfig config;
  LogOptions log;
  double max_record_mb = static_cast<double>(Limits{}.max_record_bytes >> 20);
  double max_payload_mb = static_cast<double>(Limits{}.max_payload_bytes >> 20);
  double max_html_mb = static_cast<double>(Limits{}.max_html_bytes >> 20);
  double part_mb = static_cast<double>(stages::RollPolicy{}.bytes >> 20);
};

void print_summary(const stages::ExtractTotals& t) {
  std::string skips, repairs, notes;
  for (const auto& [k, v] : t.skips) skips += fmt::format(" {}={}", k, v);
  for (const auto& [k, v] : t.repairs) repairs += fmt::format(" {}={}", k, v);
  for (const auto& [k, v] : t.notes) notes += fmt::format(" {}={}", k, v);
  const double mb = static_cast<double>(t.bytes) / 1e6;
  std::printf(
      "extract: %llu files (%llu already done, %llu resumed, %llu unreadable, %llu missing), "
      "%.1f MB, %llu records, %llu pages, %llu images in %.1f s (%.1f MB/s, %.0f pages/s)\n",
      (unsigned long long)t.files, (unsigned long long)t.files_already_done,
      (unsigned long long)t.files_resumed, (unsigned long long)t.files_unreadable,
      (unsigned long long)t.files_missing, mb,
      (unsigned long long)t.records,
      (unsigned long long)t.pages, (unsigned long long)t.images, t.seconds,
      t.seconds > 0 ? mb / t.seconds : 0.0, t.seconds > 0 ? t.pages / t.seconds : 0.0);
  if (t.predictions) std::printf("  span model run on %llu image contexts\n", (unsigned long long)t.predictions);
  std::printf("  skipped:%s\n", skips.empty() ? " none" : skips.c_str());
  std::printf("  repaired:%s\n", repairs.empty() ? " none" : repairs.c_str());
  std::printf("  counted:%s\n", notes.empty() ? " none" : notes.c_str());
  std::fflush(stdout);
}

int run(ExtractCli& cli) {
  auto to_bytes = [](double mb) { return static_cast<uint64_t>(mb * 1024 * 1024); };
  cli.config.limits.max_record_bytes = to_bytes(cli.max_record_mb);
  cli.config.limits.max_payload_bytes = to_bytes(cli.max_payload_mb);
  cli.config.limits.max_html_bytes = static_cast<size_t>(to_bytes(cli.max_html_mb));
  cli.config.roll.bytes = static_cast<int64_t>(to_bytes(cli.part_mb));
  cli.config.quiet = cli.log.quiet;

  const auto session = start_mpi_stage(cli.log, cli.config.run_dir, "extract");
  const auto totals = stages::run_extract(cli.config, *session);
  if (session->is_root()) print_summary(totals);
  if (session->is_root() && totals.files_unreadable + totals.files_missing > 0)
    std::printf("%llu input files were not read (unreadable or missing: see the warnings above); "
                "they are not marked done: run the same command again once they are there\n",
                (unsigned long long)(totals.files_unreadable + totals.files_missing));
  if (totals.stopped()) {
    if (session->is_root())
      std::printf("stopped by a signal: %llu files interrupted, %llu not started; run the same "
                  "command again to go on (exit %d)\n",
                  (unsigned long long)totals.files_stopped, (unsigned long long)totals.files_left,
                  kExitResume);
    return kExitResume;
  }
  return kExitOk;
}

}  // namespace

Runner add_extract_command(CLI::App& app) {
  auto cli = std::make_shared<ExtractCli>();
  auto* cmd = app.add_subcommand("extract", "WARC files -> HDF5 shards of pages, images and contexts");
  cmd->add_option("inputs", cli->config.inputs,
                  "WARC or ARC files (.warc, .warc.gz, .arc, .arc.gz), directories, glob "
                  "patterns or @list.txt")
      ->required();
  cmd->add_option("-o,--out", cli->config.run_dir, "Run directory (shards go to RUN/shards)")
      ->required();
  cmd->add_option("--context-chars", cli->config.context_chars,
                  "Visible text kept on each side of an image, in characters")
      ->check(CLI::Range(0, 100000))
      ->capture_default_str();
  cmd->add_option("--context-from", cli->config.context_from,
                  "Cut contexts from the page's main content (main: images outside it get no "
                  "context) or from all its visible text (all)")
      ->transform(CLI::CheckedTransformer(std::map<std::string, html::ContextFrom>{
          {"main", html::ContextFrom::kMain}, {"all", html::ContextFrom::kAll}}))
      ->default_str("main");
  cmd->add_option("--page-text", cli->config.page_text,
                  "Store each page's text in pages.text: its main content (main), all its "
                  "visible text (all) or nothing (none)")
      ->transform(CLI::CheckedTransformer(std::map<std::string, html::PageText>{
          {"main", html::PageText::kMain}, {"all", html::PageText::kAll},
          {"none", html::PageText::kNone}}))
      ->default_str("none");
  cmd->add_flag("--no-language-id{false}", cli->config.language_id,
                "Skip language identification (CLD2) of page text and contexts: "
                "pages.text_language and images.context_language stay empty");
  cmd->add_option("--max-record-mb", cli->max_record_mb, "Skip WARC records larger than this")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
  cmd->add_option("--max-payload-mb", cli->max_payload_mb,
                  "Cap on an HTTP payload after decompression")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
  cmd->add_option("--max-html-mb", cli->max_html_mb, "Parse at most this much of one page")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
  cmd->add_option("--progress-seconds", cli->config.progress_seconds,
                  "Seconds between progress lines (default: 0.5 on a terminal, 10 in a log)")
      ->check(CLI::NonNegativeNumber);
  cmd->add_option("--part-pages", cli->config.roll.pages,
                  "Start a new shard part after this many pages (a kill loses at most one part)")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
  cmd->add_option("--part-mb", cli->part_mb, "...or after about this many MB of text")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
  cmd->add_option("--model", cli->config.model_dir,
                  "Also run this span-model checkpoint on every image (predictions in the shards)");
  cmd->add_option("--device", cli->config.device, "For --model: auto, cpu, cuda or cuda:N")
      ->capture_default_str();
  // --threads as in train, predict and score; --model-threads is the older spelling.
  cmd->add_option("--threads,--model-threads", cli->config.model_threads,
                  "For --model: LibTorch threads per rank (0: cores / ranks per node)")
      ->check(CLI::NonNegativeNumber)->capture_default_str();
  cmd->add_option("--batch-size", cli->config.batch_size, "For --model: windows per forward pass")
      ->check(CLI::PositiveNumber)->capture_default_str();
  cmd->add_flag("--allow-untrained-head", cli->config.allow_untrained_head,
               "For --model: run a checkpoint whose question-answering head was never trained "
               "(random spans); without it such a checkpoint exits 2, asking to run `train` first");
  cmd->add_flag("--allow-mixed-options", cli->config.allow_mixed_options,
               "Accept output-shaping options (--context-chars, --max-*-mb) other than the ones "
               "RUN/extract-options.json records; each file's options go to "
               "RUN/extract-file-options.jsonl");
  add_log_options(*cmd, cli->log);
  cmd->footer(
      "Examples:\n"
      "  warcpairs extract --out run1 crawl/CC-MAIN-*.warc.gz\n"
      "  mpirun -np 8 warcpairs extract --out run1 @warc-list.txt --context-chars 300\n"
      "  warcpairs extract --config extract.toml      # [extract] out = \"run1\" ...\n"
      "  mpirun -np 4 warcpairs extract --out run2 --model run1/model/best data/*.warc.gz\n"
      "Rerunning the same command skips finished files, resumes interrupted ones after\n"
      "their last shard part and tries again files that were missing or unreadable. A path\n"
      "given here must exist (exit 2); a missing @list entry is counted and skipped. Two\n"
      "paths of one file (a symlink and its target) are read once. SIGTERM/SIGUSR1 stop\n"
      "between two records, keep what is done and exit 75. Bad records are counted, logged\n"
      "with file and byte offset, and skipped.\n"
      "The first run records --context-chars and the --max-*-mb caps in RUN/extract-options.json;\n"
      "a rerun with other values exits 2 (use a new --out, or --allow-mixed-options).\n"
      "Totals of all attempts (the last one's under \"last_attempt\"): RUN/extract-stats.json;\n"
      "each attempt: RUN/logs/extract-attempts.jsonl; per-rank logs: RUN/logs/extract.rankN.log.");
  return [cli] { return run(*cli); };
}

}  // namespace warcpairs::cli
