// warcpairs: one binary, one subcommand per stage. Options → stage call, nothing more.
#include <spdlog/sinks/basic_file_sink.h>
#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

#include <iostream>
#include <map>

#include "commands.h"
#include "warcpairs/core/error.h"
#include "warcpairs/core/stop_signal.h"
#include "warcpairs/dist/mpi_session.h"
#include "warcpairs/stages/common/span_predictor.h"

namespace warcpairs::cli {

void add_log_options(CLI::App& command, LogOptions& options) {
  command.add_option("--log-level", options.level, "trace, debug, info, warn, error")
      ->check(CLI::IsMember({"trace", "debug", "info", "warn", "error"}))
      ->capture_default_str();
  command.add_flag("-q,--quiet", options.quiet, "Only warnings and errors");
}

void configure_logging(const LogOptions& options, int rank, int size,
                       const std::filesystem::path& rank_log) {
  const auto level = spdlog::level::from_str(options.quiet ? "warn" : options.level);
  // Plain lines (no colours, no carriage returns), so Slurm logs stay readable.
  auto to_stderr = std::make_shared<spdlog::sinks::stderr_sink_mt>();
  to_stderr->set_level(rank == 0 ? level : std::max(level, spdlog::level::warn));
  std::vector<spdlog::sink_ptr> sinks{to_stderr};
  if (!rank_log.empty()) {
    std::filesystem::create_directories(rank_log.parent_path());
    auto to_file = std::make_shared<spdlog::sinks::basic_file_sink_mt>(rank_log.string());
    to_file->set_level(std::min(level, spdlog::level::info));
    sinks.push_back(to_file);
  }
  auto logger = std::make_shared<spdlog::logger>("warcpairs", sinks.begin(), sinks.end());
  logger->set_level(std::min(level, spdlog::level::info));
  logger->set_pattern(size > 1 ? fmt::format("[%Y-%m-%d %H:%M:%S.%e] [%l] [rank {}] %v", rank)
                               : "[%Y-%m-%d %H:%M:%S.%e] [%l] %v");
  logger->flush_on(spdlog::level::info);  // a killed rank's log ends with what it was doing
  spdlog::set_default_logger(logger);
}

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

std::unique_ptr<dist::MpiSession> start_mpi_stage(const LogOptions& log,
                                                  const std::filesystem::path& run_dir,
                                                  std::string_view stage) {
  install_stop_handlers();
  auto session = std::make_unique<dist::MpiSession>(nullptr, nullptr);
  configure_logging(log, session->rank(), session->size(),
                    run_dir / "logs" / fmt::format("{}.rank{}.log", stage, session->rank()));
  // RUN/STAGE.stopped: written when a stop signal arrives, removed when the stage finishes
  // (main); one left from an earlier stop is removed now.
  const auto marker = run_dir / fmt::format("{}.stopped", stage);
  std::error_code ec;
  if (session->is_root()) std::filesystem::remove(marker, ec);
  set_stop_marker(marker);
  return session;
}

}  // namespace warcpairs::cli

int main(int argc, char** argv) {
  using namespace warcpairs;
  CLI::App app{"warcpairs: mine image-description pairs from web archives (WARC files)",
               "warcpairs"};
  app.require_subcommand(1);
  app.set_config("--config", "", "Read options from a TOML file (one [section] per subcommand: [extract], [merge], [score], ...)");
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
  std::map<CLI::App*, cli::Runner> runners;
  for (auto add : {cli::add_extract_command, cli::add_merge_command, cli::add_tokenize_command,
                   cli::add_train_command, cli::add_predict_command, cli::add_score_command,
                   cli::add_checkpoint_command, cli::add_analyze_command, cli::add_export_command,
                   cli::add_review_command}) {
    cli::Runner run = add(app);
    runners[app.get_subcommands([](const CLI::App*) { return true; }).back()] = std::move(run);
  }
  // Every --out names a folder (a run folder, or checkpoint's output folder): an existing
  // file there is a usage error, said before anything starts.
  for (const auto& [sub, run] : runners)
    if (CLI::Option* out = sub->get_option_no_throw("--out")) out->check(cli::out_folder_check());

  try {
    app.parse(argc, argv);
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
