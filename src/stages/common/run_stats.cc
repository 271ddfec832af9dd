// A stage's stats over all the attempts of a run (run_stats.h).
#include "run_stats.h"

#include <fstream>

#include <spdlog/spdlog.h>

#include "warcpairs/core/error.h"

namespace warcpairs::stages {
namespace fs = std::filesystem;
using nlohmann::json;

std::vector<json> append_attempt(const fs::path& run_dir, const std::string& stage,
                                 const json& attempt) {
  const fs::path log = run_dir / "logs" / (stage + "-attempts.jsonl");
  fs::create_directories(log.parent_path());
  {
    // A line cut by a full disk or a kill has no newline: start on a line of our own.
    bool cut = false;
    if (std::ifstream in(log, std::ios::binary | std::ios::ate); in && in.tellg() > 0) {
      in.seekg(-1, std::ios::end);
      cut = in.get() != '\n';
    }
    std::ofstream out(log, std::ios::app);
    out << (cut ? "\n" : "") << attempt.dump() << '\n';
    out.flush();
    if (!out) throw Error("cannot append the attempt's stats", log.string());
  }
  std::vector<json> all;
  std::ifstream in(log);
  for (std::string line; std::getline(in, line);) {
    if (line.empty()) continue;
    json j = json::parse(line, nullptr, false);
    if (j.is_object())
      all.push_back(std::move(j));
    else
      spdlog::warn("{}: an attempt line that does not parse is left out of the totals", log.string());
  }
  return all;
}

namespace {

// `into` += `add` for numbers, recursively for objects (e.g. failures by reason).
void add_numbers(json& into, const json& add) {
  for (const auto& [key, value] : add.items()) {
    if (value.is_number_integer() && (!into.contains(key) || into[key].is_number_integer()))
      into[key] = into.value(key, int64_t{0}) + value.get<int64_t>();
    else if (value.is_number())
      into[key] = (into.contains(key) && into[key].is_number() ? into[key].get<double>() : 0.0) +
                  value.get<double>();
    else if (value.is_object()) {
      if (!into.contains(key) || !into[key].is_object()) into[key] = json::object();
      add_numbers(into[key], value);
    }
  }
}

}  // namespace

json sum_attempts(const std::vector<json>& attempts, const std::set<std::string>& last_only,
                  const std::string& group) {
  if (attempts.empty()) return json::object();
  const json& last = attempts.back();
  json totals = json::object();
  int64_t summed = 0;
  for (const json& a : attempts) {
    if (!group.empty() && a.value(group, json()) != last.value(group, json())) continue;
    add_numbers(totals, a);
    ++summed;
  }
  for (const auto& [key, value] : last.items())
    if (last_only.count(key) || !(value.is_number() || value.is_object())) totals[key] = value;
  totals["attempts"] = summed;
  totals["last_attempt"] = last;
  return totals;
}

}  // namespace warcpairs::stages
