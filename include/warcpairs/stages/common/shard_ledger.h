// The shards of one input file are its parts, "<prefix>.p00000.h5", "<prefix>.p00001.h5", ...,
// the last one named "<prefix>.pNNNNN.last.h5". Since a shard is visible only when complete
// (written under a temporary name, then renamed), the names in the shard folder are the work
// ledger: a file is done when its last part exists, and an interrupted file resumes after
// its highest committed part.
#pragma once

#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace warcpairs::stages {

struct PartName {
  std::string prefix;
  int part = 0;
  bool last = false;
};

std::string part_file_name(const std::string& prefix, int part, bool last);
std::optional<PartName> parse_part_name(const std::string& file_name);

struct FileParts {
  std::vector<std::string> names;  // committed parts, in part order
  bool complete = false;           // parts 0..n-1 all present and n-1 is the last
  int next_part() const { return static_cast<int>(names.size()); }
};

// One listing of `dir`: prefix → its committed parts. A gap in the numbering (a part file
// deleted by hand) leaves the file incomplete from the gap on: `names` stops before it.
std::map<std::string, FileParts> scan_parts(const std::filesystem::path& dir);

// Removes the temporaries ("*.h5.tmp") that killed writers left behind. Run only when no
// other process writes shards into `dir`.
int remove_stale_temporaries(const std::filesystem::path& dir);

}  // namespace warcpairs::stages
