// Caps that keep memory bounded on hostile input (DESIGN.md, "Bounded memory").
#pragma once

#include <cstddef>
#include <cstdint>

namespace warcpairs {

struct Limits {
  // WARC record header block (named fields) and HTTP header block.
  std::size_t max_warc_header_bytes = 64 * 1024;
  std::size_t max_http_header_bytes = 64 * 1024;
  // A record whose Content-Length exceeds this is skipped without being buffered.
  std::uint64_t max_record_bytes = 256ull << 20;
  // Payload after removing chunked and gzip/deflate encodings (decompression bombs).
  std::uint64_t max_payload_bytes = 64ull << 20;
  // HTML beyond this many bytes is not parsed (the page is kept, truncated, and counted).
  std::size_t max_html_bytes = 8u << 20;
  // More images than this on one page are counted and dropped.
  std::size_t max_images_per_page = 4096;
};

}  // namespace warcpairs
