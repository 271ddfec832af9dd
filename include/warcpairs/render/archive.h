// What render asks of the archive: the archived response of a URL (revisits resolved), behind
// an interface (tests may stub it); CdxjArchive answers through a CDXJ index.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "warcpairs/core/limits.h"
#include "warcpairs/core/skip_log.h"

namespace warcpairs::render {

// A response as the browser is to see it: archived status, headers without hop-by-hop ones,
// Content-Encoding, Transfer-Encoding and Content-Length (the body is handed over decoded).
struct ArchivedResponse {
  int status = 200;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  std::string file;     // where it came from
  int64_t offset = -1;
  bool revisit = false;  // reached through a revisit record
};

// Headers the browser must not get from a replayed response (RFC 9110 §7.6.1 hop-by-hop, plus
// the encodings already undone and a length that no longer matches).
bool is_replay_dropped_header(std::string_view name);

// The URL as looked up: the fragment dropped (it never reaches the server).
std::string lookup_key(std::string_view url);

class ArchiveLookup {
 public:
  virtual ~ArchiveLookup() = default;
  virtual std::optional<ArchivedResponse> find(std::string_view url) = 0;
};

// The archive through a CDXJ index (warc/cdxj.h: pywb's format and lookup rules): the index
// of `warcpairs index --out DIR` (DIR/index.cdxj, DIR/index-files.json), or one built in memory
// from the input files by the same indexer. A lookup seeks a reader kept open per file, parses
// the HTTP response (de-chunked, decoded) and, for a revisit, takes the payload of the record
// the index resolves it to.
class CdxjArchive : public ArchiveLookup {
 public:
  // Indexes `files` in memory (each entry's filename is the file's path). Bad records go to
  // `skips` as the reader reports them.
  static std::unique_ptr<CdxjArchive> build(const std::vector<std::string>& files, const Limits& limits,
                                            SkipLog& skips);
  // Loads DIR/index.cdxj; DIR/index-files.json maps its filenames to paths. Throws Error when
  // either cannot be read.
  static std::unique_ptr<CdxjArchive> load(const std::string& index_dir, const Limits& limits, SkipLog& skips);
  ~CdxjArchive() override;

  std::optional<ArchivedResponse> find(std::string_view url) override;
  std::size_t size() const;

 private:
  CdxjArchive(const Limits& limits, SkipLog& skips);
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace warcpairs::render
