// Bytes in a WHATWG-named charset → UTF-8 (internal to the html layer).
#pragma once

#include <iconv.h>

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace warcpairs::html {

// One per extractor: keeps its iconv descriptors open between pages (iconv_open is slow).
class Utf8Decoder {
 public:
  Utf8Decoder() = default;
  ~Utf8Decoder();
  Utf8Decoder(const Utf8Decoder&) = delete;
  Utf8Decoder& operator=(const Utf8Decoder&) = delete;

  // Decodes `in` (no BOM) into `out`. Invalid or unmappable bytes become U+FFFD (the
  // Encoding Standard's "replacement" error mode) and are counted in the return value.
  // `charset` is updated to "windows-1252" when the named one is not available.
  std::size_t decode(std::string_view in, std::string_view& charset, std::string& out);

 private:
  iconv_t descriptor(std::string_view charset);
  std::size_t decode_iconv(iconv_t cd, std::string_view in, std::string& out);

  std::vector<std::pair<std::string_view, iconv_t>> open_;
};

}  // namespace warcpairs::html
