// RUN/<stage>-options.json: the options that shape a stage's output (extract's
// --context-chars, ...), written once by the first run into a folder. A rerun with other values
// would mix outputs made two ways in one database without a trace, so it is refused unless the
// user accepts the mix explicitly; the stage then records the options per input file.
#pragma once

#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace warcpairs::dist {
class MpiSession;
}

namespace warcpairs::stages {

// Collective: runs `fn` on rank 0 only; a UsageError it throws is thrown on every rank, so all
// ranks exit 2 together, before any work (the options check, extract's plan).
void on_root_sharing_usage_error(const dist::MpiSession& session, const std::function<void()>& fn);

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
// `record` names the file, RUN/<record>-options.json (default: the stage); predict keeps one
// per model ("predict-<model hash>", the stem of that model's shards), score one per pair
// source.
RunOptionsCheck check_run_options(const std::filesystem::path& run_dir, const std::string& stage,
                                  const nlohmann::json& options, bool allow_mixed,
                                  const std::string& record = {});

// Once a run folder is mixed (this run mixed, or an earlier one started `path`), appends to the
// JSON-lines file `path` one line per unit of work this run sets out to do: `unit` (extract:
// {"file", "from_part"}; predict and score: {"first", "last"} of an id range) with "options"
// added, the options that unit's output was made with. A later line for the same unit
// supersedes an earlier one (an unfinished unit is planned again).
void record_mixed_units(const std::filesystem::path& path, const RunOptionsCheck& check,
                        const nlohmann::json& options,
                        const std::vector<nlohmann::json>& units);

}  // namespace warcpairs::stages
