// One archived page rendered in headless Chromium: replayed from the archive alone, its visible
// text tokenized with WordPiece, a box and a visibility verdict per token, and the crops.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "warcpairs/cdp/browser.h"
#include "warcpairs/render/archive.h"
#include "warcpairs/render/crops.h"
#include "warcpairs/render/replay.h"
#include "warcpairs/text/wordpiece.h"

namespace warcpairs::render {

struct RenderOptions {
  int viewport_width = 1280;
  int viewport_height = 1024;
  double device_scale_factor = 1.0;
  int page_timeout_ms = 20000;  // navigation to the end of the load event
  int settle_ms = 100;          // after load, for late layout
  bool javascript = true;       // the page's own scripts
  int restart_after_pages = 200;
  bool pixel_check = false;     // two more viewport screenshots a page (pixel_check.h)
  // A new tab (target) for every page instead of navigating one tab from page to page, and a
  // renderer process per site (cdp::BrowserOptions::one_renderer off): nothing at all is
  // shared between pages, at about 1.3-2x Chromium's CPU a page (BENCHMARKS.md, render).
  bool isolate_pages = false;
  CropCriteria crops;
};

struct PageToken {
  int32_t id = 0;
  int32_t start = 0, end = 0;  // code points in the page text
  std::vector<Box> boxes;      // viewport coordinates, CSS px
  bool visible = false;
  std::string hidden_by;       // "" when visible, else the first check failed
  int32_t font = -1;           // index into RenderedPage::fonts
};

struct Crop {
  Box region;                 // viewport coordinates
  std::string png;            // Page.captureScreenshot of the region
  std::vector<int32_t> tokens;  // indices into RenderedPage::tokens with a box in the region
  int32_t visible_tokens = 0;   // visible and wholly inside
};

struct RenderedPage {
  std::string url;
  int status = 0;             // the archived status of the main document
  std::string text;           // the page text the tokens index into
  std::vector<PageToken> tokens;
  std::vector<std::string> fonts;  // computed font-family values of the tokens' elements
  std::vector<Crop> crops;
  ReplayCounts replay;
  std::vector<std::string> failed_urls;  // requests failed for want of an archived response
  double seconds = 0;         // wall time of the page
  double browser_seconds = 0;  // of which waiting for the browser: the sum of phases
  // Waiting for the browser by phase: target (create, attach, close), load (navigation to the
  // load event, settle, fonts), text_nodes, boxes (the checks), pixel_check, screenshots.
  std::map<std::string, double> phases;
  void add_phase(const std::string& name, double seconds) {
    phases[name] += seconds;
    browser_seconds += seconds;
  }
};

// Why a page gave no render; failures are counted by this token.
struct PageFailure {
  std::string reason;  // "not_archived", "navigation_failed", "timeout", "browser_crashed", ...
  std::string detail;
};

class PageRenderer {
 public:
  PageRenderer(cdp::BrowserOptions browser, ArchiveLookup& archive, const text::WordPiece& wordpiece,
               RenderOptions options);
  ~PageRenderer();

  // Renders `url`; on failure fills `failure` and returns false. A hang or crash restarts the
  // browser before returning; so does every restart_after_pages-th page. A page that fails in
  // the kept tab for another reason (what an earlier page left behind must not be the cause)
  // is tried once more in a new tab.
  bool render(const std::string& url, RenderedPage& out, PageFailure& failure);

  uint64_t browser_starts() const { return starts_; }
  std::string browser_version() const { return version_; }
  const RenderOptions& options() const { return options_; }

 private:
  void start_browser();
  // One attempt in the kept tab (or a new one); false with `failure` set when the page failed.
  bool attempt(const std::string& url, RenderedPage& out, PageFailure& failure);
  void render_in_session(const std::string& session, const std::string& url, RenderedPage& out);
  cdp::Json evaluate(const std::string& session, const std::string& expression, bool await = false);
  void check_pixels(const std::string& session, RenderedPage& out);

  cdp::BrowserOptions browser_options_;
  ArchiveLookup& archive_;
  const text::WordPiece& wordpiece_;
  RenderOptions options_;
  std::unique_ptr<cdp::Browser> browser_;
  std::unique_ptr<Replay> replay_;
  uint64_t starts_ = 0;
  int pages_since_start_ = 0;
  // The tab pages are rendered in while isolate_pages is off; empty: open a new one.
  std::string target_, session_;
  int context_id_ = 0;  // the isolated world of the current page's scripts (0: none yet)
  std::string version_;
};

}  // namespace warcpairs::render
