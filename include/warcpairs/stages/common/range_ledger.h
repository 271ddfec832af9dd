// The ledger of the stages that work over image ids (predict, score): each committed shard
// names the closed id range it covered, "<stem>-<first>-<last>.h5" (ids zero-padded to 9
// digits), so a rerun knows exactly which ids it has not seen yet. A run plans "every id in
// [1, max id] that no committed shard of this stem covers", cut into ranges that never cross
// a multiple of --rows-per-shard: after new data was merged, a rerun does exactly the new
// ids; with nothing new it does nothing.
//
// Shards named before this ledger, "<stem>-cNNNNNN.h5" (chunk NNNNNN of an unrecorded
// --rows-per-shard), count as covering [smallest, largest] image id among their records:
// a chunk held a record for every id of its range that had work (a context, a description),
// so the ids they leave out had none, and planning them again writes an empty shard at most.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace warcpairs::dist {
class MpiSession;
}

namespace warcpairs::stages {

struct IdRange {
  int64_t first = 0, last = 0;  // closed: [first, last]
  int64_t size() const { return last - first + 1; }
  bool operator==(const IdRange&) const = default;
};

std::string range_shard_name(const std::string& stem, IdRange range);
// The range of "<stem>-<first>-<last>.h5"; nullopt for any other name (another stem too).
std::optional<IdRange> parse_range_shard_name(const std::string& stem, const std::string& file_name);
// The chunk number of an old "<stem>-cNNNNNN.h5"; nullopt for any other name.
std::optional<int64_t> parse_chunk_shard_name(const std::string& stem, const std::string& file_name);

// [1, max_id] minus `covered` (in any order, may overlap), cut at multiples of
// rows_per_shard; in id order.
std::vector<IdRange> uncovered_ranges(std::vector<IdRange> covered, int64_t max_id,
                                      int64_t rows_per_shard);

struct RangePlan {
  std::vector<IdRange> todo;     // what this run does, in id order
  int64_t shards_done = 0;       // committed shards of the stem found in the folder
  int64_t ids_covered = 0;       // ids of [1, max_id] they cover
  int64_t ids_todo() const;
};

// Scans `dir` for the committed shards of `stem` (old chunk names read for their ids) and
// plans the rest of [1, max_id]. Collective: rank 0 scans, every rank gets the same plan
// (a rank that scanned later could see shards the others' plan already counts as work).
RangePlan plan_id_ranges(const dist::MpiSession& session, const std::filesystem::path& dir,
                         const std::string& stem, int64_t max_id, int64_t rows_per_shard);

}  // namespace warcpairs::stages
