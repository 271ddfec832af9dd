// The hand-off from warcpairs to warcpairs-torch: the commands that run the span model or CLIP
// are executed by the binary that links LibTorch, so every other command starts without
// loading it (src/cli/CMakeLists.txt says why).
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>

#include "commands.h"
#include "warcpairs/core/error.h"

namespace warcpairs::cli {

bool needs_model(const CLI::App& app) {
  for (const CLI::App* sub : app.get_subcommands()) {
    const std::string name = sub->get_name();
    if (name == "train" || name == "predict") return true;
    // Options read from --config count as given too (CLI11 records them as results).
    if (name == "extract") return sub->get_option("--model")->count() > 0;
    if (name == "score") return sub->get_option("--clip")->count() > 0;
    if (name == "search")  // CLIP embeds the query
      return sub->get_option("--text")->count() > 0 || sub->get_option("--image")->count() > 0;
  }
  return false;
}

void run_torch_binary(char** argv) {
  std::error_code ec;
  const std::filesystem::path self = std::filesystem::read_symlink("/proc/self/exe", ec);
  if (ec) return;
  const std::filesystem::path torch = self.parent_path() / "warcpairs-torch";
#ifndef WARCPAIRS_TORCH_BINARY
  return;  // a build without the model layer: the command says so itself
#endif
  if (::access(torch.c_str(), X_OK) != 0) {
    // Built, but not installed beside this binary (e.g. only warcpairs was copied).
    const int why = errno;
    std::fprintf(stderr,
                 "warcpairs: this command runs the model in warcpairs-torch, which must be beside %s: "
                 "%s: %s; install or copy both binaries into the same folder\n",
                 self.c_str(), torch.c_str(), why == ENOENT ? "not found" : std::strerror(why));
    std::exit(kExitFailed);
  }
  // Before MPI_Init and before any file is opened: under mpirun each rank becomes a
  // warcpairs-torch process with the same arguments and environment.
  ::execv(torch.c_str(), argv);
  spdlog::error("cannot run {}: {}", torch.string(), std::strerror(errno));
  std::exit(kExitFailed);
}

}  // namespace warcpairs::cli
