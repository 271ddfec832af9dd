// Parses a WARC record header block (WARC 1.1 §4, §5) in place in the reader's buffer.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "warcpairs/warc/record.h"

namespace warcpairs::warc {

// [begin, end) is the version line through the terminating blank line. Fills rec.version,
// rec.type and rec.headers (views into the buffer; folded values are joined in place, which
// is why the buffer is mutable). Returns nullptr on success, else what is malformed.
const char* parse_warc_header(char* begin, char* end, WarcRecord& rec, uint64_t& content_length);

// One ARC record header line (ARC v1: "URL IP-address Archive-date Content-type
// Archive-length"; v2 files add Result-code Checksum Location Offset Filename before the
// length). Views into `line`.
struct ArcHeader {
  std::string_view url, ip, date, content_type;
  uint64_t length = 0;
};

// `line` without its end of line. `fields` is 5 (v1) or 10 (v2): more space-separated words
// than that are taken as spaces inside the URL, as warcio does. Returns nullptr on success,
// else what is malformed.
const char* parse_arc_header(std::string_view line, int fields, ArcHeader& out);

// True for an ARC date: 4 to 18 digits ("20080430204825", also shorter or longer).
bool is_arc_date(std::string_view date);

// "20080430204825" (ARC's 14-digit date, also shorter or longer) as "2008-04-30T20:48:25Z",
// appended to `out`; false (nothing appended) when it is not 4 to 18 digits.
bool arc_date_to_iso(std::string_view date, std::string& out);

// Parses a decimal length; false on empty, non-digit or overflow.
bool parse_length(std::string_view text, uint64_t& out);

}  // namespace warcpairs::warc
