// Parses a WARC record header block (WARC 1.1 §4, §5) in place in the reader's buffer.
#pragma once

#include <cstdint>

#include "warcpairs/warc/record.h"

namespace warcpairs::warc {

// [begin, end) is the version line through the terminating blank line. Fills rec.version,
// rec.type and rec.headers (views into the buffer; folded values are joined in place, which
// is why the buffer is mutable). Returns nullptr on success, else what is malformed.
const char* parse_warc_header(char* begin, char* end, WarcRecord& rec, uint64_t& content_length);

// Parses a decimal length; false on empty, non-digit or overflow.
bool parse_length(std::string_view text, uint64_t& out);

}  // namespace warcpairs::warc
