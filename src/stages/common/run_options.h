// RUN/<stage>-options.json: the options that shape a stage's output (extract's
// --context-chars, ...), written once by the first run into a folder. A rerun with other values
// would mix outputs made two ways in one database without a trace, so it is refused unless the
// user accepts the mix explicitly; the stage then records the options per input file.
#pragma once

#include <filesystem>
#include <string>

#include <nlohmann/json.hpp>

namespace warcpairs::stages {

// `text` into `path` through "<path>.tmp" and a rename: a reader sees the old or the new file.
void write_atomically(const std::filesystem::path& path, const std::string& text);

struct RunOptionsCheck {
  bool mixed = false;          // this run's options differ from the record (mix accepted)
  std::string differences;     // "--context-chars 500 → 100, ...": for the log
};

// Compares `options` (option name as on the command line → value) with RUN/<stage>-options.json
// and writes that file when it does not exist yet. Throws UsageError naming the first option
// that differs (recorded and given value) and how to go on, unless `allow_mixed`. An option
// present on one side only (a record from another build) counts as a difference.
RunOptionsCheck check_run_options(const std::filesystem::path& run_dir, const std::string& stage,
                                  const nlohmann::json& options, bool allow_mixed);

}  // namespace warcpairs::stages
