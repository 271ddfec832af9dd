// Test helpers: build WARC records and gzip members in memory, read them back as summaries.
#pragma once

#include <zlib.h>

#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "warcpairs/core/error.h"
#include "warcpairs/core/limits.h"
#include "warcpairs/core/skip_log.h"
#include "warcpairs/io/byte_source.h"
#include "warcpairs/warc/reader.h"

namespace warcpairs::warc::testing {

inline std::string record(std::string_view type, std::string_view uri, std::string_view block,
                          std::string_view version = "WARC/1.1") {
  std::string r(version);
  r += "\r\nWARC-Type: ";
  r += type;
  r += "\r\nWARC-Record-ID: <urn:uuid:" + std::to_string(block.size()) + ">\r\n";
  if (!uri.empty()) r += "WARC-Target-URI: " + std::string(uri) + "\r\n";
  r += "Content-Length: " + std::to_string(block.size()) + "\r\n\r\n";
  r += block;
  r += "\r\n\r\n";
  return r;
}

// One gzip member (RFC 1952) holding `data`; `extra` adds an FEXTRA field.
inline std::string gzip(std::string_view data, int level = 6) {
  z_stream z{};
  if (deflateInit2(&z, level, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK)
    throw std::runtime_error("deflateInit2");
  std::string out(deflateBound(&z, data.size()) + 64, '\0');
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
  z.avail_in = static_cast<uInt>(data.size());
  z.next_out = reinterpret_cast<Bytef*>(out.data());
  z.avail_out = static_cast<uInt>(out.size());
  int rc = deflate(&z, Z_FINISH);
  out.resize(z.total_out);
  deflateEnd(&z);
  if (rc != Z_STREAM_END) throw std::runtime_error("deflate");
  return out;
}

// zlib-wrapped (raw = false) or raw deflate of data, for Content-Encoding: deflate.
inline std::string deflate_bytes(std::string_view data, bool raw) {
  z_stream z{};
  deflateInit2(&z, 6, Z_DEFLATED, raw ? -15 : 15, 8, Z_DEFAULT_STRATEGY);
  std::string out(deflateBound(&z, data.size()) + 64, '\0');
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
  z.avail_in = static_cast<uInt>(data.size());
  z.next_out = reinterpret_cast<Bytef*>(out.data());
  z.avail_out = static_cast<uInt>(out.size());
  deflate(&z, Z_FINISH);
  out.resize(z.total_out);
  deflateEnd(&z);
  return out;
}

struct Seen {
  int64_t offset;
  RecordType type;
  std::string uri;
  std::string block;
  int64_t member_offset = 0;
};

inline std::vector<Seen> read_all(WarcReader& reader) {
  std::vector<Seen> out;
  while (const WarcRecord* r = reader.next())
    out.push_back({r->offset, r->type, std::string(r->target_uri()), std::string(r->block),
                   r->member_offset});
  return out;
}

inline std::vector<Seen> read_bytes(std::string bytes, SkipLog& skips, Limits limits = {}) {
  WarcReader reader(std::make_unique<io::MemorySource>(std::move(bytes), "mem.warc"), limits,
                    skips);
  return read_all(reader);
}

inline uint64_t count(const SkipLog& log, const std::string& reason) {
  auto it = log.counts().find(reason);
  return it == log.counts().end() ? 0 : it->second;
}

}  // namespace warcpairs::warc::testing
