// What render asks of the archive: the archived response of a URL (revisits resolved). The
// interface lets the CDXJ index of `warcpairs index` back it; InMemoryArchive is a map built by
// one pass of the WARC reader over the inputs, for runs without an index.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
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

struct RecordLocation {
  uint32_t file = 0;
  int64_t offset = 0;
  int64_t member_offset = 0;
  bool revisit = false;
  std::string refers_to;  // revisit: WARC-Refers-To-Target-URI, or "" (then by digest)
  std::string digest;     // WARC-Payload-Digest
};

class InMemoryArchive : public ArchiveLookup {
 public:
  // One pass over each file (response, resource and revisit records); the first capture of
  // a URL wins. Bad records go to `skips` as the reader reports them.
  InMemoryArchive(std::vector<std::string> files, const Limits& limits, SkipLog& skips);
  ~InMemoryArchive() override;

  std::optional<ArchivedResponse> find(std::string_view url) override;
  std::size_t size() const { return by_url_.size(); }

 private:
  std::optional<ArchivedResponse> read_at(const RecordLocation& loc, int depth);
  struct Readers;
  std::vector<std::string> files_;
  Limits limits_;
  SkipLog& skips_;
  std::unordered_map<std::string, RecordLocation> by_url_;
  std::unordered_map<std::string, RecordLocation> by_digest_;  // responses only
  std::unique_ptr<Readers> readers_;
};

}  // namespace warcpairs::render
