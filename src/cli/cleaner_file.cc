// The export cleaner file, parsed with CLI11's TOML reader (the one the global --config uses).
#include "cleaner_file.h"

#include <fstream>

#include <CLI/CLI.hpp>

#include "warcpairs/core/error.h"

namespace warcpairs::cli {

std::vector<stages::CleanerSpec> read_cleaner_file(const std::filesystem::path& path) {
  std::ifstream in(path);
  if (!in) throw UsageError("cannot read the cleaner file " + path.string());
  std::vector<CLI::ConfigItem> items;
  try {
    items = CLI::ConfigTOML().from_config(in);
  } catch (const CLI::ParseError& e) {
    throw UsageError("cleaner file " + path.string() + ": " + e.what());
  }
  std::vector<stages::CleanerSpec> out;
  for (const auto& item : items) {
    if (item.name == "++" || item.name == "--") continue;  // CLI11's section markers
    if (item.parents != std::vector<std::string>{"cleaners"})
      throw UsageError("cleaner file " + path.string() + ": '" + item.fullname() +
                       "' is outside the [cleaners] table");
    std::string value;
    for (const auto& v : item.inputs) value += (value.empty() ? "" : ",") + v;
    out.push_back({item.name, value});
  }
  return out;
}

}  // namespace warcpairs::cli
