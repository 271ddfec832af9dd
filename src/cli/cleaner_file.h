// The cleaner file of `warcpairs export --cleaners FILE`, read here so that the export stage
// gets a plain list (configuration is read once, in cli/).
#pragma once

#include <filesystem>
#include <vector>

#include "warcpairs/stages/export/export.h"

namespace warcpairs::cli {

// A [cleaners] table of `name = value` lines (TOML, toml++), in file order (values: numbers, booleans,
// strings, arrays of strings, joined with commas). Throws UsageError for an unreadable file,
// malformed TOML or a line outside the table; the names and values are checked by the stage.
std::vector<stages::CleanerSpec> read_cleaner_file(const std::filesystem::path& path);

}  // namespace warcpairs::cli
