// `warcpairs review`: options into ReviewConfig, the server, what was decided.
#include <cstdio>
#include <cstdlib>
#include <string>

#include "commands.h"
#include "warcpairs/core/error.h"
#include "warcpairs/stages/review/review.h"

namespace warcpairs::cli {
namespace {

struct ReviewCli {
  stages::ReviewConfig config;
  std::string image_kinds = "content";
  LogOptions log;
};

// The name recorded when neither --reviewer nor the page gives one.
std::string default_reviewer() {
  const char* user = std::getenv("USER");
  return user != nullptr ? user : "reviewer";
}

int run(ReviewCli& cli) {
  configure_logging(cli.log);
  cli.config.image_kinds = stages::ImageKindFilter::parse(cli.image_kinds);
  if (cli.config.reviewer.empty()) cli.config.reviewer = default_reviewer();
  const auto t = stages::run_review(cli.config);
  std::printf("review: %lld decisions saved in this session; now accepted %lld, rejected %lld, edited %lld, "
              "undecided %lld of %lld pairs\n",
              static_cast<long long>(t.decisions), static_cast<long long>(t.accepted),
              static_cast<long long>(t.rejected), static_cast<long long>(t.edited),
              static_cast<long long>(t.undecided), static_cast<long long>(t.pairs));
  return kExitOk;
}

}  // namespace

Runner add_review_command(CLI::App& app) {
  auto cli = std::make_shared<ReviewCli>();
  auto& c = cli->config;
  auto* cmd = app.add_subcommand("review", "Serve a local web page to accept, reject or edit the run's pairs "
                                           "(saved to RUN/warcpairs.sqlite, used by export)");
  cmd->add_option("-o,--out", c.run_dir, "Run directory (RUN/warcpairs.sqlite, RUN/images)")->required();
  cmd->add_option("--host", c.host, "Address to listen on")->capture_default_str();
  cmd->add_option("--port", c.port, "Port (0: a free one, printed)")->check(CLI::Range(0, 65535))->capture_default_str();
  cmd->add_flag("--allow-remote", c.allow_remote,
                "Allow a --host other than loopback (the token is then the only protection: use SSH forwarding instead when you can)");
  cmd->add_option("--image-kinds", cli->image_kinds, stages::kImageKindsHelp)->capture_default_str();
  cmd->add_option("--reviewer", c.reviewer, "Name recorded with each decision (default $USER; the page can change it)");
  cmd->add_option("--span-model", c.span_model, "Which predictions to show when the database holds several ('none': alt texts)");
  cmd->add_option("--ids", c.ids, "Show only the images of this list (`warcpairs search --dest`: JSON lines or CSV with image_id, or one id per line)")->check(CLI::ExistingFile);
  cmd->add_option("--url-file", c.url_file, "Also write the page's URL (it holds the access token) to this file, mode 0600");
  add_log_options(*cmd, cli->log);
  cmd->footer(
      "Examples:\n"
      "  warcpairs review --out run1                  # prints http://127.0.0.1:PORT/?token=...\n"
      "  ssh -L 8080:127.0.0.1:8080 cluster 'warcpairs review --out run1 --port 8080'   # from a laptop\n"
      "Keys on the page: j/k move, a accept, r reject, e edit, u undo, n/p page. Decisions are saved at once;\n"
      "`warcpairs export` drops rejected pairs and uses edited descriptions (docs/review.md).");
  return [cli] { return run(*cli); };
}

}  // namespace warcpairs::cli
