// The render stage: every HTML page of the WARC files rendered in headless Chromium from the
// archive alone → shards of pages, crops (PNG) and the box of every WordPiece token
// (DESIGN.md, "render"; README.md, "Render").
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "warcpairs/core/limits.h"
#include "warcpairs/render/page_renderer.h"

namespace warcpairs::dist {
class MpiSession;
}

namespace warcpairs::stages {

struct RenderConfig {
  std::filesystem::path run_dir;         // shards go to RUN/shards
  std::vector<std::string> inputs;       // WARC files, folders, globs, @list.txt
  std::filesystem::path vocab;           // WordPiece vocab.txt (bert-base-uncased)
  // A `warcpairs index --out DIR` folder whose index.cdxj covers the inputs and their
  // requisites; empty: each rank indexes the inputs in memory.
  std::filesystem::path index_dir;
  std::string chromium = "chromium";
  bool no_sandbox = false;               // chromium's sandbox off (needed as root)
  render::RenderOptions options;         // viewport, timeouts, restarts, crop criteria
  int pages_per_part = 25;               // a kill loses at most one part's renders
  Limits limits;
  bool quiet = false;
  double progress_seconds = 0;
};

struct RenderTotals {
  uint64_t files = 0, files_already_done = 0, files_resumed = 0, files_stopped = 0, files_left = 0;
  uint64_t pages = 0;          // HTML pages met (2xx) in this attempt
  uint64_t rendered = 0;       // of which rendered
  uint64_t crops = 0, tokens = 0, visible_tokens = 0, token_boxes = 0;
  uint64_t requests = 0, fulfilled = 0, failed_requests = 0;
  uint64_t browser_starts = 0;
  std::map<std::string, uint64_t> failures;  // pages without a render, by reason
  std::map<std::string, uint64_t> skips;     // bad records, by reason
  uint64_t archive_urls = 0;   // captures the CDXJ index holds
  double seconds = 0, browser_seconds = 0, page_seconds = 0, index_seconds = 0, cpu_seconds = 0;
  double browser_cpu_seconds = 0;
  std::map<std::string, double> phase_seconds;  // browser_seconds by phase (page_renderer.h)  // of the Chromium processes the ranks started and reaped
  int64_t peak_rss_kb = 0;     // of the rank process (max over ranks), without the browser
  bool stopped() const { return files_stopped + files_left > 0; }
  void add(const RenderTotals& o);
  std::string to_json() const;
  static RenderTotals from_json(const std::string& text);
};

// Collective. Rank 0 takes RUN/.render.lock, plans the files not done, ranks take files
// dynamically; each file's pages go into parts of pages_per_part pages
// (render-<file>-<hash>.pNNNNN[.last].h5), so a rerun resumes after the last committed part.
RenderTotals run_render(const RenderConfig& config, const dist::MpiSession& session);

}  // namespace warcpairs::stages
