// The subcommands of the warcpairs binary: each registers its options on the app and
// returns the function that runs it once the command line is parsed.
#pragma once

#include <functional>

#include <CLI/CLI.hpp>

namespace warcpairs::cli {

using Runner = std::function<int()>;  // returns the process exit code

Runner add_extract_command(CLI::App& app);
Runner add_merge_command(CLI::App& app);

// Log level and format shared by every subcommand; `rank` prefixes each line under MPI.
struct LogOptions {
  std::string level = "info";
  bool quiet = false;
};
void add_log_options(CLI::App& command, LogOptions& options);
void configure_logging(const LogOptions& options, int rank = -1);

}  // namespace warcpairs::cli
