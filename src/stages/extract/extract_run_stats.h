// RUN/extract-stats.json describes the run, all its attempts: a rerun that finds everything
// done, or a resume after a stop, must not replace the run's totals by its own.
#pragma once

#include <filesystem>

#include "warcpairs/stages/extract/extract.h"

namespace warcpairs::stages {

// Rank 0, at the end of an attempt: appends `attempt` to RUN/logs/extract-attempts.jsonl and
// rewrites RUN/extract-stats.json (atomically) as the run's totals with `attempt` under
// "last_attempt" and the number of attempts under "attempts". Of the totals, files, records,
// pages, images and files_unreadable come from the shard ledger (each file's latest committed
// part holds its counts so far), so they equal what merge puts into the database however often
// a file was resumed; bytes, predictions, skips, notes and seconds are summed over the recorded
// attempts; files_resumed too; files_stopped and files_left (work that remains) and
// files_already_done are the last attempt's.
void write_extract_run_stats(const std::filesystem::path& run_dir, const ExtractTotals& attempt);

}  // namespace warcpairs::stages
