// The options record of a run folder (run_options.h).
#include "run_options.h"

#include <cerrno>
#include <cstring>
#include <fstream>
#include <vector>

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include "warcpairs/core/error.h"
#include "warcpairs/core/small_file.h"
#include "warcpairs/dist/mpi_session.h"

namespace warcpairs::stages {
namespace fs = std::filesystem;
using nlohmann::json;

void on_root_sharing_usage_error(const dist::MpiSession& session, const std::function<void()>& fn) {
  std::string message;
  if (session.is_root()) {
    try {
      fn();
    } catch (const UsageError& e) {
      message = e.what();
    }
  }
  message = session.broadcast(message);
  if (!message.empty()) throw UsageError(message);
}

void write_atomically(const fs::path& path, const std::string& text) {
  fs::path tmp = path;
  tmp += ".tmp";
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    out << text;
    out.flush();
    if (!out) throw Error(std::string("cannot write: ") + std::strerror(errno), tmp.string());
  }
  fs::rename(tmp, path);
}

namespace {

std::string shown(const json& value) {
  if (value.is_null()) return "(not recorded)";
  return value.is_string() ? value.get<std::string>() : value.dump();
}

// "--name OLD → NEW" for every option that differs, in the record's order then the new ones.
std::vector<std::string> differences(const json& recorded, const json& given) {
  std::vector<std::string> out;
  auto add = [&](const std::string& name, const json& before, const json& now) {
    out.push_back(fmt::format("--{} was {} in the earlier run, {} now", name, shown(before), shown(now)));
  };
  for (const auto& [name, before] : recorded.items()) {
    const json now = given.contains(name) ? given[name] : json();
    if (before != now) add(name, before, now);
  }
  for (const auto& [name, now] : given.items())
    if (!recorded.contains(name)) add(name, json(), now);
  return out;
}

}  // namespace

RunOptionsCheck check_run_options(const fs::path& run_dir, const std::string& stage,
                                  const json& options, bool allow_mixed, const std::string& record) {
  const fs::path path = run_dir / ((record.empty() ? stage : record) + "-options.json");
  std::error_code ec;
  if (!fs::exists(path, ec)) {
    write_atomically(path, options.dump(2) + "\n");
    return {};
  }
  json recorded;
  try {
    recorded = json::parse(read_small_file(path, "cannot read the options record"));
  } catch (const json::exception& e) {
    // The user's to fix, and a UsageError reaches every rank (extract shares it).
    throw UsageError(path.string() + " is not JSON (" + e.what() +
                     "): restore it, or delete it to record this run's options");
  }
  const auto diff = differences(recorded, options);
  if (diff.empty()) return {};
  std::string list;
  for (const auto& d : diff) list += (list.empty() ? "" : "; ") + d;
  if (!allow_mixed)
    throw UsageError(fmt::format(
        "{}: options that shape the output differ from the ones this run folder was made with "
        "({}): {}. Give a new --out for the new options, or add --allow-mixed-options to mix "
        "them into this run (the options of each file or id range are then recorded)",
        stage, path.string(), list));
  spdlog::warn("{}: --allow-mixed-options: {}", stage, list);
  return {true, list};
}

void record_mixed_units(const fs::path& path, const RunOptionsCheck& check, const json& options,
                        const std::vector<json>& units) {
  std::error_code ec;
  if (!check.mixed && !fs::exists(path, ec)) return;
  std::ofstream out(path, std::ios::app);
  for (json unit : units) {
    unit["options"] = options;
    out << unit.dump() << '\n';
  }
  out.flush();
  if (!out) throw Error("cannot write the per-unit options record", path.string());
}

}  // namespace warcpairs::stages
