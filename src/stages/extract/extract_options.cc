// extract's output-shaping options and their record (extract_options.h).
#include "extract_options.h"

#include <cmath>

#include "../common/run_options.h"
#include "warcpairs/core/error.h"

namespace warcpairs::stages {
namespace fs = std::filesystem;
using nlohmann::json;

namespace {

// A cap as the command line takes it: MB, a whole number when it is one.
json megabytes(uint64_t bytes) {
  const double mb = static_cast<double>(bytes) / (1024.0 * 1024.0);
  if (mb == std::floor(mb)) return static_cast<int64_t>(mb);
  return mb;
}

}  // namespace

json extract_output_options(const ExtractConfig& config) {
  json o = json::object();
  o["context-chars"] = config.context_chars;
  o["context-from"] = config.context_from == html::ContextFrom::kMain ? "main" : "all";
  o["page-text"] = config.page_text == html::PageText::kMain  ? "main"
                   : config.page_text == html::PageText::kAll ? "all"
                                                              : "none";
  o["language-id"] = config.language_id;
  o["max-record-mb"] = megabytes(config.limits.max_record_bytes);
  o["max-payload-mb"] = megabytes(config.limits.max_payload_bytes);
  o["max-html-mb"] = megabytes(config.limits.max_html_bytes);
  return o;
}

void record_extract_options(const ExtractConfig& config, const std::vector<FileTask>& tasks) {
  const json options = extract_output_options(config);
  const RunOptionsCheck check =
      check_run_options(config.run_dir, "extract", options, config.allow_mixed_options);
  std::vector<json> files;
  for (const auto& task : tasks) files.push_back({{"file", task.path}, {"from_part", task.committed.next_part()}});
  record_mixed_units(config.run_dir / "extract-file-options.jsonl", check, options, files);
}

}  // namespace warcpairs::stages
