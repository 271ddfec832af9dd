// The URLs a crawler follows from an HTML page: links (a, area, link rel=next, frames) and
// page requisites (images, stylesheets, scripts), resolved against the page's <base href>,
// with <meta name="robots" content="nofollow"> and rel="nofollow" honoured.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace warcpairs::html {

struct PageLinks {
  // Absolute URLs as resolved (not normalised), in document order, repeats kept.
  std::vector<std::string> links;     // a/area href (not rel=nofollow), link rel=next/prev, frame/iframe src
  std::vector<std::string> images;    // img src, data-src, srcset and picture source srcset, input type=image, link rel=icon
  std::vector<std::string> styles;    // link rel=stylesheet href, script src
  bool meta_nofollow = false;         // <meta name=robots content=nofollow|none>: links left empty
  int nofollow_links = 0;             // links left out for rel=nofollow
};

// One per thread: keeps its charset converters open between pages.
class LinkExtractor {
 public:
  LinkExtractor();
  ~LinkExtractor();
  LinkExtractor(const LinkExtractor&) = delete;
  LinkExtractor& operator=(const LinkExtractor&) = delete;

  // `html` in any charset (HTML Living Standard §13.2.3 detection with `content_type`).
  PageLinks extract(std::string_view html, std::string_view page_url, std::string_view content_type);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace warcpairs::html
