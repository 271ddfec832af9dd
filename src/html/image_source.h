// Which URL an <img> stands for: src, lazy-load attributes, srcset and <picture> sources.
// Internal to the html layer.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "warcpairs/text/url.h"

namespace warcpairs::html {

// The URL-bearing attributes of one <img> (views valid during the SAX callback).
struct ImageAttributes {
  std::string_view src, lazy_src, srcset, lazy_srcset;
  bool has_src = false;
};

enum class UrlChoice { kUrl, kDataUri, kNone };

// The srcset candidates of the <source> elements of one open <picture>, in document order.
// A browser takes the first <source> it can use (HTML §4.8.1 "update the source set"), so
// only that one's candidates compete for the image URL; all are kept as alternatives.
struct PictureSources {
  std::vector<text::SrcsetCandidate> candidates;
  std::size_t first_source_end = 0;  // candidates[0, first_source_end) come from the first
  void clear() { candidates.clear(), first_source_end = 0; }
};

bool is_data_uri(std::string_view url);
// A src that only holds the place of the real image until a script swaps it in.
bool is_placeholder(std::string_view url);

// Picks the image URL (unresolved) and collects every non-data srcset candidate, <picture>
// sources first. Order: usable src; lazy URL (data-src, data-lazy-src, data-original);
// the largest candidate of the img's own srcset, else of the picture's first <source>
// (w beats x; no descriptor is 1x); a placeholder src.
UrlChoice choose_image_url(const ImageAttributes& a, const PictureSources& picture,
                           std::string& url, std::vector<text::SrcsetCandidate>& candidates);

// HTML "rules for parsing dimension values", restricted to pixels: "100", " 100px",
// "99.6" → 99; "50%", "auto", "" → -1.
int32_t parse_pixels(std::string_view value);

}  // namespace warcpairs::html
