// ProgressReporter: sums rank slots, estimates the remaining time from bytes read.
#include "warcpairs/stages/extract/progress_reporter.h"

#include <unistd.h>

#include <algorithm>
#include <cstdio>

#include <fmt/format.h>

namespace warcpairs::stages {
namespace {
std::string duration(double s) {
  if (s < 0 || s > 1e7) return "?";
  const auto t = static_cast<int64_t>(s + 0.5);
  if (t >= 3600) return fmt::format("{}h{:02}m", t / 3600, t % 3600 / 60);
  if (t >= 60) return fmt::format("{}m{:02}s", t / 60, t % 60);
  return fmt::format("{}s", t);
}
}  // namespace

ProgressReporter::ProgressReporter(std::string stage, int64_t total_files, int64_t total_bytes,
                                   bool quiet, double interval_s)
    : stage_(std::move(stage)),
      total_files_(total_files),
      total_bytes_(total_bytes),
      quiet_(quiet),
      tty_(isatty(STDERR_FILENO) == 1),
      start_(std::chrono::steady_clock::now()),
      last_(start_),
      // A terminal gets a live bar; a log file a line every 10 s (not thousands of lines).
      interval_(interval_s > 0 ? static_cast<int64_t>(interval_s * 1000) : tty_ ? 500 : 10000) {}

std::string ProgressReporter::format(const std::vector<dist::RankProgress>& ranks,
                                     double elapsed_s) const {
  dist::RankProgress sum;
  int64_t working = 0;
  for (const auto& r : ranks) {
    sum.files += r.files, sum.bytes += r.bytes, sum.records += r.records;
    sum.pages += r.pages, sum.images += r.images, sum.skips += r.skips;
    working += r.finished ? 0 : 1;
  }
  const double mb = static_cast<double>(sum.bytes) / 1e6;
  const double rate = elapsed_s > 0 ? mb / elapsed_s : 0;
  const double left_mb = static_cast<double>(total_bytes_ - sum.bytes) / 1e6;
  const double eta = rate > 0 ? left_mb / rate : -1;
  const double pct = total_bytes_ > 0 ? 100.0 * static_cast<double>(sum.bytes) / static_cast<double>(total_bytes_) : 100.0;
  return fmt::format(
      "{}: {:5.1f}% files {}/{} | {} pages {} images | {:.1f} MB/s {:.0f} pages/s | ETA {} | "
      "{} skipped | {} ranks working",
      stage_, pct > 100 ? 100.0 : pct, sum.files, total_files_, sum.pages, sum.images, rate,
      elapsed_s > 0 ? static_cast<double>(sum.pages) / elapsed_s : 0.0, duration(eta), sum.skips,
      working);
}

void ProgressReporter::maybe_print(const std::vector<dist::RankProgress>& ranks, bool force) {
  if (quiet_) return;
  const auto now = std::chrono::steady_clock::now();
  if (!force && now - last_ < interval_) return;
  last_ = now;
  const std::string line = format(ranks, std::chrono::duration<double>(now - start_).count());
  if (tty_) {
    std::fprintf(stderr, "\r\033[K%s", line.c_str());
    printed_bar_ = true;
  } else {
    std::fprintf(stderr, "%s\n", line.c_str());
  }
  std::fflush(stderr);
}

void ProgressReporter::finish() {
  if (printed_bar_) std::fprintf(stderr, "\n");
  printed_bar_ = false;
}

void ProgressReporter::report_until_finished(const dist::ProgressBoard& board) {
  for (;;) {
    const auto slots = board.read();
    if (std::all_of(slots.begin(), slots.end(), [](const auto& s) { return s.finished; })) break;
    maybe_print(slots);
    usleep(200 * 1000);
  }
  maybe_print(board.read(), true);
  finish();
}

}  // namespace warcpairs::stages
