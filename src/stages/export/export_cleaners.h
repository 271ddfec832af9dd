// The cleaner chain of `warcpairs export`: each link drops pairs for one reason and counts them.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "warcpairs/stages/export/export.h"
#include "warcpairs/store/export_query.h"

namespace warcpairs::stages {

class Cleaner {
 public:
  Cleaner(std::string name, std::string setting) : name_(std::move(name)), setting_(std::move(setting)) {}
  virtual ~Cleaner() = default;
  // Called once per pair in image_id order; false drops it (the duplicate cleaners remember
  // what they kept, so a pair dropped earlier in the chain is never a duplicate's original).
  bool keep(const store::ExportRow& row) {
    if (accept(row)) return true;
    ++dropped_;
    return false;
  }
  CleanerCount count() const { return {name_, setting_, dropped_}; }

 protected:
  virtual bool accept(const store::ExportRow& row) = 0;

 private:
  std::string name_, setting_;
  int64_t dropped_ = 0;
};

using CleanerChain = std::vector<std::unique_ptr<Cleaner>>;

// review (unless ignored), noai (unless include_noai), no_image (when the run was scored),
// then config.cleaners in order. Throws UsageError for an unknown name or a bad setting.
CleanerChain make_cleaner_chain(const ExportConfig& config, bool has_scores);

// Words of a description: runs of non-whitespace (ASCII and Unicode spaces alike).
int64_t count_words(const std::string& text);

}  // namespace warcpairs::stages
