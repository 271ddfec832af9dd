// CDXJ indexes of WARC files as pywb writes them (cdxj-indexer's defaults), and lookups of a
// URL (+ date) → file, offset, length, status, digest, with revisits resolved.
//
// A line:  SURT TIMESTAMP14 {"url": ..., "mime": ..., "status": ..., "digest": ...,
//          "length": ..., "offset": ..., "filename": ...}
// JSON as Python's json.dumps writes it (", " and ": " separators, non-ASCII as \uXXXX, every
// value a string); keys absent when the record has no value ("status" of a resource record).
// Indexed records: response, revisit, resource, metadata (resource/metadata of type
// application/warc-fields excluded), as cdxj-indexer does by default. mime: "warc/revisit"
// for revisits, the HTTP Content-Type (up to the first ';' or space) for responses, the WARC
// Content-Type for the others. digest: WARC-Payload-Digest without its "sha1:" label (as the
// expected lines of cdxj-indexer's test_indexer.py show), or the base32 SHA-1 of the payload
// (the block after the HTTP head) when the record has none. A file's lines are sorted by their bytes
// (as `LC_ALL=C sort` and pywb's SortingWriter do).
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "warcpairs/core/limits.h"
#include "warcpairs/core/skip_log.h"

namespace warcpairs::warc {

struct WarcRecord;

struct CdxjEntry {
  std::string urlkey;     // SURT (surt.h)
  std::string timestamp;  // 14 digits, from WARC-Date
  std::string url, mime, status, digest;  // status/digest empty: key absent
  int64_t length = 0;     // bytes of the record in the file (its gzip member)
  int64_t offset = 0;     // where the record starts in the file
  std::string filename;   // file name relative to the index (cdxj-indexer: the base name)

  bool is_revisit() const { return mime == "warc/revisit"; }
};

// "2024-05-01T12:00:00.123Z" → "20240501120000" (the first 14 digits, as warcio's
// iso_date_to_timestamp); empty when the date has fewer than 14 digits.
std::string cdxj_timestamp(std::string_view warc_date);

// One line without the trailing '\n'.
std::string format_cdxj_line(const CdxjEntry& entry);
// Parses a line this module or pywb wrote; false (with a short reason) for anything else.
bool parse_cdxj_line(std::string_view line, CdxjEntry& out, std::string& error);

// The entry of one record, or false when CDXJ does not index records of its kind (request,
// warcinfo, application/warc-fields metadata, ...) or it has no target URI / date.
// `length` is the record's size in the file (the caller knows where the next one starts).
class CdxjRecordIndexer {
 public:
  explicit CdxjRecordIndexer(const Limits& limits);
  ~CdxjRecordIndexer();
  bool entry_of(const WarcRecord& record, int64_t length, std::string_view filename,
                CdxjEntry& out);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// Reads one WARC file and returns its entries, sorted. Bad records are reported to `skips`
// with the file and offset (the reader's rules) and left out; the rest is indexed.
// `filename` is what the entries' "filename" says (usually the file's base name).
std::vector<CdxjEntry> index_warc_file(const std::string& path, std::string_view filename,
                                       const Limits& limits, SkipLog& skips,
                                       uint64_t* records_read = nullptr);

// Sorted lines, written to `path` + ".tmp", fsynced and renamed (complete or absent).
void write_cdxj_file(const std::string& path, std::vector<CdxjEntry> entries);

// An index held in memory (loaded from one or more CDXJ files, or built), for lookups.
class CdxjIndex {
 public:
  // Adds every line of a CDXJ file; lines that do not parse are counted (bad_lines()).
  // Throws warcpairs::Error when the file cannot be read.
  void load(const std::string& path);
  void add(CdxjEntry entry);
  // Sorts after add()/load(); lookups before it throw.
  void seal();

  // The capture of `url` (compared by SURT key) nearest to `timestamp` (14 digits or a
  // prefix; empty: the latest), ties to the earlier; nullptr when the URL is not there.
  const CdxjEntry* find(std::string_view url, std::string_view timestamp = {}) const;
  // Every capture of `url`, oldest first.
  std::vector<const CdxjEntry*> find_all(std::string_view url) const;
  // A revisit resolved to the record holding its payload, as pywb does: a non-revisit
  // capture with the same digest, of the same URL key if there is one (nearest in time),
  // else of any URL; nullptr when none. A non-revisit entry resolves to itself.
  const CdxjEntry* resolve(const CdxjEntry& entry) const;
  // find() then resolve(): what a replay of `url` serves (nullptr when nothing can).
  const CdxjEntry* lookup(std::string_view url, std::string_view timestamp = {}) const;

  std::size_t size() const { return entries_.size(); }
  uint64_t bad_lines() const { return bad_lines_; }
  const std::vector<CdxjEntry>& entries() const { return entries_; }

 private:
  std::vector<CdxjEntry> entries_;
  std::unordered_multimap<std::string, std::size_t> by_digest_;  // non-revisits only
  uint64_t bad_lines_ = 0;
  bool sealed_ = false;
};

}  // namespace warcpairs::warc
