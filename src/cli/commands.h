// The subcommands of the warcpairs binary: each registers its options on the app and
// returns the function that runs it once the command line is parsed.
#pragma once

#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <string_view>

#include <CLI/CLI.hpp>

namespace warcpairs::dist {
class MpiSession;
}

namespace warcpairs::cli {

using Runner = std::function<int()>;  // returns the process exit code

// Sets up `app` as the warcpairs command (global options, examples, --config read as TOML
// with unknown keys refused) and registers every subcommand; returns each one's runner.
std::map<CLI::App*, Runner> add_commands(CLI::App& app);

Runner add_extract_command(CLI::App& app);
Runner add_merge_command(CLI::App& app);
Runner add_tokenize_command(CLI::App& app);
Runner add_train_command(CLI::App& app);
Runner add_predict_command(CLI::App& app);
Runner add_score_command(CLI::App& app);
Runner add_checkpoint_command(CLI::App& app);
Runner add_analyze_command(CLI::App& app);
Runner add_export_command(CLI::App& app);
Runner add_review_command(CLI::App& app);
Runner add_crawl_command(CLI::App& app);
Runner add_index_command(CLI::App& app);
Runner add_search_command(CLI::App& app);  // search (issue 21)
Runner add_render_command(CLI::App& app);  // render (issue 19)

// Whether the parsed command runs the span model or CLIP (train, predict, extract --model,
// score --clip).
bool needs_model(const CLI::App& app);
// Replaces this process with warcpairs-torch (beside this binary) and the same arguments;
// returns in a build without the model layer; exits 1 naming the path when the build has it
// but the file is not beside this binary.
void run_torch_binary(char** argv);

// Log level and format shared by every subcommand; `rank` prefixes each line under MPI.
struct LogOptions {
  std::string level = "info";
  bool quiet = false;
};
void add_log_options(CLI::App& command, LogOptions& options);
// One process: plain lines on stderr. Under MPI (size > 1) each line names the rank, ranks
// other than 0 print only warnings on stderr, and every rank writes all its lines to
// `rank_log` (created with its folder) when given.
void configure_logging(const LogOptions& options, int rank = 0, int size = 1,
                       const std::filesystem::path& rank_log = {});

// How the MPI stages (extract, train, predict, score) start: stop-signal handlers, then MPI,
// then logging with each rank's lines also in <run_dir>/logs/<stage>.rank<N>.log.
std::unique_ptr<dist::MpiSession> start_mpi_stage(const LogOptions& log,
                                                  const std::filesystem::path& run_dir,
                                                  std::string_view stage);

}  // namespace warcpairs::cli
