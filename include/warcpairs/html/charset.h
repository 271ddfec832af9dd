// Which charset an HTML page is decoded from: HTML Living Standard §13.2.3 "determining the
// character encoding", with labels mapped to WHATWG Encoding Standard names.
#pragma once

#include <cstddef>
#include <string_view>

namespace warcpairs::html {

enum class CharsetSource { kBom, kHttpHeader, kMeta, kFallback };

struct CharsetGuess {
  std::string_view name;       // WHATWG name, lower case ("utf-8", "windows-1252", "shift_jis")
  CharsetSource source = CharsetSource::kFallback;
  std::size_t bom_length = 0;  // bytes of byte order mark to skip
};

// Encoding Standard §4.2 "get an encoding": label (any case, surrounding ASCII whitespace)
// → WHATWG name, or "" for an unknown label.
std::string_view canonical_charset(std::string_view label);

// The charset parameter of an HTTP Content-Type value, canonical; "" if absent/unknown.
std::string_view charset_from_content_type(std::string_view content_type);

// §13.2.3.2 "prescan a byte stream to determine its encoding" over the first 1024 bytes;
// "" when nothing is found. utf-16 declarations are read as utf-8, as the standard says.
std::string_view prescan_charset(std::string_view bytes);

// BOM, then the Content-Type charset, then the prescan, then: valid UTF-8 → utf-8, else
// windows-1252 (the standard's locale default for most of the web).
CharsetGuess detect_charset(std::string_view bytes, std::string_view content_type);

}  // namespace warcpairs::html
