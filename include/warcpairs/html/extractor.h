// HTML page → image occurrences with their contexts, via libxml2's streaming SAX parser.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "warcpairs/core/limits.h"
#include "warcpairs/html/image_record.h"
#include "warcpairs/text/language.h"

namespace warcpairs::html {

// Which text an image's context is cut from (extract --context-from).
enum class ContextFrom : uint8_t { kMain, kAll };
// Which text of the page PageExtraction::text holds (extract --page-text).
enum class PageText : uint8_t { kNone, kMain, kAll };

struct ExtractOptions {
  int32_t context_chars = 500;   // visible text kept on each side of the image (code points)
  ContextFrom context_from = ContextFrom::kMain;
  PageText page_text = PageText::kNone;
  std::size_t max_html_bytes = Limits{}.max_html_bytes;
  std::size_t max_images_per_page = Limits{}.max_images_per_page;
  // <script>/<style> content is stepped over without libxml2 walking it (same result, see
  // extractor.cc); true makes libxml2 walk it, for tests that compare the two.
  bool walk_raw_text = false;
  // CLD2 on the page's visible text and on every non-empty context (text/language.h);
  // false (extract --no-language-id) leaves the detected languages "".
  bool detect_language = true;
};

// What one page yields. Reused between pages: extract() clears it first.
struct PageExtraction {
  std::string charset;    // charset the bytes were decoded from (WHATWG name, lower case)
  std::string language;   // <html lang>, lower case
  std::string title;      // normalised <title>
  std::string text;       // main-content or all visible text (ExtractOptions::page_text)
  text::LanguageGuess text_language;  // CLD2 on all visible text (whatever page_text says)
  // <meta name="robots" content="..."> directives, lower case, trimmed, ","-joined in page
  // order (several such elements are joined); "" when the page has none.
  std::string robots;
  std::vector<ImageRecord> images;  // page_row unset; index = order among stored images
  // Counted, not stored (the caller reports them to SkipLog as page-level notes):
  uint32_t data_uri_images = 0;     // images whose only URL is a data: URI
  uint32_t tracker_images = 0;      // 1×1 images (width and height attributes both 1)
  uint32_t no_url_images = 0;       // <img> with no usable URL at all
  uint32_t hidden_images = 0;       // inside content a browser does not render (noscript, template, ...)
  uint32_t dropped_images = 0;      // beyond max_images_per_page
  bool truncated = false;           // HTML longer than max_html_bytes; only the head was parsed
  bool invalid_utf8 = false;        // bytes that were not valid in the charset were replaced
  bool not_html = false;            // bytes look binary (NULs, ...): nothing extracted
};

// What the extractor produces, beyond the field comments of ImageRecord:
//  - Visible text: character data outside head/script/style/noscript/template/title/svg/
//    iframe/object/video/select/textarea and [hidden] subtrees; Unicode White_Space runs
//    collapse to " "; block boundaries (p, div, br, li, h1-h6, tr, td, figure, figcaption,
//    section, article, ... per the HTML UA style sheet) become one "\n"; runs of either
//    collapse, a "\n" wins over a " ". Alt text is not visible text.
//  - The image's position: `context` = before + after, no marker character; image_pos is
//    the code-point offset where the image stands, so context[:image_pos] is the text
//    before it and context[image_pos:] the text after. An image separates words: a
//    separator (" " or "\n") between the two sides sits at the end of the "before" part.
//    Each side holds at most context_chars code points; a side cut inside a word is moved
//    to the nearest word boundary within min(32, context_chars/2) code points (else cut
//    hard, e.g. CJK).
//  - Images inside hidden subtrees (e.g. the <noscript> copy of a lazy image) are skipped
//    and not counted. Tracker (width=1 and height=1) is tested first, then data: URIs.
//  - URL choice: a usable src (not data:, not a placeholder such as blank.gif/spacer.gif);
//    else data-src / data-lazy-src / data-original; else the largest srcset candidate of
//    the img (w before x), else of its <picture> sources; else a placeholder src.
//    Relative URLs resolve against <base href> (itself resolved against page_url); when
//    page_url is not absolute they are kept as written.
//  - label_start/label_end: text::find_label(context, alt, image_pos).
//  - Main content (src/html/main_content.h): every block of the visible text is classified
//    as main content or boilerplate after the page's last event; the main-content text is
//    the kept blocks, each on its own line. `region` says where an image sits: "nav",
//    "header", "footer", "aside" when an element or class/id around it says so; "main" when
//    it is inside the page's main-content container or next to a kept block; else "other"
//    (boilerplate such as forms, comments, share bars, or a page with no main content).
//  - context_from kMain (the default): a "main" image's context is cut from the main-content
//    text around its place there (text of dropped blocks between it and the kept text is
//    not in it); any other image gets an empty context and no label: text around a logo or
//    a menu icon describes the site, not the image. kAll: every context from all visible
//    text, as before main content was detected.
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
