// The canonical SQLite database of a run (schema: src/store/schema.sql, PRAGMA user_version).
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

struct sqlite3;

namespace warcpairs::store {

inline constexpr int kSchemaVersion = 11;

struct MergeCounts {
  int64_t files = 0, pages = 0, images = 0, skips = 0;
  int64_t predictions = 0;          // rows added to `predictions`
  int64_t predictions_present = 0;  // already there (same image and model): left as they were
  int64_t scores = 0;               // rows added to `scores`, or replacing a lower revision
  int64_t scores_present = 0;       // already there (same image or list row, same or higher
                                    // revision): left as they were
  int64_t embeddings = 0;           // CLIP embeddings added to the embeddings store
  int64_t embeddings_present = 0;   // images that had one of the same or a higher revision
};

struct RenderMergeCounts {
  int64_t files = 0, pages = 0, crops = 0, tokens = 0, failures = 0;
};

// One thread at a time per Database (its connection is opened without SQLite's mutex);
// merge_shard itself reads the shard on a helper thread of its own.
class Database {
 public:
  // Opens or creates the database and its schema; migrates an older version (1 → 2 adds the
  // predictions table, 2 → 3 the scores table, 3 → 4 the review decisions, 4 → 5 score
  // revisions, 5 → 6 image kinds, 6 → 7 repeats, 7 → 8 languages, robots and unsafe,
  // 8 → 9 review decisions on list pairs, 9 → 10 the embeddings store, 10 → 11 renders)
  // and refuses a newer one.
  explicit Database(const std::filesystem::path& path);
  ~Database();

  // True if a shard of this name was merged before (the `shards` ledger).
  bool has_shard(const std::string& shard_name);

  // Inserts every row of one committed shard in one transaction together with its ledger
  // row, so a shard is taken entirely or not at all and never twice.
  MergeCounts merge_shard(const std::filesystem::path& shard_path);

  // The same for one input file's shard sequence (parts 0..n-1, the last one marked last):
  // all parts in one transaction, the `files` row from the last part's totals, a ledger row
  // per part. Throws Error (nothing taken) when the parts do not form one file's sequence.
  MergeCounts merge_parts(const std::vector<std::filesystem::path>& parts);

  // One WARC file's render shards (parts 0..n-1, stage "render") into render_files,
  // render_pages, renders, render_tokens and render_failures, all in one transaction with
  // their ledger rows (render_merge.cc). Same checks and guarantees as merge_parts.
  RenderMergeCounts merge_render_parts(const std::vector<std::filesystem::path>& parts);

 private:
  sqlite3* connection();
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace warcpairs::store
