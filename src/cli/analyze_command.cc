// `warcpairs analyze`: options into AnalyzeConfig, the report, where it was written.
#include <cstdio>

#include "commands.h"
#include "warcpairs/core/error.h"
#include "warcpairs/stages/analyze/analyze.h"

namespace warcpairs::cli {
namespace {

struct AnalyzeCli {
  stages::AnalyzeConfig config;
  LogOptions log;
  double min_clip = 0;
};

int run(AnalyzeCli& cli, bool min_clip_given) {
  configure_logging(cli.log);
  if (min_clip_given) cli.config.min_clip = cli.min_clip;
  const auto r = stages::run_analyze(cli.config);
  std::printf("analyze: %d plots, %d pair images, %d render crops; report %s, summary %s\n", r.plots,
              r.images_inlined, r.crops_shown, r.html.c_str(), r.summary.c_str());
  return kExitOk;
}

}  // namespace

Runner add_analyze_command(CLI::App& app) {
  auto cli = std::make_shared<AnalyzeCli>();
  auto& c = cli->config;
  auto* cmd = app.add_subcommand("analyze", "Write an HTML report (one file, opens offline) and a "
                                            "JSON summary of a run");
  cmd->add_option("-o,--out", c.run_dir, "Run directory (reads RUN/warcpairs.sqlite, RUN/images, RUN/model)")->required();
  cmd->add_option("--report", c.report_dir, "Where index.html and summary.json go (default RUN/report)");
  auto* min_clip = cmd->add_option("--min-clip", cli->min_clip, "CLIP threshold marked on the score histogram")
                       ->check(CLI::Range(-1.0, 1.0));
  cmd->add_option("--grid", c.grid, "Pairs per image grid (best, worst, random)")->check(CLI::Range(0, 200))->capture_default_str();
  cmd->add_option("--renders", c.renders, "Crops of `warcpairs render` shown with their token boxes (the first by id)")
      ->check(CLI::Range(0, 100))->capture_default_str();
  cmd->add_option("--top", c.top, "Rows per table (domains, languages, ...)")->check(CLI::Range(1, 1000))->capture_default_str();
  cmd->add_option("--gnuplot", c.gnuplot, "The gnuplot program (draws the plots)")->capture_default_str();
  add_log_options(*cmd, cli->log);
  cmd->footer(
      "Examples:\n"
      "  warcpairs analyze --out run1                   # run1/report/index.html, summary.json\n"
      "  warcpairs analyze --out run1 --min-clip 0.28   # mark the filter threshold\n"
      "Needs gnuplot (Debian: gnuplot-nox). Sections whose stage has not run say so. Reads the\n"
      "stages' RUN/*-stats.json; writes REPORT/index.html and REPORT/summary.json.");
  return [cli, min_clip] { return run(*cli, min_clip->count() > 0); };
}

}  // namespace warcpairs::cli
