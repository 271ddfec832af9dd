// Which WARC payloads are HTML pages: the rule extract uses, and the benchmarks that must
// parse exactly the pages extract parses.
#pragma once

#include <string>
#include <string_view>

namespace warcpairs::html {

// The media type of a Content-Type value: lower case, without parameters or spaces.
std::string media_type(std::string_view content_type);

// HTML by declared media type (text/html, application/xhtml+xml); a missing type falls back to
// a look at the first 256 bytes (<!doctype html or <html, any case).
bool is_html(std::string_view media, std::string_view body);

}  // namespace warcpairs::html
