// The data that flows between stages (DESIGN.md, "Data that flows"): filled by the HTML
// layer, written to shards by the store layer, merged into SQLite. Plain structs, no logic.
#pragma once

#include <cstdint>
#include <limits>
#include <string>

namespace warcpairs {

// One HTML page (a WARC response or resource record whose payload is HTML).
struct PageRecord {
  int64_t warc_offset = -1;   // byte offset of the record in its WARC file (gzip: member start)
  int64_t member_offset = 0;  // offset in the gzip member's decoded bytes (whole-file gzip)
  std::string record_id;      // WARC-Record-ID
  std::string url;            // WARC-Target-URI
  std::string crawl_date;     // WARC-Date, as written (ISO 8601)
  int32_t http_status = 0;    // 0 for resource records (no HTTP envelope)
  std::string content_type;   // media type, lower case, without parameters
  std::string charset;        // the charset the page was decoded from (lower case, WHATWG name)
  std::string language;       // <html lang>, lower case; "" if absent
  std::string title;          // normalised <title> text
  int32_t image_count = 0;    // images stored for this page
};

// The span model's answer for one image: the code-point span [start, end) of its context that
// describes the image, or start == end == -1 for "no span".
struct PredictionRecord {
  int64_t image = -1;      // which image (see store's shard layout: shard row or image_id)
  int32_t start = -1;
  int32_t end = -1;
  std::string text;        // the span's text ("" for no span)
  double score = 0;        // best span logit sum minus the "no span" logit sum
};

// What the score stage made of one image–description pair: the download, the image, and the
// CLIP similarities. Unknown numbers are -1 (sizes, bytes) or NaN (scores): NULL in SQLite.
struct ScoreRecord {
  int64_t image = -1;         // image_id (pairs from the database) or 1-based row of a URL list
  std::string url;
  std::string caption;        // the description scored: the prediction (else the alt text), or
                              // the list's caption
  std::string alt;
  std::string outcome;        // "ok" or a stable reason token (download, decode or noai)
  std::string detail;
  int32_t http_status = 0;
  int32_t attempts = 0;
  int64_t bytes = -1;         // response body bytes
  std::string mime;           // sniffed from the bytes ("image/jpeg", ...), "" when unknown
  int32_t width = -1;         // original size
  int32_t height = -1;
  std::string sha256;         // hex, of the downloaded bytes
  int64_t phash = 0;          // 64-bit DCT perceptual hash (bits as int64)
  bool noai = false;          // X-Robots-Tag noai / noimageai was sent
  double clip_caption = std::numeric_limits<double>::quiet_NaN();
  double clip_alt = std::numeric_limits<double>::quiet_NaN();
  std::string key;            // WebDataset sample key in `tar`
  std::string tar;            // file name under RUN/images ("" when the image was not stored)
};

}  // namespace warcpairs
