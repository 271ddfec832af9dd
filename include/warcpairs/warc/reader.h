// Streaming WARC reader: plain, gzip-per-record and whole-file gzip; one reused buffer.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <memory>
#include <string>

#include "warcpairs/core/limits.h"
#include "warcpairs/core/skip_log.h"
#include "warcpairs/warc/record.h"

namespace warcpairs::io {
class ByteSource;
}

namespace warcpairs::warc {

enum class Compression : uint8_t { none, gzip };

// Usage:
//   WarcReader reader(path, limits, skips);
//   reader.set_type_filter({RecordType::response, RecordType::resource});
//   while (const WarcRecord* rec = reader.next()) { ... rec->block ... }
//
// Bad input never throws past next(): a corrupt gzip member, garbage between records, a
// wrong Content-Length, a truncated record or an oversized one is reported to `skips` with
// the file and byte offset, and the reader resynchronises on the next record it can find.
// Only failing to open the file throws warcpairs::Error.
class WarcReader {
 public:
  WarcReader(std::string path, const Limits& limits, SkipLog& skips);
  // Any byte source, e.g. io::MemorySource for tests and fuzzing.
  WarcReader(std::unique_ptr<io::ByteSource> source, const Limits& limits, SkipLog& skips);
  ~WarcReader();
  WarcReader(const WarcReader&) = delete;
  WarcReader& operator=(const WarcReader&) = delete;

  // Records of other types are stepped over without their blocks being kept in memory.
  // Default: every type.
  void set_type_filter(std::initializer_list<RecordType> types);

  // Positions the reader at a record start found by an earlier pass (its `offset` and
  // `member_offset`), e.g. to resume an interrupted file.
  void seek(int64_t offset, int64_t member_offset = 0);

  // The next record, or nullptr at end of file. The view is valid until the next call.
  const WarcRecord* next();

  Compression compression() const;
  uint64_t file_bytes_consumed() const;  // compressed bytes read so far, for progress
  uint64_t file_size() const;
  uint64_t records_seen() const;         // all records, filtered or not

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace warcpairs::warc
