// One HTML page as store keeps it: a row of a shard's /pages and of the database's pages
// table (docs/storage.md). Filled by the extract stage from the WARC record and the HTML
// extractor's page-level findings. Plain struct, no logic.
#pragma once

#include <cstdint>
#include <string>

namespace warcpairs::store {

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
  std::string text;           // main-content or visible text (extract --page-text), else ""
  std::string text_language;  // CLD2 on all visible text (text/language.h); "" unknown
  bool text_language_reliable = false;
  int32_t text_language_percent = 0;
  std::string robots;         // <meta name="robots"> directives, lower case, ","-joined
};

}  // namespace warcpairs::store
