// The --config TOML file: hoisted to where CLI11 reads it, and checked strictly first: parsed
// with toml++ (a full TOML v1.0 parser), then every section and key held against the
// subcommands and their options (inline tables, arrays of tables and dates are no option
// values, so they are refused).
#include "config_file.h"

#include <algorithm>
#include <cstdint>

#include "toml_file.h"

#include "warcpairs/core/error.h"

namespace warcpairs::cli {
namespace fs = std::filesystem;
namespace {

struct Entry {
  std::vector<std::string> path;  // section parts, then key parts
  int line = 0;
  bool section = false;  // a [section] header rather than a key
};

// Flattens the parsed document into sections and keys with their lines. What no option can
// take (inline tables, arrays of tables, dates and times) is refused here, with its line.
void flatten(const TomlFile& file, const toml::table& table, std::vector<std::string>& path,
             std::vector<Entry>& out) {
  for (const auto& [key, node] : table) {
    path.emplace_back(key.str());
    const int line = TomlFile::line_of(key);
    if (const toml::table* sub = node.as_table()) {
      if (sub->is_inline()) file.fail(line, "inline tables are not option values");
      out.push_back({path, line, true});
      flatten(file, *sub, path, out);
    } else if (const toml::array* array = node.as_array()) {
      if (array->is_array_of_tables()) file.fail(line, "arrays of tables ([[...]]) are not options");
      for (const toml::node& item : *array)
        if (!item.is_value()) file.fail(line, "an option's array holds plain values only");
      out.push_back({path, line, false});
    } else {
      if (node.is_date() || node.is_time() || node.is_date_time())
        file.fail(line, "dates and times are not option values (quote them)");
      out.push_back({path, line, false});
    }
    path.pop_back();
  }
}

// The file's sections and keys, in the file's order.
std::vector<Entry> toml_entries(const TomlFile& file) {
  std::vector<Entry> out;
  std::vector<std::string> path;
  flatten(file, file.table(), path, out);
  std::stable_sort(out.begin(), out.end(), [](const Entry& a, const Entry& b) { return a.line < b.line; });
  return out;
}

// The names a config key may use for the options of `sub` (CLI11's rule: a long name, a
// one-letter short name or a positional's name), without help and config themselves.
std::vector<std::string> key_names(const CLI::App& sub) {
  std::vector<std::string> names;
  for (const CLI::Option* opt : sub.get_options()) {
    if (!opt->get_configurable()) continue;
    for (const auto& n : opt->get_lnames())
      if (n != "help" && n != "config") names.push_back(n);
    if (opt->get_lnames().empty() && opt->get_snames().empty() && !opt->get_name().empty())
      names.push_back(opt->get_name());
  }
  return names;
}

std::string closest(const std::string& word, const std::vector<std::string>& names) {
  std::string best;
  std::size_t best_distance = SIZE_MAX;
  for (const auto& n : names)
    if (const auto d = edit_distance(word, n); d < best_distance) best_distance = d, best = n;
  return best;
}

std::string joined(const std::vector<std::string>& parts) {
  std::string out;
  for (const auto& p : parts) out += (out.empty() ? "" : ".") + p;
  return out;
}

const CLI::App* find_subcommand(const CLI::App& app, const std::string& name,
                                std::vector<std::string>& names) {
  const CLI::App* found = nullptr;
  for (const CLI::App* sub : app.get_subcommands([](const CLI::App*) { return true; })) {
    names.push_back(sub->get_name());
    if (sub->get_name() == name) found = sub;
  }
  return found;
}

void check_entry(const CLI::App& app, const Entry& e, const std::string& where) {
  std::vector<std::string> sections;
  const CLI::App* sub = find_subcommand(app, e.path[0], sections);
  if (sub == nullptr)
    throw UsageError(where + ": unknown section [" + e.path[0] + "]; the closest subcommand is [" +
                     closest(e.path[0], sections) + "] (sections are subcommand names)");
  if (e.section && e.path.size() > 1)
    throw UsageError(where + ": [" + joined(e.path) + "]: a subcommand's section has no subsections");
  if (e.section) return;
  const std::string key = joined({e.path.begin() + 1, e.path.end()});
  const auto names = key_names(*sub);
  if (std::find(names.begin(), names.end(), key) == names.end())
    throw UsageError(where + ": unknown key '" + key + "' in [" + e.path[0] +
                     "]; the closest option is '" + closest(key, names) + "' (`warcpairs " +
                     e.path[0] + " --help` lists them)");
}

}  // namespace

std::size_t edit_distance(std::string_view a, std::string_view b) {
  std::vector<std::size_t> row(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    std::size_t diagonal = row[0];
    row[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t up = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diagonal = up;
    }
  }
  return row[b.size()];
}

std::vector<std::string> config_option_first(int argc, char** argv, std::vector<fs::path>& files) {
  std::vector<std::string> rest, configs;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg == "--") {  // what follows is positional
      rest.insert(rest.end(), argv + i, argv + argc);
      break;
    }
    if (arg == "--config" && i + 1 < argc) {
      configs.push_back(argv[++i]);
    } else if (arg.rfind("--config=", 0) == 0) {
      configs.push_back(arg.substr(9));
    } else {
      rest.push_back(arg);
      continue;
    }
    files.emplace_back(configs.back());
  }
  std::vector<std::string> out{argv[0]};
  for (const auto& c : configs) out.insert(out.end(), {"--config", c});
  out.insert(out.end(), rest.begin(), rest.end());
  return out;
}

void check_config_file(const CLI::App& app, const fs::path& path) {
  std::error_code ec;
  if (!fs::is_regular_file(path, ec)) return;  // CLI11 says the file is missing
  for (const Entry& e : toml_entries(TomlFile(path.string(), "config file"))) {
    const std::string where = "config file " + path.string() + " line " + std::to_string(e.line);
    if (!e.section && e.path.size() == 1)
      throw UsageError(where + ": '" + e.path[0] +
                       "' is outside any section; options go under their subcommand, e.g. [extract]");
    check_entry(app, e, where);
  }
}

}  // namespace warcpairs::cli
