// RunLock (run_lock.h).
#include "run_lock.h"

#include <fcntl.h>
#include <spdlog/spdlog.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>

#include <fmt/chrono.h>

#include "warcpairs/core/error.h"
#include "warcpairs/dist/mpi_session.h"

namespace warcpairs::stages {
namespace fs = std::filesystem;

namespace {

std::string holder_of(int fd) {
  char text[256] = {};
  const ssize_t n = ::pread(fd, text, sizeof text - 1, 0);
  std::string s(text, n > 0 ? static_cast<std::size_t>(n) : 0);
  while (!s.empty() && (s.back() == '\n' || s.back() == '\0')) s.pop_back();
  return s.empty() ? "unknown" : s;
}

std::string this_job() {
  char host[256] = {};
  ::gethostname(host, sizeof host - 1);
  return fmt::format("pid {} on {} since {:%Y-%m-%dT%H:%M:%SZ}", ::getpid(), host,
                     fmt::gmtime(std::chrono::system_clock::to_time_t(std::chrono::system_clock::now())));
}

}  // namespace

RunLock::RunLock(const fs::path& run_dir, const std::string& stage) {
  fs::create_directories(run_dir);
  const fs::path path = run_dir / ("." + stage + ".lock");
  fd_ = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (fd_ < 0) throw Error(std::string("cannot create the lock file: ") + std::strerror(errno), path.string());
  if (::flock(fd_, LOCK_EX | LOCK_NB) == 0) {
    const std::string me = this_job() + "\n";
    if (::ftruncate(fd_, 0) != 0 || ::pwrite(fd_, me.data(), me.size(), 0) < 0)
      spdlog::warn("{}: could not record this job in the lock file", path.string());
    return;
  }
  const int err = errno;
  if (err == EWOULDBLOCK) {
    const std::string holder = holder_of(fd_);
    ::close(fd_);
    fd_ = -1;
    throw Error("another `warcpairs " + stage + "` is running on this run folder (" + holder +
                    "): wait for it to end, or give a different --out",
                path.string());
  }
  spdlog::warn("{}: this file system does not lock ({}): nothing stops a second {} job on the same "
               "run folder", path.string(), std::strerror(err), stage);
}

RunLock::~RunLock() {
  if (fd_ < 0) return;
  (void)!::ftruncate(fd_, 0);  // the next refusal must not name a job that has ended
  ::close(fd_);                // releases the flock
}

std::unique_ptr<RunLock> lock_run(const fs::path& run_dir, const std::string& stage,
                                  const dist::MpiSession& session) {
  std::unique_ptr<RunLock> lock;
  std::string refusal;
  if (session.is_root()) {
    try {
      lock = std::make_unique<RunLock>(run_dir, stage);
    } catch (const Error& e) {
      refusal = e.what();  // names the lock file
    }
  }
  refusal = session.broadcast(refusal);
  if (!refusal.empty()) throw Error(refusal);
  return lock;
}

}  // namespace warcpairs::stages
