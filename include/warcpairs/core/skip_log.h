// Record-level problems: counted by reason, logged with file and byte offset, never thrown.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace warcpairs {

struct SkipEntry {
  std::string file;
  int64_t offset = -1;
  std::string reason;  // a short stable token, e.g. "gzip_corrupt", "http_malformed"
  std::string detail;  // free text for a human
};

// One per rank (or per file): the stage asks it for counts at the end and for the entries
// to store in its shard. Entries are capped so a file full of garbage cannot grow memory;
// counts are always exact.
class SkipLog {
 public:
  explicit SkipLog(std::size_t max_entries = 10000) : max_entries_(max_entries) {}

  void skip(std::string_view reason, std::string_view file, int64_t offset,
            std::string_view detail = {});

  const std::map<std::string, uint64_t>& counts() const { return counts_; }
  uint64_t total() const;
  const std::vector<SkipEntry>& entries() const { return entries_; }
  // Entries dropped beyond the cap (their counts are still in counts()).
  uint64_t entries_dropped() const { return dropped_; }
  void clear();
  void merge_counts(const std::map<std::string, uint64_t>& other);

 private:
  std::size_t max_entries_;
  std::map<std::string, uint64_t> counts_;
  std::vector<SkipEntry> entries_;
  uint64_t dropped_ = 0;
};

}  // namespace warcpairs
