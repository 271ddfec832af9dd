// Stop flag set from signal handlers: only async-signal-safe work inside the handler.
#include "warcpairs/core/stop_signal.h"

#include <fcntl.h>
#include <unistd.h>

#include <csignal>
#include <cstdlib>
#include <cstring>

#include <atomic>

namespace warcpairs {
namespace {
std::atomic<int> g_stop{0};          // 0: run; -1: programmatic; else the signal number
std::atomic<int> g_interrupts{0};
// The marker's path, NUL-terminated; g_marker_set tells the handler it is complete.
char g_marker[4096];
std::atomic<bool> g_marker_set{false};

constexpr char kMarkerText[] =
    "stopped by a signal after saving progress: run the same command again to go on\n";

// Async-signal-safe: open, write, close.
void write_marker() {
  if (!g_marker_set.load()) return;
  const int fd = ::open(g_marker, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) return;
  [[maybe_unused]] const ssize_t n = ::write(fd, kMarkerText, sizeof kMarkerText - 1);
  ::close(fd);
}

void on_signal(int sig) {
  if (sig == SIGINT && g_interrupts.fetch_add(1) >= 1) std::_Exit(128 + SIGINT);
  int expected = 0;
  if (g_stop.compare_exchange_strong(expected, sig)) write_marker();
}
}  // namespace

void install_stop_handlers() {
  struct sigaction action {};
  action.sa_handler = on_signal;
  sigemptyset(&action.sa_mask);
  action.sa_flags = SA_RESTART;  // blocking reads resume; the loop polls the flag
  for (int sig : {SIGTERM, SIGUSR1, SIGINT}) sigaction(sig, &action, nullptr);
}

bool stop_requested() { return g_stop.load(std::memory_order_relaxed) != 0; }

int stop_signal() {
  int s = g_stop.load();
  return s > 0 ? s : 0;
}

void request_stop() {
  int expected = 0;
  if (g_stop.compare_exchange_strong(expected, -1)) write_marker();
}

void set_stop_marker(const std::filesystem::path& path) {
  g_marker_set = false;
  const std::string p = path.string();
  if (p.empty() || p.size() >= sizeof g_marker) return;
  std::memcpy(g_marker, p.c_str(), p.size() + 1);
  g_marker_set = true;
  if (stop_requested()) write_marker();
}

void clear_stop_marker() {
  if (g_marker_set.exchange(false)) ::unlink(g_marker);
}

void reset_stop() {
  g_stop = 0;
  g_interrupts = 0;
}

}  // namespace warcpairs
