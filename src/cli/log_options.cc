// The log options and log set-up every subcommand shares, and how the MPI stages start.
#include <spdlog/sinks/basic_file_sink.h>
#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

#include <cstdlib>

#include "commands.h"
#include "warcpairs/core/stop_signal.h"
#include "warcpairs/dist/mpi_session.h"

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

std::unique_ptr<dist::MpiSession> start_mpi_stage(const LogOptions& log,
                                                  const std::filesystem::path& run_dir,
                                                  std::string_view stage) {
  install_stop_handlers();
  // Open MPI picks its UCX transport where it is built in, and UCX probes the machine's devices
  // at MPI_Init: ~0.2 s of a 2 s crawl here (`mpirun -np 2` of MPI_Init + MPI_Barrier: 0.39-0.61 s,
  // 0.19-0.30 s with ob1). These stages send small control messages (work lists, leases,
  // commits, totals), which ob1 (shared memory, TCP, the fabric's BTLs) carries as well; train's
  // gradient all-reduce keeps Open MPI's own choice. A pml the user set (mpirun --mca pml X,
  // OMPI_MCA_pml) wins: setenv does not overwrite it.
  if (stage != "train") setenv("OMPI_MCA_pml", "ob1", /*overwrite=*/0);
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

