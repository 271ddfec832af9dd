// Merge's part of the embeddings store: a score shard's /embeddings → RUN/embeddings/<stem>.npy
// and <stem>.ids.npy plus their rows in embedding_parts and image_embeddings (schema_v8.sql),
// inside the transaction that merges the shard, so the files count only once it commits.
#pragma once

#include <sqlite3.h>

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "sqlite_handle.h"
#include "warcpairs/store/database.h"
#include "warcpairs/store/shard.h"

namespace warcpairs::store {

class EmbeddingMerge {
 public:
  // dir: RUN/embeddings (created on the first part).
  EmbeddingMerge(sqlite3* db, std::filesystem::path dir);
  // Per image of the shard: kept when it has no embedding yet, or one of a lower score
  // revision (that row is then superseded); otherwise counted as present. Image ids outside
  // 1..max_image_id are a corrupt shard (Error, nothing taken). Shards of URL lists (no
  // image ids) keep no embeddings.
  void merge(ShardReader& shard, const std::string& shard_path, int64_t max_image_id,
             MergeCounts& counts);

 private:
  sqlite3* db_;
  std::filesystem::path dir_;
  sql::Statement find_, upsert_, supersede_, insert_part_, next_part_;
  std::vector<int64_t> ids_, kept_ids_;
  std::vector<uint16_t> halves_, kept_halves_;
};

}  // namespace warcpairs::store
