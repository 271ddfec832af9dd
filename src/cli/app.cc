// The warcpairs command line: the global options, the examples and every subcommand.
#include <filesystem>
#include <map>
#include <string>

#include <fmt/format.h>

#include "commands.h"

namespace warcpairs::cli {
namespace {

// --out names a folder: an existing file there is a usage error.
const CLI::Validator& out_folder_check() {
  static const CLI::Validator check(
      [](std::string& value) -> std::string {
        std::error_code ec;
        if (!std::filesystem::exists(value, ec) || std::filesystem::is_directory(value, ec)) return {};
        return fmt::format("must be a directory, but '{}' is a file: name a new or existing "
                           "folder",
                           value);
      },
      "DIR", "out folder");
  return check;
}

}  // namespace

std::map<CLI::App*, Runner> add_commands(CLI::App& app) {
  app.require_subcommand(1);
  const std::string config_help =
      "Read options from a TOML file: one [section] per subcommand ([extract], [merge], ...), "
      "keys as the long options without dashes (context-chars = 300); before or after the subcommand";
  app.set_config("--config", "", config_help);
  // Unknown keys and sections are errors (check_config_file names them first, with a line).
  app.allow_config_extras(CLI::config_extras_mode::error);
  app.set_version_flag("--version", "warcpairs 0.1.0");
  app.footer(
      "Examples:\n"
      "  mpirun -np 4 warcpairs extract --out run1 data/*.warc.gz\n"
      "  warcpairs merge --out run1\n"
      "  mpirun -np 4 warcpairs train --out run1 --init models/distilbert-base-uncased\n"
      "  mpirun -np 4 warcpairs predict --out run1 --model run1/model/best && warcpairs merge --out run1\n"
      "  mpirun -np 8 warcpairs score --out run1 --clip models/clip-vit-base-patch32 && warcpairs merge --out run1\n"
      "  warcpairs review --out run1    # accept, reject, edit pairs in the browser\n"
      "  warcpairs analyze --out run1 && warcpairs export --out run1 --dest ds --format webdataset\n"
      "Exit codes: 0 done (skipped bad records are counted), 1 failed, 2 bad command line or\n"
      "config, 75 stopped by a signal after saving progress (run the same command again; the\n"
      "stopped stage also leaves RUN/STAGE.stopped, which tells a stop from a failure under\n"
      "mpirun, whose own exit status after Ctrl-C or SIGTERM is 1).");

  // Each add_*_command registers one subcommand (the last one added) and returns its runner.
  std::map<CLI::App*, Runner> runners;
  for (auto add : {add_extract_command, add_merge_command, add_tokenize_command,
                   add_train_command, add_predict_command, add_score_command,
                   add_checkpoint_command, add_analyze_command, add_export_command,
                   add_review_command,
                   add_index_command, add_search_command,
                   add_crawl_command, add_render_command}) {
    Runner run = add(app);
    CLI::App* sub = app.get_subcommands([](const CLI::App*) { return true; }).back();
    // Shown in the subcommand's --help; config_option_first hands its value to the app's.
    sub->add_option("--config")->description(config_help)->type_name("FILE");
    runners[sub] = std::move(run);
  }
  // Every --out names a folder (a run folder, or checkpoint's output folder): an existing
  // file there is a usage error, said before anything starts.
  for (const auto& [sub, run] : runners)
    if (CLI::Option* out = sub->get_option_no_throw("--out")) out->check(out_folder_check());
  return runners;
}

}  // namespace warcpairs::cli
