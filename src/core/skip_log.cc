// SkipLog: exact counts, capped entries, one warning line per skip with file and offset.
#include "warcpairs/core/skip_log.h"

#include <spdlog/spdlog.h>

namespace warcpairs {

void SkipLog::skip(std::string_view reason, std::string_view file, int64_t offset,
                   std::string_view detail) {
  ++counts_[std::string(reason)];
  if (entries_.size() < max_entries_) {
    spdlog::warn("skip {}: {} at byte {}{}{}", reason, file, offset, detail.empty() ? "" : ": ",
                 detail);
    entries_.push_back({std::string(file), offset, std::string(reason), std::string(detail)});
  } else {
    ++dropped_;
  }
}

uint64_t SkipLog::total() const {
  uint64_t n = 0;
  for (const auto& [reason, count] : counts_) n += count;
  return n;
}

void SkipLog::clear() {
  counts_.clear();
  entries_.clear();
  dropped_ = 0;
}

void SkipLog::merge_counts(const std::map<std::string, uint64_t>& other) {
  for (const auto& [reason, count] : other) counts_[reason] += count;
}

}  // namespace warcpairs
