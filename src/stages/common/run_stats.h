// RUN/<stage>-stats.json describes the run, all its attempts: a rerun that finds everything
// done, or a resume after a stop, must not replace the run's totals by its own. Each attempt
// appends its counts to RUN/logs/<stage>-attempts.jsonl; the stats file is made from them.
#pragma once

#include <filesystem>
#include <set>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace warcpairs::stages {

// Appends `attempt` (one JSON object) to RUN/logs/<stage>-attempts.jsonl and returns every
// attempt recorded there, this one last (a line that does not parse, e.g. cut by a full disk,
// is left out with a warning).
std::vector<nlohmann::json> append_attempt(const std::filesystem::path& run_dir,
                                           const std::string& stage, const nlohmann::json& attempt);

// The run's totals: of the attempts whose `group` field equals the last attempt's (predict: the
// same model; "" for all), numbers are summed and objects of numbers summed per key; strings,
// booleans and the `last_only` fields (what remains, what was found done) are the last
// attempt's. Adds "attempts" (how many were summed) and "last_attempt".
nlohmann::json sum_attempts(const std::vector<nlohmann::json>& attempts,
                            const std::set<std::string>& last_only, const std::string& group = {});

}  // namespace warcpairs::stages
