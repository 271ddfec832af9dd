// Replay from the archive only: every request a page makes arrives as Fetch.requestPaused
// (Fetch.enable with pattern "*") and is answered by Fetch.fulfillRequest from the archive or
// failed at once by Fetch.failRequest; nothing is let through to the network.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "warcpairs/cdp/browser.h"
#include "warcpairs/render/archive.h"

namespace warcpairs::render {

struct ReplayCounts {
  uint64_t requested = 0;   // Fetch.requestPaused events
  uint64_t fulfilled = 0;   // answered from the archive
  uint64_t failed = 0;      // not in the archive (or not a replayable URL): failed at once
  uint64_t revisits = 0;    // of fulfilled, reached through a revisit record
  uint64_t body_bytes = 0;  // bytes handed to the browser
  void add(const ReplayCounts& o) {
    requested += o.requested, fulfilled += o.fulfilled, failed += o.failed;
    revisits += o.revisits, body_bytes += o.body_bytes;
  }
};

class Replay {
 public:
  Replay(cdp::Browser& browser, ArchiveLookup& archive) : browser_(browser), archive_(archive) {}
  // Turns interception on for one page session.
  void enable(const std::string& session);
  // Handles a Fetch.requestPaused event (others are ignored); true when it was one.
  bool on_event(const cdp::Json& event);
  const ReplayCounts& counts() const { return counts_; }
  void reset() { counts_ = {}, failed_urls_.clear(); }
  // The URLs failed since reset(), the first kMaxFailedUrls of them (for logs and tests).
  static constexpr std::size_t kMaxFailedUrls = 32;
  const std::vector<std::string>& failed_urls() const { return failed_urls_; }
  // The URL of the main document's archived response: its status (0 when not archived).
  int main_status() const { return main_status_; }
  void expect_main(std::string url) { main_url_ = std::move(url), main_status_ = 0; }

 private:
  cdp::Browser& browser_;
  ArchiveLookup& archive_;
  ReplayCounts counts_;
  std::vector<std::string> failed_urls_;
  std::string main_url_;
  int main_status_ = 0;
};

std::string base64_encode(std::string_view bytes);
std::string base64_decode(std::string_view text);  // throws Error on bad input

}  // namespace warcpairs::render
