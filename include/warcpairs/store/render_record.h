// The rows of `warcpairs render` as store keeps them: a shard's /render_pages, /renders and
// /render_tokens and the database's tables of the same names (docs/storage.md). Plain structs.
#pragma once

#include <cstdint>
#include <string>

namespace warcpairs::store {

// One page rendered (whether or not it gave crops).
struct RenderPageRecord {
  int64_t warc_offset = 0;
  int64_t member_offset = 0;
  std::string url;
  std::string crawl_date;
  int32_t http_status = 0;
  std::string text;             // the page text the tokens' char offsets index (code points)
  int64_t tokens = 0;           // tokens on the page
  int64_t visible_tokens = 0;
  int32_t crops = 0;
  int64_t requests = 0;         // requests the browser made for the page
  int64_t fulfilled = 0;        // answered from the archive
  int64_t failed = 0;           // not archived: failed at once
  double seconds = 0;           // wall time of the page
  std::string browser;          // Browser.getVersion's product, e.g. "Chrome/156.0.8078.129"
};

// One crop: a PNG of a region of the rendered viewport.
struct RenderRecord {
  int64_t page_row = 0;         // row in this shard's /render_pages
  int32_t crop = 0;             // index among the page's crops
  double x = 0, y = 0, width = 0, height = 0;  // the region in the viewport, CSS px
  int32_t viewport_width = 0, viewport_height = 0;
  double device_scale_factor = 1;
  std::string fonts;            // JSON array of the computed font-family values of its tokens
  std::string png;              // the image bytes
  int32_t tokens = 0;           // tokens with a box in the crop
  int32_t visible_tokens = 0;   // of which visible and wholly inside
};

// One box of one token in a crop (a token broken across lines has several, `box` 0, 1, ...).
struct RenderTokenRecord {
  int64_t render_row = 0;       // row in this shard's /renders
  int32_t position = 0;         // the token's index on its page
  int32_t token_id = 0;         // WordPiece id (same as `warcpairs tokenize`)
  std::string token;            // its vocabulary entry
  int32_t char_start = 0, char_end = 0;  // code points in the page text
  int32_t box = 0;
  double x = 0, y = 0, width = 0, height = 0;  // relative to the crop's top left, CSS px
  bool visible = false;         // passed every check and lies wholly inside the crop
  std::string hidden_by;        // the check it failed ("" when visible; "outside_crop")
};

}  // namespace warcpairs::store
