// HTML page → image occurrences with their contexts, via libxml2's streaming SAX parser.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "warcpairs/core/limits.h"
#include "warcpairs/core/records.h"

namespace warcpairs::html {

struct ExtractOptions {
  int32_t context_chars = 500;   // visible text kept on each side of the image (code points)
  std::size_t max_html_bytes = Limits{}.max_html_bytes;
  std::size_t max_images_per_page = Limits{}.max_images_per_page;
};

// What one page yields. Reused between pages: extract() clears it first.
struct PageExtraction {
  std::string charset;    // charset the bytes were decoded from (WHATWG name, lower case)
  std::string language;   // <html lang>, lower case
  std::string title;      // normalised <title>
  std::vector<ImageRecord> images;  // page_row unset; index = order among stored images
  // Counted, not stored (the caller reports them to SkipLog as page-level notes):
  uint32_t data_uri_images = 0;     // images whose only URL is a data: URI
  uint32_t tracker_images = 0;      // 1×1 images (width and height attributes both 1)
  uint32_t no_url_images = 0;       // <img> with no usable URL at all
  uint32_t dropped_images = 0;      // beyond max_images_per_page
  bool truncated = false;           // HTML longer than max_html_bytes; only the head was parsed
  bool invalid_utf8 = false;        // bytes that were not valid in the charset were replaced
  bool not_html = false;            // bytes look binary (NULs, ...): nothing extracted
};

// One per thread; keeps its parser state and buffers between pages.
class HtmlExtractor {
 public:
  explicit HtmlExtractor(ExtractOptions options);
  ~HtmlExtractor();
  HtmlExtractor(const HtmlExtractor&) = delete;
  HtmlExtractor& operator=(const HtmlExtractor&) = delete;

  // `page_url` resolves relative URLs (after any <base href>); `content_type` is the HTTP
  // Content-Type header value (its charset parameter wins over <meta>; a BOM wins over both).
  void extract(std::string_view html, std::string_view page_url, std::string_view content_type,
               PageExtraction& out);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace warcpairs::html
