// A WARC record as a view into the reader's buffer (WARC 1.1 §4–§6), valid until next().
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

namespace warcpairs::warc {

enum class RecordType : uint8_t {
  warcinfo, response, resource, request, metadata, revisit, conversion, continuation, unknown
};
std::string_view to_string(RecordType type);
RecordType parse_record_type(std::string_view warc_type);  // case-insensitive

struct HeaderField {
  std::string_view name;
  std::string_view value;  // leading/trailing whitespace removed; folded lines joined
};

// Header lookups are case-insensitive (WARC 1.1 §4: field names are case-insensitive).
std::string_view find_header(const std::vector<HeaderField>& fields, std::string_view name);

struct WarcRecord {
  int64_t offset = 0;           // where the record starts in the file (gzip: its member's start)
  int64_t member_offset = 0;    // gzip: where it starts in the member's decoded bytes (non-zero
                                // only when a member holds several records: whole-file gzip)
  int64_t header_bytes = 0;     // from the record start to its block (version line + fields +
                                // empty line, or the ARC header line): the record without its
                                // terminator is header_bytes + block.size() (a CDXJ length)
  std::string_view version;     // "WARC/1.0", "WARC/1.1"
  RecordType type = RecordType::unknown;
  std::vector<HeaderField> headers;
  std::string_view block;       // the content block: Content-Length bytes

  std::string_view header(std::string_view name) const { return find_header(headers, name); }
  std::string_view target_uri() const;   // WARC-Target-URI, "<...>" brackets removed (WARC/1.0 style)
  std::string_view date() const { return header("WARC-Date"); }
  std::string_view record_id() const { return header("WARC-Record-ID"); }
  std::string_view content_type() const { return header("Content-Type"); }
};

}  // namespace warcpairs::warc
