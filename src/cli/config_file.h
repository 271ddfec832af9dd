// The --config TOML file: where it may stand on the command line, and a strict check of its
// syntax, sections and keys before CLI11 reads it (CLI11's reader passes over lines it cannot
// parse and keys it does not know, so a typo would silently not apply).
#pragma once

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include <CLI/CLI.hpp>

namespace warcpairs::cli {

// The command line with every `--config FILE` / `--config=FILE` moved right after the program
// name, where CLI11 reads it: `warcpairs extract --config x.toml` then means what
// `warcpairs --config x.toml extract` does. `files` receives the config files named.
std::vector<std::string> config_option_first(int argc, char** argv,
                                             std::vector<std::filesystem::path>& files);

// Throws UsageError naming the file and line for a syntax error (TOML v1.0, toml++: a key set
// twice is one too), a value no option takes (inline table, array of tables, date), a section that is no
// subcommand of `app` or a key that is no option of its subcommand, with the closest valid name.
// A file that does not exist is left to CLI11 (which reports it).
void check_config_file(const CLI::App& app, const std::filesystem::path& path);

// The number of single-character edits turning `a` into `b` (Levenshtein).
std::size_t edit_distance(std::string_view a, std::string_view b);

}  // namespace warcpairs::cli
