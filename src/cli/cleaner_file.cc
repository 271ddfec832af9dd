// The export cleaner file, parsed by toml++ like --config (toml_file.h).
#include "cleaner_file.h"

#include <algorithm>

#include <fmt/format.h>

#include "toml_file.h"

namespace warcpairs::cli {
namespace {

// A cleaner's value as text, as a command-line option would give it (arrays joined with
// commas); false for what no cleaner takes (tables, dates, nested arrays).
bool value_text(const toml::node& node, std::string& out) {
  if (const auto* s = node.as_string()) return out = s->get(), true;
  if (const auto* i = node.as_integer()) return out = std::to_string(i->get()), true;
  if (const auto* f = node.as_floating_point()) return out = fmt::format("{}", f->get()), true;
  if (const auto* b = node.as_boolean()) return out = b->get() ? "true" : "false", true;
  if (const auto* array = node.as_array()) {
    out.clear();
    for (const toml::node& item : *array) {
      std::string one;
      if (item.is_array() || !value_text(item, one)) return false;
      if (!out.empty()) out += ',';
      out += one;
    }
    return true;
  }
  return false;
}

}  // namespace

std::vector<stages::CleanerSpec> read_cleaner_file(const std::filesystem::path& path) {
  const TomlFile file(path.string(), "cleaner file");
  const toml::table* cleaners = nullptr;
  for (const auto& [key, node] : file.table()) {
    if (key.str() != "cleaners" || !node.is_table())
      file.fail(TomlFile::line_of(key), fmt::format("'{}' is outside the [cleaners] table", key.str()));
    cleaners = node.as_table();
  }
  std::vector<std::pair<int, stages::CleanerSpec>> lines;
  if (cleaners != nullptr) {
    for (const auto& [key, node] : *cleaners) {
      std::string value;
      if (!value_text(node, value))
        file.fail(TomlFile::line_of(key), "a cleaner takes a number, a boolean, a string or an array of them");
      lines.push_back({TomlFile::line_of(key), {std::string(key.str()), value}});
    }
  }
  // The chain runs in the file's order (toml++ keeps keys sorted by name).
  std::stable_sort(lines.begin(), lines.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
  std::vector<stages::CleanerSpec> out;
  for (auto& [line, spec] : lines) out.push_back(std::move(spec));
  return out;
}

}  // namespace warcpairs::cli
