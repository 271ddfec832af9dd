// `warcpairs analyze`: one self-contained HTML report and a JSON summary of a run directory.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>

namespace warcpairs::stages {

struct AnalyzeConfig {
  std::filesystem::path run_dir;            // RUN: reads RUN/warcpairs.sqlite, RUN/images, RUN/model
  std::filesystem::path report_dir;         // default RUN/report
  std::optional<double> min_clip;           // marked on the CLIP histogram
  int grid = 8;                             // pairs per image grid (best, worst, random)
  int renders = 4;                          // crops of `warcpairs render` shown (the first by id)
  int top = 15;                             // groups shown per table (domains, languages, ...)
  std::string gnuplot = "gnuplot";          // the plotting program (PATH lookup)
};

struct AnalyzeResult {
  std::filesystem::path html, summary;
  int plots = 0;          // SVG plots drawn
  int images_inlined = 0; // pair images embedded from the tars
  int crops_shown = 0;    // render crops drawn with their token boxes
};

// Reads the run, draws the plots with gnuplot (throws Error when it is missing or fails),
// writes REPORT/index.html and REPORT/summary.json.
AnalyzeResult run_analyze(const AnalyzeConfig& config);

// Text for HTML element content and quoted attribute values (HTML Living Standard §13.1.2.3,
// §13.5 "escaping a string"): & < > " ' become character references; other bytes unchanged.
std::string html_escape(std::string_view text);

// The members named in `wanted` of a ustar archive (io::TarReader), name -> bytes. Members
// larger than `max_bytes` are left out. Damage (a wrong checksum, a member cut short) ends the
// scan: what came before it is returned. Throws Error when the file cannot be opened.
std::unordered_map<std::string, std::string> read_tar_members(
    const std::filesystem::path& tar, const std::unordered_set<std::string>& wanted,
    int64_t max_bytes = 16 << 20);

}  // namespace warcpairs::stages
