// Rank 0's view of a running stage: one line every few seconds from the progress board —
// files, pages, images, MB/s, pages/s, ETA, skips. A live bar on a terminal; plain lines
// (no carriage returns) when stderr is a file, as in Slurm logs.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

#include "warcpairs/dist/progress_board.h"

namespace warcpairs::stages {

class ProgressReporter {
 public:
  // `total_files`/`total_bytes`: the work of this run (files already done excluded).
  // `interval_s` 0: a live bar every 0.5 s on a terminal, a line every 10 s otherwise.
  ProgressReporter(std::string stage, int64_t total_files, int64_t total_bytes, bool quiet,
                   double interval_s = 0);

  // Prints when `interval` has passed since the last line (or `force`).
  void maybe_print(const std::vector<dist::RankProgress>& ranks, bool force = false);
  // Ends a terminal bar with a newline.
  void finish();
  // Rank 0 after its own last work: keeps printing until every rank's slot says finished (a
  // collective would block it), then a last line and finish().
  void report_until_finished(const dist::ProgressBoard& board);

  // The line itself, for tests: sums the ranks' slots.
  std::string format(const std::vector<dist::RankProgress>& ranks, double elapsed_s) const;

 private:
  std::string stage_;
  int64_t total_files_, total_bytes_;
  bool quiet_, tty_;
  bool printed_bar_ = false;
  std::chrono::steady_clock::time_point start_, last_;
  std::chrono::milliseconds interval_;
};

}  // namespace warcpairs::stages
