// EmbeddingQuery and update_text_index (embedding_query.h).
#include "warcpairs/store/embedding_query.h"

#include <algorithm>

#include "sqlite_handle.h"
#include "warcpairs/core/error.h"
#include "warcpairs/store/database.h"

namespace warcpairs::store {
namespace fs = std::filesystem;

namespace {

// SQLite's message for a statement the user wrote, as a usage error naming the option.
[[noreturn]] void bad_user_sql(sqlite3* db, const std::string& option, const std::string& text) {
  throw UsageError(option + " \"" + text + "\": " + sqlite3_errmsg(db));
}

}  // namespace

int64_t update_text_index(const fs::path& database) {
  { Database migrate(database); }  // schema 10 before anything reads image_text
  if (!sqlite3_compileoption_used("ENABLE_FTS5"))
    throw UsageError("--match needs SQLite with FTS5, and the SQLite this warcpairs uses (" +
                     std::string(sqlite3_libversion()) + ") was built without it");
  sql::Connection db = sql::open(database.string());
  sql::exec(db.get(), "BEGIN IMMEDIATE");
  try {
    sql::exec(db.get(), "CREATE VIRTUAL TABLE IF NOT EXISTS image_text USING fts5(alt, title, "
                        "figcaption, context, content='', tokenize='unicode61 remove_diacritics 2')");
    sql::Statement upto(db.get(), "SELECT indexed_upto FROM image_text_state WHERE id = 1");
    const int64_t from = upto.step() ? upto.column_int64(0) : 0;
    sql::Statement add(db.get(),
                       "INSERT INTO image_text(rowid, alt, title, figcaption, context) "
                       "SELECT image_id, alt, title, figcaption, context FROM images WHERE image_id > ?");
    add.bind(1, from);
    add.run();
    const int64_t added = sqlite3_changes(db.get());
    sql::exec(db.get(), "UPDATE image_text_state SET indexed_upto = "
                        "(SELECT COALESCE(MAX(image_id), 0) FROM images) WHERE id = 1");
    sql::exec(db.get(), "COMMIT");
    return added;
  } catch (...) {
    sqlite3_exec(db.get(), "ROLLBACK", nullptr, nullptr, nullptr);
    throw;
  }
}

struct EmbeddingQuery::Impl {
  fs::path path;
  sql::Connection db;
};

EmbeddingQuery::EmbeddingQuery(const fs::path& database) : impl_(std::make_unique<Impl>()) {
  if (!fs::is_regular_file(database))
    throw UsageError("no database " + database.string() + ": run `warcpairs merge --out " +
                     database.parent_path().string() + "` first");
  impl_->path = database;
  impl_->db = sql::open(database.string(), true);
  sql::Statement v(impl_->db.get(), "PRAGMA user_version");
  const int64_t version = v.step() ? v.column_int64(0) : 0;
  if (version < 10)
    throw UsageError(database.string() + " is schema version " + std::to_string(version) +
                     ", before the embeddings store (10): run `warcpairs merge --out " +
                     database.parent_path().string() + "` with this build first");
}

EmbeddingQuery::~EmbeddingQuery() = default;

std::vector<EmbeddingPart> EmbeddingQuery::parts() {
  std::vector<EmbeddingPart> out;
  const fs::path dir = impl_->path.parent_path() / "embeddings";
  sql::Statement st(impl_->db.get(),
                    "SELECT part_id, file, rows, dim, clip_model FROM embedding_parts ORDER BY part_id");
  while (st.step()) {
    EmbeddingPart p;
    p.part_id = st.column_int64(0);
    const std::string file(st.column_text(1));
    p.vectors = dir / file;
    p.ids = dir / (fs::path(file).stem().string() + ".ids.npy");
    p.rows = st.column_int64(2);
    p.dim = st.column_int64(3);
    p.clip_model = std::string(st.column_text(4));
    out.push_back(std::move(p));
  }
  sql::Statement sup(impl_->db.get(),
                     "SELECT part_id, row FROM embeddings_superseded ORDER BY part_id, row");
  while (sup.step()) {
    const int64_t id = sup.column_int64(0);
    auto it = std::lower_bound(out.begin(), out.end(), id,
                               [](const EmbeddingPart& p, int64_t v) { return p.part_id < v; });
    if (it != out.end() && it->part_id == id) it->superseded.push_back(sup.column_int64(1));
  }
  return out;
}

int64_t EmbeddingQuery::max_image_id() {
  sql::Statement st(impl_->db.get(), "SELECT COALESCE(MAX(image_id), 0) FROM images");
  return st.step() ? st.column_int64(0) : 0;
}

void EmbeddingQuery::for_each_where(const std::string& where, const std::function<void(int64_t)>& fn) {
  const std::string q = "SELECT image_id FROM images JOIN pages USING (page_id) "
                        "LEFT JOIN scores USING (image_id) WHERE (" + where + ")";
  sqlite3_stmt* raw = nullptr;
  if (sqlite3_prepare_v2(impl_->db.get(), q.c_str(), -1, &raw, nullptr) != SQLITE_OK)
    bad_user_sql(impl_->db.get(), "--where", where);
  std::unique_ptr<sqlite3_stmt, int (*)(sqlite3_stmt*)> st(raw, sqlite3_finalize);
  int rc;
  while ((rc = sqlite3_step(raw)) == SQLITE_ROW) fn(sqlite3_column_int64(raw, 0));
  if (rc != SQLITE_DONE) bad_user_sql(impl_->db.get(), "--where", where);
}

void EmbeddingQuery::for_each_match(const std::string& match,
                                    const std::function<void(int64_t, double)>& fn) {
  sqlite3_stmt* raw = nullptr;
  const char* q = "SELECT rowid, rank FROM image_text WHERE image_text MATCH ? ORDER BY rank, rowid";
  if (sqlite3_prepare_v2(impl_->db.get(), q, -1, &raw, nullptr) != SQLITE_OK)
    sql::fail(impl_->db.get(), "prepare full-text query");
  std::unique_ptr<sqlite3_stmt, int (*)(sqlite3_stmt*)> st(raw, sqlite3_finalize);
  sqlite3_bind_text(raw, 1, match.data(), static_cast<int>(match.size()), SQLITE_STATIC);
  int rc;
  while ((rc = sqlite3_step(raw)) == SQLITE_ROW)
    fn(sqlite3_column_int64(raw, 0), sqlite3_column_double(raw, 1));
  if (rc != SQLITE_DONE) bad_user_sql(impl_->db.get(), "--match", match);
}

std::vector<SearchRow> EmbeddingQuery::describe(const std::vector<int64_t>& ids) {
  sql::Statement st(impl_->db.get(),
                    "SELECT images.url, COALESCE(NULLIF(scores.caption, ''), images.alt) "
                    "FROM images LEFT JOIN scores USING (image_id) WHERE images.image_id = ?");
  std::vector<SearchRow> out;
  for (int64_t id : ids) {
    SearchRow r;
    r.image_id = id;
    st.bind(1, id);
    if (st.step()) r.url = std::string(st.column_text(0)), r.description = std::string(st.column_text(1));
    st.reset();
    out.push_back(std::move(r));
  }
  return out;
}

}  // namespace warcpairs::store
