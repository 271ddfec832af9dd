// One <img> occurrence with its context: what HtmlExtractor yields per image (extractor.h),
// and the row that store's shards (/images) and database (images) keep. Plain struct, no logic.
#pragma once

#include <cstdint>
#include <string>

namespace warcpairs::html {

// One <img> occurrence in a page, with its context. All text is UTF-8; all offsets into
// `context` count Unicode code points (as Python's str does), not bytes.
struct ImageRecord {
  int64_t page_row = -1;      // index of the page within the same shard
  int32_t index = 0;          // position of the image among the page's stored images
  std::string url;            // absolute URL chosen for the image (RFC 3986 resolved)
  std::string src;            // the src attribute as written ("" if absent)
  std::string srcset;         // every srcset / <picture><source> candidate, resolved, ", "-joined
  std::string alt;            // normalised alt text
  bool has_alt = false;       // alt attribute present (alt="" marks a decorative image)
  std::string title;          // normalised title attribute
  int32_t width = -1;         // width attribute in CSS pixels, -1 when absent or not a number
  int32_t height = -1;
  std::string figcaption;     // normalised text of the enclosing <figure>'s <figcaption>
  std::string dom_path;       // e.g. "html>body>div.post>figure>img"
  std::string region;         // main, nav, header, footer, aside or other (html/extractor.h)
  std::string context;        // normalised visible text before + after the image
  int32_t image_pos = 0;      // where the image stands in `context` (code points)
  int32_t label_start = -1;   // span of the normalised alt text inside `context`, or -1
  int32_t label_end = -1;     // exclusive end
  std::string kind;           // what the image is for (image_kind.h): "content", "logo", ...
  std::string kind_reason;    // the evidence that decided it: "class:logo", "size:16x16", ...
  std::string context_language;        // CLD2's code for `context` ("" unknown or empty)
  bool context_language_reliable = false;
};

}  // namespace warcpairs::html
