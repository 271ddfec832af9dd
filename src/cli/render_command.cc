// `warcpairs render`: options into RenderConfig, MPI session, the stage, a summary.
#include <unistd.h>

#include <cstdio>

#include <spdlog/spdlog.h>

#include "commands.h"
#include "warcpairs/core/error.h"
#include "warcpairs/dist/mpi_session.h"
#include "warcpairs/stages/render/render.h"

namespace warcpairs::cli {
namespace {

struct RenderCli {
  stages::RenderConfig config;
  LogOptions log;
  double page_timeout_s = 20;
};

void print_summary(const stages::RenderTotals& t) {
  std::string failures, skips;
  for (const auto& [k, v] : t.failures) failures += fmt::format(" {}={}", k, v);
  for (const auto& [k, v] : t.skips) skips += fmt::format(" {}={}", k, v);
  std::printf("render: %llu files (%llu already done, %llu resumed), %llu pages, %llu rendered, %llu crops, "
              "%llu tokens (%llu visible) in %.1f s (%.2f pages/s)\n",
              (unsigned long long)t.files, (unsigned long long)t.files_already_done,
              (unsigned long long)t.files_resumed, (unsigned long long)t.pages, (unsigned long long)t.rendered,
              (unsigned long long)t.crops, (unsigned long long)t.tokens, (unsigned long long)t.visible_tokens,
              t.seconds, t.seconds > 0 ? t.pages / t.seconds : 0.0);
  std::printf("  requests: %llu made by the browser, %llu answered from the archive, %llu failed (not "
              "archived), none from the network\n",
              (unsigned long long)t.requests, (unsigned long long)t.fulfilled,
              (unsigned long long)t.failed_requests);
  std::printf("  pages without a render:%s\n", failures.empty() ? " none" : failures.c_str());
  std::printf("  skipped records:%s\n", skips.empty() ? " none" : skips.c_str());
  std::fflush(stdout);
}

int run(RenderCli& cli) {
  cli.config.quiet = cli.log.quiet;
  cli.config.options.page_timeout_ms = static_cast<int>(cli.page_timeout_s * 1000);
  if (::geteuid() == 0) cli.config.no_sandbox = true;  // chromium refuses to start sandboxed as root
  const auto session = start_mpi_stage(cli.log, cli.config.run_dir, "render");
  const auto totals = stages::run_render(cli.config, *session);
  if (session->is_root()) print_summary(totals);
  if (totals.stopped()) {
    if (session->is_root())
      std::printf("stopped by a signal: %llu files interrupted, %llu not started; run the same command again "
                  "to go on (exit %d)\n",
                  (unsigned long long)totals.files_stopped, (unsigned long long)totals.files_left, kExitResume);
    return kExitResume;
  }
  return kExitOk;
}

}  // namespace

Runner add_render_command(CLI::App& app) {
  auto cli = std::make_shared<RenderCli>();
  auto& c = cli->config;
  auto* cmd = app.add_subcommand("render", "WARC files -> crops of rendered pages with a box per WordPiece token");
  cmd->add_option("inputs", c.inputs, "WARC files, directories, glob patterns or @list.txt")->required();
  cmd->add_option("-o,--out", c.run_dir, "Run directory (shards go to RUN/shards)")->required();
  cmd->add_option("--vocab", c.vocab, "WordPiece vocab.txt (bert-base-uncased)")->required();
  cmd->add_option("--index", c.index_dir,
                  "A `warcpairs index --out DIR` folder (DIR/index.cdxj) to look requests up in; default: "
                  "the inputs indexed in memory")
      ->check(CLI::ExistingDirectory);
  cmd->add_option("--chromium", c.chromium, "The browser to run (Debian's chromium)")->capture_default_str();
  cmd->add_option("--viewport-width", c.options.viewport_width, "CSS px")
      ->check(CLI::Range(64, 8192))->capture_default_str();
  cmd->add_option("--viewport-height", c.options.viewport_height, "CSS px")
      ->check(CLI::Range(64, 8192))->capture_default_str();
  cmd->add_option("--page-timeout", cli->page_timeout_s,
                  "Seconds a page may take to load; then it is counted as timeout and the browser restarted")
      ->check(CLI::PositiveNumber)->capture_default_str();
  cmd->add_option("--restart-after", c.options.restart_after_pages, "Restart the browser after this many pages")
      ->check(CLI::PositiveNumber)->capture_default_str();
  cmd->add_flag("--pixel-check", c.options.pixel_check,
                "Also compare the viewport drawn with and without its text: a token whose boxes change no "
                "pixel is hidden, one rejected by a colour check whose boxes change is visible (two more "
                "screenshots a page)");
  cmd->add_flag("--isolate-pages", c.options.isolate_pages,
                "A new tab for every page and a renderer process per site (Chromium's site isolation) "
                "instead of one tab and one renderer process for all pages: nothing at all is shared "
                "between pages, at up to twice the CPU a page");
  cmd->add_flag("--javascript,!--no-javascript", c.options.javascript, "Run the pages' own scripts")
      ->capture_default_str();
  cmd->add_option("--crop-min-height", c.options.crops.min_height, "px")->check(CLI::PositiveNumber)->capture_default_str();
  cmd->add_option("--crop-max-width", c.options.crops.max_width, "px")->check(CLI::PositiveNumber)->capture_default_str();
  cmd->add_option("--crop-max-height", c.options.crops.max_height, "px")->check(CLI::PositiveNumber)->capture_default_str();
  cmd->add_option("--crop-min-tokens", c.options.crops.min_visible_tokens,
                  "Visible tokens a crop must hold whole")->check(CLI::NonNegativeNumber)->capture_default_str();
  cmd->add_option("--max-crops", c.options.crops.max_crops, "Crops per page")->check(CLI::NonNegativeNumber)->capture_default_str();
  cmd->add_option("--part-pages", c.pages_per_part, "Pages per shard part (a kill loses at most one part)")
      ->check(CLI::PositiveNumber)->capture_default_str();
  cmd->add_option("--progress-seconds", c.progress_seconds, "Seconds between progress lines")
      ->check(CLI::NonNegativeNumber);
  add_log_options(*cmd, cli->log);
  cmd->footer(
      "Examples:\n"
      "  warcpairs render --out run1 --vocab vocab.txt crawl/*.warc.gz\n"
      "  mpirun -np 8 warcpairs render --out run1 --vocab vocab.txt @warc-list.txt && warcpairs merge --out run1\n"
      "Every request a page makes is answered from the input WARC files (Fetch interception) or\n"
      "failed at once; none goes to the network. One browser per rank. Rerunning the same command\n"
      "skips finished files and resumes interrupted ones after their last shard part; SIGTERM stops\n"
      "between pages and exits 75. Totals: RUN/render-stats.json.");
  return [cli] { return run(*cli); };
}

}  // namespace warcpairs::cli
