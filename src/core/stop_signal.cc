// Stop flag set from signal handlers: only async-signal-safe work inside the handler.
#include "warcpairs/core/stop_signal.h"

#include <csignal>
#include <cstdlib>

#include <atomic>

namespace warcpairs {
namespace {
std::atomic<int> g_stop{0};          // 0: run; -1: programmatic; else the signal number
std::atomic<int> g_interrupts{0};

void on_signal(int sig) {
  if (sig == SIGINT && g_interrupts.fetch_add(1) >= 1) std::_Exit(128 + SIGINT);
  int expected = 0;
  g_stop.compare_exchange_strong(expected, sig);
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
  g_stop.compare_exchange_strong(expected, -1);
}

void reset_stop() {
  g_stop = 0;
  g_interrupts = 0;
}

}  // namespace warcpairs
