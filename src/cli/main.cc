// warcpairs: one binary, one subcommand per stage. Options → stage call, nothing more.
#include <spdlog/spdlog.h>

#include <iostream>

#include "commands.h"
#include "config_file.h"
#include "warcpairs/core/error.h"
#include "warcpairs/core/stop_signal.h"
#include "warcpairs/stages/common/span_predictor.h"

int main(int argc, char** argv) {
  using namespace warcpairs;
  CLI::App app{"warcpairs: mine image-description pairs from web archives (WARC files)",
               "warcpairs"};
  const auto runners = cli::add_commands(app);

  std::vector<std::filesystem::path> config_files;
  std::vector<std::string> args = cli::config_option_first(argc, argv, config_files);
  std::vector<char*> arg_ptrs;
  for (auto& a : args) arg_ptrs.push_back(a.data());
  try {
    for (const auto& file : config_files) cli::check_config_file(app, file);
    app.parse(static_cast<int>(arg_ptrs.size()), arg_ptrs.data());
  } catch (const UsageError& e) {
    std::cerr << e.what() << "\nRun with --help for more information.\n";
    return kExitUsage;
  } catch (const CLI::Success& e) {
    return app.exit(e);  // --help, --version
  } catch (const CLI::ParseError& e) {
    app.exit(e);  // prints the message and a pointer to --help
    return kExitUsage;
  }

  // This binary does not load LibTorch; the one that does takes over model commands.
  if (cli::needs_model(app) && !stages::model_layer_linked()) cli::run_torch_binary(argv);

  try {
    for (auto* sub : app.get_subcommands()) {
      const int rc = runners.at(sub)();
      if (rc == kExitOk) clear_stop_marker();  // done: nothing to resume
      return rc;
    }
  } catch (const UsageError& e) {
    spdlog::error("{}", e.what());
    return kExitUsage;
  } catch (const std::exception& e) {
    spdlog::error("{}", e.what());
    return kExitFailed;
  }
  return kExitFailed;
}
