// write_search_results (search_output.h): CSV as RFC 4180 (fields with a comma, quote or line
// break quoted, quotes doubled), JSON lines through nlohmann::json.
#include "search_output.h"

#include <nlohmann/json.hpp>

#include "../common/run_options.h"

namespace warcpairs::stages {

namespace {

std::string csv_field(const std::string& s) {
  if (s.find_first_of(",\"\r\n") == std::string::npos) return s;
  std::string q = "\"";
  for (char c : s) q += c == '"' ? std::string("\"\"") : std::string(1, c);
  return q + "\"";
}

std::string number_or_empty(double v) {
  if (std::isnan(v)) return "";
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.6f", v);
  return buf;
}

}  // namespace

void write_search_results(const std::filesystem::path& dest, const std::vector<SearchResult>& rows) {
  std::string text;
  if (dest.extension() == ".csv") {
    text = "image_id,similarity,bm25,url,description\n";
    for (const auto& r : rows)
      text += std::to_string(r.image_id) + "," + number_or_empty(r.similarity) + "," +
              number_or_empty(r.bm25) + "," + csv_field(r.url) + "," + csv_field(r.description) + "\n";
  } else {
    for (const auto& r : rows) {
      nlohmann::json j = {{"image_id", r.image_id}, {"url", r.url}, {"description", r.description}};
      j["similarity"] = std::isnan(r.similarity) ? nlohmann::json() : nlohmann::json(r.similarity);
      j["bm25"] = std::isnan(r.bm25) ? nlohmann::json() : nlohmann::json(r.bm25);
      text += j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
    }
  }
  if (dest.has_parent_path()) std::filesystem::create_directories(dest.parent_path());
  write_atomically(dest, text);
}

}  // namespace warcpairs::stages
