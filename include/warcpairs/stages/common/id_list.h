// Image id lists, as `warcpairs search --dest` writes them, read by `export --ids` and
// `review --ids`: JSON lines with an "image_id" field, CSV whose header names an image_id
// column, or one integer per line. Bad lines are a UsageError naming the file and line.
#pragma once

#include <cstdint>
#include <filesystem>
#include <unordered_set>

namespace warcpairs::stages {

std::unordered_set<int64_t> read_id_list(const std::filesystem::path& path);

}  // namespace warcpairs::stages
