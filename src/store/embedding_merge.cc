// EmbeddingMerge (embedding_merge.h). The .npy files are written (temporary, fsync, rename)
// before the caller commits; a merge killed in between leaves files that no embedding_parts
// row names, and the rerun that takes the shard writes them again under the same name.
#include "embedding_merge.h"

#include "warcpairs/core/crash_point.h"
#include "warcpairs/core/error.h"
#include "warcpairs/store/npy.h"

namespace warcpairs::store {
namespace fs = std::filesystem;

namespace {
constexpr int64_t kBatch = 4096;
}

EmbeddingMerge::EmbeddingMerge(sqlite3* db, fs::path dir)
    : db_(db), dir_(std::move(dir)),
      find_(db, "SELECT part_id, row, revision FROM image_embeddings WHERE image_id = ?"),
      upsert_(db, "INSERT INTO image_embeddings(image_id, part_id, row, revision) VALUES (?,?,?,?) "
                  "ON CONFLICT(image_id) DO UPDATE SET part_id = excluded.part_id, "
                  "row = excluded.row, revision = excluded.revision"),
      supersede_(db, "INSERT OR IGNORE INTO embeddings_superseded(part_id, row) VALUES (?,?)"),
      insert_part_(db, "INSERT INTO embedding_parts(part_id, file, shard, rows, dim, clip_model) "
                       "VALUES (?,?,?,?,?,?)"),
      next_part_(db, "SELECT COALESCE(MAX(part_id), 0) + 1 FROM embedding_parts") {}

void EmbeddingMerge::merge(ShardReader& shard, const std::string& shard_path,
                           int64_t max_image_id, MergeCounts& counts) {
  const int64_t total = shard.embedding_count();
  if (total == 0 || shard.stage() != "score") return;
  const int64_t dim = shard.embedding_dim();
  const std::string clip_model = shard.clip_model();
  if (clip_model.empty()) throw Error("shard has embeddings but names no CLIP model", shard_path);
  const int64_t revision = shard.score_revision();
  next_part_.step();
  const int64_t part_id = next_part_.column_int64(0);
  next_part_.reset();
  kept_ids_.clear();
  kept_halves_.clear();
  for (int64_t first = 0; first < total; first += kBatch) {
    shard.read_embeddings(first, kBatch, ids_, halves_);
    for (std::size_t i = 0; i < ids_.size(); ++i) {
      const int64_t image = ids_[i];
      if (image < 1 || image > max_image_id)
        throw Error("corrupt shard: embedding for image " + std::to_string(image) +
                        ", which does not exist", shard_path);
      find_.bind(1, image);
      const bool has = find_.step();
      const int64_t old_part = has ? find_.column_int64(0) : 0, old_row = has ? find_.column_int64(1) : 0;
      const int64_t old_revision = has ? find_.column_int64(2) : 0;
      find_.reset();
      if (has && old_revision >= revision) {
        ++counts.embeddings_present;
        continue;
      }
      if (has) {
        supersede_.bind(1, old_part);
        supersede_.bind(2, old_row);
        supersede_.run();
      }
      upsert_.bind(1, image);
      upsert_.bind(2, part_id);
      upsert_.bind(3, static_cast<int64_t>(kept_ids_.size()));
      upsert_.bind(4, revision);
      upsert_.run();
      kept_ids_.push_back(image);
      kept_halves_.insert(kept_halves_.end(), halves_.begin() + static_cast<std::ptrdiff_t>(i * dim),
                          halves_.begin() + static_cast<std::ptrdiff_t>((i + 1) * dim));
    }
  }
  if (kept_ids_.empty()) return;
  fs::create_directories(dir_);
  const std::string stem = fs::path(shard_path).stem().string();
  const int64_t rows = static_cast<int64_t>(kept_ids_.size());
  NpyWriter vectors(dir_ / (stem + ".npy"), "<f2", {rows, dim});
  vectors.write(kept_halves_.data(), kept_halves_.size() * sizeof(uint16_t));
  vectors.commit();
  NpyWriter ids(dir_ / (stem + ".ids.npy"), "<i8", {rows});
  ids.write(kept_ids_.data(), kept_ids_.size() * sizeof(int64_t));
  ids.commit();
  crash_point("merge_embeddings_written");  // tests: the files exist, the transaction has not committed
  const std::string file = stem + ".npy";
  insert_part_.bind(1, part_id);
  insert_part_.bind(2, file);
  const std::string shard_name = fs::path(shard_path).filename().string();
  insert_part_.bind(3, shard_name);
  insert_part_.bind(4, rows);
  insert_part_.bind(5, dim);
  insert_part_.bind(6, clip_model);
  insert_part_.run();
  counts.embeddings += rows;
}

}  // namespace warcpairs::store
