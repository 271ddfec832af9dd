// What `warcpairs search` reads from a run's database: the parts of the embeddings store
// (schema_v8.sql), the images a --where filter or a --match full-text query lets through,
// and the url and description of the results. LibTorch-free, MPI-free.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace warcpairs::store {

// One .npy pair of the store: `vectors` (float16, rows × dim) and `ids` (int64, rows).
struct EmbeddingPart {
  int64_t part_id = 0;
  std::filesystem::path vectors, ids;
  int64_t rows = 0, dim = 0;
  std::string clip_model;
  std::vector<int64_t> superseded;  // rows a later score revision replaced, ascending
};

struct SearchRow {
  int64_t image_id = 0;
  std::string url;          // images.url ("" when the id has no image row)
  std::string description;  // scores.caption (the description scored), else images.alt
};

// Brings the schema up to date (store::Database) and the full-text index up to the newest
// image: rows with image_id above image_text_state.indexed_upto go in, in one transaction.
// Returns the number of images added. Run by one process (search's rank 0) before readers.
int64_t update_text_index(const std::filesystem::path& database);

class EmbeddingQuery {
 public:
  // Opens the database read-only; throws UsageError when it does not exist or predates the
  // embeddings store (schema 8: run `warcpairs merge` with this build).
  explicit EmbeddingQuery(const std::filesystem::path& database);
  ~EmbeddingQuery();

  // The store's parts in part_id order; paths under <database folder>/embeddings.
  std::vector<EmbeddingPart> parts();
  int64_t max_image_id();
  // Every image_id for which `where` (an SQL expression over the columns of images, pages and
  // scores, joined as `images JOIN pages USING (page_id) LEFT JOIN scores USING (image_id)`)
  // is true. A bad expression is a UsageError with SQLite's message.
  void for_each_where(const std::string& where, const std::function<void(int64_t)>& fn);
  // The images whose alt, title, figcaption or context match an FTS5 query (e.g.
  // "bike AND race", "\"bike race\"", "bik*"), best bm25 rank first, ties by image_id;
  // `rank` is FTS5's bm25 (lower is better). A bad query is a UsageError.
  void for_each_match(const std::string& match,
                      const std::function<void(int64_t image_id, double rank)>& fn);
  // url and description of each id (in the order given).
  std::vector<SearchRow> describe(const std::vector<int64_t>& ids);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace warcpairs::store
