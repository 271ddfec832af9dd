// read_id_list (id_list.h). CSV: only the image_id column is read, so a quoted description
// with commas in a later column does not matter; a description with a line break does, and is
// skipped as a continuation line only when it does not start with a digit (search writes the
// id first, so its own lists always read back).
#include "warcpairs/stages/common/id_list.h"

#include <fstream>
#include <nlohmann/json.hpp>
#include <string>

#include "warcpairs/core/error.h"

namespace warcpairs::stages {

namespace {

bool parse_id(const std::string& s, int64_t& out) {
  if (s.empty() || s.size() > 18 || s.find_first_not_of("0123456789") != std::string::npos) return false;
  out = std::stoll(s);
  return true;
}

}  // namespace

std::unordered_set<int64_t> read_id_list(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw UsageError("--ids " + path.string() + ": cannot be read");
  std::unordered_set<int64_t> ids;
  std::string line;
  int64_t n = 0;
  int csv_column = -1;  // the image_id column of a CSV file
  auto bad = [&](const std::string& why) {
    throw UsageError("--ids " + path.string() + " line " + std::to_string(n) + ": " + why +
                     " (JSON lines with \"image_id\", a CSV with an image_id column, or one id per line)");
  };
  while (std::getline(in, line)) {
    ++n;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.find_first_not_of(" \t") == std::string::npos) continue;
    int64_t id = 0;
    if (line[0] == '{') {
      const auto j = nlohmann::json::parse(line, nullptr, false);
      if (j.is_discarded() || !j.contains("image_id") || !j["image_id"].is_number_integer())
        bad("a JSON line without an integer image_id");
      ids.insert(j["image_id"].get<int64_t>());
      continue;
    }
    if (n == 1 && line.find("image_id") != std::string::npos) {  // a CSV header
      csv_column = 0;
      std::size_t at = 0;
      for (;;) {
        const std::size_t next = line.find(',', at);
        if (line.compare(at, next == std::string::npos ? std::string::npos : next - at, "image_id") == 0) break;
        if (next == std::string::npos) bad("no image_id column in the header");
        at = next + 1, ++csv_column;
      }
      continue;
    }
    std::string field = line;
    if (csv_column >= 0) {
      std::size_t at = 0;
      for (int c = 0; c < csv_column && at != std::string::npos; ++c) {
        at = line.find(',', at);
        if (at != std::string::npos) ++at;
      }
      if (at == std::string::npos) bad("fewer columns than the header");
      field = line.substr(at, line.find(',', at) - at);
    }
    if (!parse_id(field, id)) {
      if (csv_column >= 0 && (field.empty() || field[0] < '0' || field[0] > '9')) continue;  // see above
      bad("\"" + field.substr(0, 40) + "\" is not an image id");
    }
    ids.insert(id);
  }
  return ids;
}

}  // namespace warcpairs::stages
