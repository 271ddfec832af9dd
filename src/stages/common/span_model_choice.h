// Which span model's predictions a stage reads (score, export, review): the one asked for, or
// the only one in the database; "none" means alt texts only.
#pragma once

#include <string>
#include <vector>

namespace warcpairs::stages {

// `models`: the model versions in `predictions`, most rows first. Returns "" for alt texts
// only. Throws UsageError for a model not in the database, or for none asked while there are
// several (naming two of them).
std::string choose_span_model(const std::vector<std::string>& models, const std::string& wanted);

}  // namespace warcpairs::stages
