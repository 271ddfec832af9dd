// Format sniffing and the decode entry point: picks the codec by magic bytes.
#include "warcpairs/image/decode.h"

#include <cstring>

#include "codec.h"

namespace warcpairs::image {

Format sniff(std::span<const uint8_t> b) {
  auto starts = [&](const char* magic, size_t at = 0) {
    const size_t n = std::strlen(magic);
    return b.size() >= at + n && std::memcmp(b.data() + at, magic, n) == 0;
  };
  if (b.size() >= 3 && b[0] == 0xFF && b[1] == 0xD8 && b[2] == 0xFF) return Format::jpeg;
  if (starts("\x89PNG\r\n\x1a\n")) return Format::png;
  if (starts("GIF87a") || starts("GIF89a")) return Format::gif;
  if (starts("RIFF") && starts("WEBP", 8)) return Format::webp;
  return Format::unknown;
}

const char* mime_type(Format format) {
  switch (format) {
    case Format::jpeg: return "image/jpeg";
    case Format::png: return "image/png";
    case Format::webp: return "image/webp";
    case Format::gif: return "image/gif";
    case Format::unknown: break;
  }
  return "application/octet-stream";
}

const char* format_name(Format format) {
  switch (format) {
    case Format::jpeg: return "jpeg";
    case Format::png: return "png";
    case Format::webp: return "webp";
    case Format::gif: return "gif";
    case Format::unknown: break;
  }
  return "unknown";
}

void decode(std::span<const uint8_t> bytes, const DecodeLimits& limits, DecodeResult& out) {
  out.ok = false;
  out.error.clear();
  out.detail.clear();
  out.width = out.height = 0;
  out.image.width = out.image.height = 0;
  out.image.rgb.clear();  // keeps capacity
  out.format = sniff(bytes);
  switch (out.format) {
    case Format::jpeg: detail::decode_jpeg(bytes, limits, out); break;
    case Format::png: detail::decode_png(bytes, limits, out); break;
    case Format::webp: detail::decode_webp(bytes, limits, out); break;
    case Format::gif: detail::decode_gif(bytes, limits, out); break;
    case Format::unknown: detail::fail(out, kErrUnsupportedFormat, "unknown magic bytes"); break;
  }
  if (!out.ok) {
    out.image.width = out.image.height = 0;
    out.image.rgb.clear();
  }
}

DecodeResult decode(std::span<const uint8_t> bytes, const DecodeLimits& limits) {
  DecodeResult out;
  decode(bytes, limits, out);
  return out;
}

}  // namespace warcpairs::image
