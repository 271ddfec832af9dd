// Database: opens/creates the canonical SQLite file (embedded schema, user_version) and merges
// committed shards, one transaction per shard including its ledger row (exactly once).
#include "warcpairs/store/database.h"

#include <algorithm>
#include <optional>
#include <unordered_map>
#include <vector>

#include "batch_prefetch.h"
#include "embedding_merge.h"
#include "schema_sql.h"  // generated from schema.sql: kSchemaSql
#include "sqlite_handle.h"
#include "warcpairs/core/crash_point.h"
#include "warcpairs/core/error.h"
#include "warcpairs/store/shard.h"
#include "warcpairs/text/language.h"
#include "warcpairs/text/url.h"

namespace warcpairs::store {
namespace fs = std::filesystem;

namespace {

constexpr int64_t kBatchRows = 4096;

using sql::query_int;

// Settings of the connection, not of the file. Rollback journal + synchronous=FULL: a killed
// process (or a power cut) leaves a hot journal that the next opener rolls back, so a shard is
// either fully in or fully out. WAL was measured ~25% slower for this append-only bulk load,
// because every page is written twice (WAL, then checkpoint); see docs/storage.md. The extra
// fsyncs of FULL are a few per shard, not per row.
void configure(sqlite3* db) {
  sql::exec(db,
            "PRAGMA foreign_keys = ON;"
            "PRAGMA journal_mode = DELETE;"
            "PRAGMA synchronous = FULL;"
            "PRAGMA cache_size = -131072;"  // 128 MiB: a whole shard's pages stay dirty in memory
            "PRAGMA temp_store = MEMORY;");
}

void create_or_check_schema(sqlite3* db, const std::string& path) {
  // page_size only takes effect before the first table exists (a no-op afterwards). 16 KiB
  // measured ~5% less merge CPU than 8 KiB; 64 KiB no better within noise and reads more
  // per point lookup (docs/storage.md).
  if (query_int(db, "PRAGMA user_version") == 0) sql::exec(db, "PRAGMA page_size = 16384;");
  sql::exec(db, "BEGIN IMMEDIATE");  // re-read under the write lock: two creators race safely
  try {
    int64_t version = query_int(db, "PRAGMA user_version");
    if (version > kSchemaVersion)
      throw Error("database schema version " + std::to_string(version) +
                      " is newer than this build supports (" + std::to_string(kSchemaVersion) +
                      "); use a newer warcpairs", path);
    if (version == 0) {
      if (query_int(db, "SELECT count(*) FROM sqlite_master") != 0)
        throw Error("not a warcpairs database (tables present, no schema version)", path);
      sql::exec(db, kSchemaSql);
      version = 1;
    }
    if (version < 2) sql::exec(db, kSchemaV2Sql);
    if (version < 3) sql::exec(db, kSchemaV3Sql);
    if (version < 4) sql::exec(db, kSchemaV4Sql);
    if (version < 5) sql::exec(db, kSchemaV5Sql);
    if (version < 6) sql::exec(db, kSchemaV6Sql);
    if (version < 7) sql::exec(db, kSchemaV7Sql);
    if (version < 8) sql::exec(db, kSchemaV8Sql);
    if (version < 9) sql::exec(db, kSchemaV9Sql);
    if (version < 10) sql::exec(db, kSchemaV10Sql);
    if (version < 11) sql::exec(db, kSchemaV11Sql);
    sql::exec(db, ("PRAGMA user_version = " + std::to_string(kSchemaVersion)).c_str());
    sql::exec(db, "COMMIT");
  } catch (...) {
    sqlite3_exec(db, "ROLLBACK", nullptr, nullptr, nullptr);
    throw;
  }
}

// Rolls back unless commit() ran: an exception mid-shard leaves no trace of the shard.
class Transaction {
 public:
  explicit Transaction(sqlite3* db) : db_(db) { sql::exec(db, "BEGIN IMMEDIATE"); }
  ~Transaction() {
    if (db_) sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
  }
  void commit() {
    sql::exec(db_, "COMMIT");
    db_ = nullptr;
  }

 private:
  sqlite3* db_;
};

// Turns foreign-key enforcement off for one merge transaction and back on after it (the
// pragma is a no-op inside a transaction, so this wraps BEGIN..COMMIT). Merge's keys are right
// by construction: file_id is the row inserted in the same transaction, page_id is
// first_page_id + page_row with page_row checked against the shard's page count, and all
// those pages are inserted in the same transaction. Enforcing it anyway was a parent lookup
// per image row, ~10% of merge CPU. Any insert added to merge must keep its keys this way.
class ForeignKeysOffDuringMerge {
 public:
  explicit ForeignKeysOffDuringMerge(sqlite3* db) : db_(db) {
    sql::exec(db, "PRAGMA foreign_keys = OFF");
  }
  ~ForeignKeysOffDuringMerge() {
    sqlite3_exec(db_, "PRAGMA foreign_keys = ON", nullptr, nullptr, nullptr);
  }
  ForeignKeysOffDuringMerge(const ForeignKeysOffDuringMerge&) = delete;
  ForeignKeysOffDuringMerge& operator=(const ForeignKeysOffDuringMerge&) = delete;

 private:
  sqlite3* db_;
};

}  // namespace

struct Database::Impl {
  explicit Impl(const fs::path& p) : path(p.string()), db(sql::open(path)) {
    configure(db.get());
    create_or_check_schema(db.get(), path);
  }

  // Prepared on first merge and reused for every shard after.
  struct MergeStatements {
    explicit MergeStatements(sqlite3* db);
    sql::Statement find_file, insert_file, insert_page, insert_image, insert_skip, insert_shard,
        next_page_id, next_image_id, insert_prediction, insert_score, add_repeat, add_host_pages;
  };

  MergeStatements& statements() {
    if (!merge) merge.emplace(db.get());
    return *merge;
  }

  int64_t insert_file(const FileSummary& f, const std::string& shard_path);
  MergeCounts merge_part(ShardReader& shard, int64_t file_id, bool counts_file,
                         const std::string& shard_path);
  void insert_pages(const std::vector<PageRecord>& rows, int64_t first_page_id, int64_t file_id);
  void insert_images(const std::vector<html::ImageRecord>& rows, int64_t first_image_id,
                     int64_t first_page_id, int64_t page_rows, const std::string& shard_path);
  void merge_rows(ShardReader& shard, int64_t file_id, int64_t first_page_id,
                  int64_t first_image_id, const std::string& shard_path);
  void merge_predictions(ShardReader& shard, int64_t first_image_id, MergeCounts& counts,
                         const std::string& shard_path);
  void merge_scores(ShardReader& shard, MergeCounts& counts, const std::string& shard_path);
  void insert_score(const ScoreRecord& r, bool from_list, const std::string& clip_model,
                    int revision, bool refetched);
  void count_repeat(const html::ImageRecord& im, int64_t page_id);
  void add_repeats();
  std::vector<PredictionRecord> predictions;
  text::LanguageGuess language;  // of each prediction's text
  std::vector<ScoreRecord> scores;
  // Repetition of image URLs per host (image_repeats, host_pages), gathered over one merge
  // transaction and added to the tables before it commits: hosts of the current part's
  // pages by page row; per "host\nurl" the last page counted and the pages so far.
  struct Repeat {
    int64_t last_page = -1;
    int64_t pages = 0;
  };
  std::vector<std::string> page_hosts;
  std::unordered_map<std::string, Repeat> repeats;
  std::unordered_map<std::string, int64_t> host_pages;
  std::string repeat_key;
  int64_t merge_skips(ShardReader& shard, int64_t file_id);

  std::string path;
  sql::Connection db;
  std::optional<MergeStatements> merge;
  std::optional<sql::Statement> find_shard;
  std::optional<EmbeddingMerge> embeddings;  // prepared on the first score shard
  std::vector<SkipEntry> skips;
};

Database::Database(const fs::path& path) : impl_(std::make_unique<Impl>(path)) {}
sqlite3* Database::connection() { return impl_->db.get(); }
Database::~Database() = default;

bool Database::has_shard(const std::string& shard_name) {
  if (!impl_->find_shard) impl_->find_shard.emplace(impl_->db.get(), "SELECT 1 FROM shards WHERE name = ?");
  sql::Statement& st = *impl_->find_shard;
  st.bind(1, shard_name);
  bool found = st.step();
  st.reset();
  return found;
}

Database::Impl::MergeStatements::MergeStatements(sqlite3* db)
    : find_file(db, "SELECT file_id FROM files WHERE path = ?"),
      insert_file(db,
                  "INSERT INTO files(path, size, status, records, pages, images, skipped, error) "
                  "VALUES (?,?,?,?,?,?,?,?)"),
      insert_page(db,
                  "INSERT INTO pages(page_id, file_id, warc_offset, member_offset, record_id, url, "
                  "crawl_date, http_status, content_type, charset, language, title, image_count, text, host, "
                  "text_language, text_language_reliable, text_language_percent, robots) "
                  "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)"),
      insert_image(db,
                   "INSERT INTO images(image_id, page_id, idx, url, src, srcset, alt, has_alt, "
                   "title, width, height, figcaption, dom_path, context, image_pos, label_start, "
                   "label_end, region, kind, kind_reason, context_language, context_language_reliable) "
                   "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)"),
      insert_skip(db, "INSERT INTO skips(file_id, warc_offset, reason, detail) VALUES (?,?,?,?)"),
      insert_shard(db,
                   "INSERT INTO shards(name, stage, files, pages, images, skips) "
                   "VALUES (?,?,?,?,?,?)"),
      next_page_id(db, "SELECT COALESCE(MAX(page_id), 0) + 1 FROM pages"),
      next_image_id(db, "SELECT COALESCE(MAX(image_id), 0) + 1 FROM images"),
      insert_prediction(db,
                        "INSERT INTO predictions(image_id, model, span_start, span_end, text, "
                        "score, language, language_reliable) VALUES (?,?,?,?,?,?,?,?) "
                        "ON CONFLICT DO NOTHING"),
      insert_score(db,
                   "INSERT INTO scores(image_id, list_row, url, caption, alt, outcome, detail, "
                   "http_status, attempts, bytes, mime, width, height, sha256, phash, noai, "
                   "clip_caption, clip_alt, clip_model, key, tar, revision, tries, unsafe) "
                   "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?22,1,?24) "
                   // A redo shard's row (higher revision) replaces the stored one; a shard
                   // merged again, or an older revision, changes nothing.
                   "ON CONFLICT(image_id) WHERE image_id IS NOT NULL DO UPDATE SET "
                   "url = excluded.url, caption = excluded.caption, alt = excluded.alt, "
                   "outcome = excluded.outcome, detail = excluded.detail, "
                   "http_status = excluded.http_status, attempts = excluded.attempts, "
                   "bytes = excluded.bytes, mime = excluded.mime, width = excluded.width, "
                   "height = excluded.height, sha256 = excluded.sha256, phash = excluded.phash, "
                   "noai = excluded.noai, clip_caption = excluded.clip_caption, "
                   "clip_alt = excluded.clip_alt, clip_model = excluded.clip_model, "
                   "unsafe = excluded.unsafe, "
                   "key = excluded.key, tar = excluded.tar, revision = excluded.revision, "
                   "tries = scores.tries + ?23 WHERE excluded.revision > scores.revision "
                   "ON CONFLICT DO NOTHING"),
      add_repeat(db,
                 "INSERT INTO image_repeats(host, url, pages) VALUES (?,?,?) "
                 "ON CONFLICT(host, url) DO UPDATE SET pages = pages + excluded.pages"),
      add_host_pages(db,
                     "INSERT INTO host_pages(host, pages) VALUES (?,?) "
                     "ON CONFLICT(host) DO UPDATE SET pages = pages + excluded.pages") {}

// Inserts the file's row and returns its file_id. Two shard sequences for one WARC file
// would double its rows: refused loudly, nothing taken.
int64_t Database::Impl::insert_file(const FileSummary& f, const std::string& shard_path) {
  MergeStatements& st = statements();
  st.find_file.bind(1, f.path);
  bool seen = st.find_file.step();
  st.find_file.reset();
  if (seen)
    throw Error("WARC file " + f.path + " is already in the database from another shard",
                shard_path);
  sql::Statement& ins = st.insert_file;
  ins.bind(1, f.path);
  ins.bind(2, f.size);
  ins.bind(3, f.status);
  ins.bind(4, f.records);
  ins.bind(5, f.pages);
  ins.bind(6, f.images);
  ins.bind(7, f.skipped);
  ins.bind(8, f.error);
  ins.run();
  return sqlite3_last_insert_rowid(db.get());
}

// page_id = first_page_id + page_row: ids are dense per shard, so images need no lookup table.
void Database::Impl::insert_pages(const std::vector<PageRecord>& rows, int64_t first_page_id,
                                  int64_t file_id) {
  sql::Statement& ins = statements().insert_page;
  for (std::size_t r = 0; r < rows.size(); ++r) {
    const PageRecord& p = rows[r];
    ins.bind(1, first_page_id + static_cast<int64_t>(r));
    ins.bind(2, file_id);
    ins.bind(3, p.warc_offset);
    ins.bind(4, p.member_offset);
    ins.bind(5, p.record_id);
    ins.bind(6, p.url);
    ins.bind(7, p.crawl_date);
    ins.bind(8, p.http_status);
    ins.bind(9, p.content_type);
    ins.bind(10, p.charset);
    ins.bind(11, p.language);
    ins.bind(12, p.title);
    ins.bind(13, p.image_count);
    ins.bind(14, p.text);
    page_hosts.push_back(text::url_host(p.url));
    ins.bind(15, page_hosts.back());
    ins.bind(16, p.text_language);
    ins.bind(17, int64_t{p.text_language_reliable});
    ins.bind(18, int64_t{p.text_language_percent});
    ins.bind(19, p.robots);
    ins.run();
    ++host_pages[page_hosts.back()];
  }
}

// image_id = first_image_id + image row, like pages: a prediction stored with the shard's image
// row finds its image without a lookup.
void Database::Impl::insert_images(const std::vector<html::ImageRecord>& rows, int64_t first_image_id,
                                   int64_t first_page_id, int64_t page_rows,
                                   const std::string& shard_path) {
  sql::Statement& ins = statements().insert_image;
  for (std::size_t r = 0; r < rows.size(); ++r) {
    const html::ImageRecord& im = rows[r];
    if (im.page_row < 0 || im.page_row >= page_rows)
      throw Error("corrupt shard: image refers to page row " + std::to_string(im.page_row),
                  shard_path);
    ins.bind(1, first_image_id + static_cast<int64_t>(r));
    ins.bind(2, first_page_id + im.page_row);
    ins.bind(3, im.index);
    ins.bind(4, im.url);
    ins.bind(5, im.src);
    ins.bind(6, im.srcset);
    ins.bind(7, im.alt);
    ins.bind(8, int64_t{im.has_alt});
    ins.bind(9, im.title);
    ins.bind_or_null(10, im.width, -1);
    ins.bind_or_null(11, im.height, -1);
    ins.bind(12, im.figcaption);
    ins.bind(13, im.dom_path);
    ins.bind(14, im.context);
    ins.bind(15, im.image_pos);
    ins.bind_or_null(16, im.label_start, -1);
    ins.bind_or_null(17, im.label_start < 0 ? -1 : im.label_end, -1);
    ins.bind(18, im.region);
    ins.bind(19, im.kind.empty() ? std::string_view("unknown") : std::string_view(im.kind));
    ins.bind(20, im.kind_reason);
    ins.bind(21, im.context_language);
    ins.bind(22, int64_t{im.context_language_reliable});
    ins.run();
    count_repeat(im, first_page_id + im.page_row);
  }
}

// An image URL counts once per page (a page may show the same image twice).
void Database::Impl::count_repeat(const html::ImageRecord& im, int64_t page_id) {
  repeat_key.assign(page_hosts[static_cast<std::size_t>(im.page_row)]).append("\n").append(im.url);
  Repeat& r = repeats[repeat_key];
  if (r.last_page != page_id) r.last_page = page_id, ++r.pages;
}

// In key order: the WITHOUT ROWID table's B-tree is then walked forwards, not at random
// (merge_bench: fewer page touches per upsert).
void Database::Impl::add_repeats() {
  MergeStatements& st = statements();
  std::vector<const std::pair<const std::string, Repeat>*> sorted;
  sorted.reserve(repeats.size());
  for (const auto& entry : repeats) sorted.push_back(&entry);
  std::sort(sorted.begin(), sorted.end(), [](const auto* a, const auto* b) { return a->first < b->first; });
  for (const auto* entry : sorted) {
    const std::string& key = entry->first;
    const Repeat& r = entry->second;
    const std::size_t cut = key.find('\n');
    st.add_repeat.bind(1, std::string_view(key).substr(0, cut));
    st.add_repeat.bind(2, std::string_view(key).substr(cut + 1));
    st.add_repeat.bind(3, r.pages);
    st.add_repeat.run();
  }
  for (const auto& [host, pages] : host_pages) {
    st.add_host_pages.bind(1, host);
    st.add_host_pages.bind(2, pages);
    st.add_host_pages.run();
  }
  repeats.clear();
  host_pages.clear();
}

// Pages, then images, batch by batch as the reader thread decodes them.
void Database::Impl::merge_rows(ShardReader& shard, int64_t file_id, int64_t first_page_id,
                                int64_t first_image_id, const std::string& shard_path) {
  const int64_t page_rows = shard.page_count();
  page_hosts.clear();
  BatchPrefetch prefetch(shard, kBatchRows);
  while (const BatchPrefetch::Batch* b = prefetch.next()) {
    if (b->pages) insert_pages(b->page, first_page_id + b->first, file_id);
    else insert_images(b->image, first_image_id + b->first, first_page_id, page_rows, shard_path);
  }
}

// An extract shard's predictions name their image by its row in the shard (the ids are given
// only here); a predict shard's by image_id, which must exist.
void Database::Impl::merge_predictions(ShardReader& shard, int64_t first_image_id,
                                       MergeCounts& counts, const std::string& shard_path) {
  const int64_t total = shard.prediction_count();
  if (total == 0) return;
  const std::string model = shard.model();
  if (model.empty()) throw Error("shard has predictions but names no model", shard_path);
  const bool by_row = shard.stage() == "extract";
  const int64_t image_rows = shard.image_count();
  const int64_t max_image_id = query_int(db.get(), "SELECT COALESCE(MAX(image_id), 0) FROM images");
  sql::Statement& ins = statements().insert_prediction;
  for (int64_t first = 0; first < total; first += kBatchRows) {
    shard.read_predictions(first, kBatchRows, predictions);
    for (const PredictionRecord& p : predictions) {
      if (by_row ? (p.image < 0 || p.image >= image_rows) : (p.image < 1 || p.image > max_image_id))
        throw Error("corrupt shard: prediction for image " + std::to_string(p.image) +
                        (by_row ? " (row)" : " (image_id)") + ", which does not exist",
                    shard_path);
      const bool span = p.start >= 0 && p.end >= p.start;
      ins.bind(1, by_row ? first_image_id + p.image : p.image);
      ins.bind(2, model);
      ins.bind_or_null(3, span ? int64_t{p.start} : -1, -1);
      ins.bind_or_null(4, span ? int64_t{p.end} : -1, -1);
      ins.bind(5, p.text);
      ins.bind_double(6, p.score);
      // The description's language, here where both kinds of prediction shards meet.
      text::detect_language(p.text, language);
      ins.bind(7, language.code);
      ins.bind(8, int64_t{language.reliable});
      ins.run();
      if (sqlite3_changes(db.get()) == 1) ++counts.predictions;
      else ++counts.predictions_present;
    }
  }
}

int64_t Database::Impl::merge_skips(ShardReader& shard, int64_t file_id) {
  sql::Statement& ins = statements().insert_skip;
  const int64_t total = shard.skip_count();
  for (int64_t first = 0; first < total; first += kBatchRows) {
    shard.read_skips(first, kBatchRows, skips);
    for (const SkipEntry& s : skips) {
      ins.bind(1, file_id);
      ins.bind(2, s.offset);
      ins.bind(3, s.reason);
      ins.bind(4, s.detail);
      ins.run();
    }
  }
  return total;
}

void Database::Impl::insert_score(const ScoreRecord& r, bool from_list,
                                  const std::string& clip_model, int revision, bool refetched) {
  sql::Statement& ins = statements().insert_score;
  auto text_or_null = [&](int i, const std::string& v) { v.empty() ? ins.bind_null(i) : ins.bind(i, v); };
  auto real_or_null = [&](int i, double v) { v == v ? ins.bind_double(i, v) : ins.bind_null(i); };
  const bool fetched = r.bytes >= 0;
  from_list ? ins.bind_null(1) : ins.bind(1, r.image);
  from_list ? ins.bind(2, r.image) : ins.bind_null(2);
  ins.bind(3, r.url);
  ins.bind(4, r.caption);
  ins.bind(5, r.alt);
  ins.bind(6, r.outcome);
  ins.bind(7, r.detail);
  ins.bind_or_null(8, r.http_status, 0);
  ins.bind(9, int64_t{r.attempts});
  ins.bind_or_null(10, r.bytes, -1);
  text_or_null(11, r.mime);
  ins.bind_or_null(12, r.width, -1);
  ins.bind_or_null(13, r.height, -1);
  text_or_null(14, r.sha256);
  fetched && r.outcome == "ok" ? ins.bind(15, r.phash) : ins.bind_null(15);
  ins.bind(16, int64_t{r.noai});
  real_or_null(17, r.clip_caption);
  real_or_null(18, r.clip_alt);
  (r.clip_caption == r.clip_caption || r.clip_alt == r.clip_alt) ? text_or_null(19, clip_model)
                                                                : ins.bind_null(19);
  text_or_null(20, r.key);
  text_or_null(21, r.tar);
  ins.bind(22, int64_t{revision});
  ins.bind(23, int64_t{refetched ? 1 : 0});
  real_or_null(24, r.unsafe);
  ins.run();
}

// A score shard names its pairs by image_id (which must exist) or by URL-list row.
void Database::Impl::merge_scores(ShardReader& shard, MergeCounts& counts,
                                  const std::string& shard_path) {
  const int64_t total = shard.score_count();
  if (total == 0) return;
  const bool from_list = shard.stage() == "score_list";
  const int64_t max_image_id = query_int(db.get(), "SELECT COALESCE(MAX(image_id), 0) FROM images");
  const std::string clip_model = shard.clip_model();
  for (int64_t first = 0; first < total; first += kBatchRows) {
    shard.read_scores(first, kBatchRows, scores);
    for (const ScoreRecord& r : scores) {
      if (from_list ? r.image < 1 : (r.image < 1 || r.image > max_image_id))
        throw Error("corrupt shard: score for " + std::string(from_list ? "list row " : "image ") +
                        std::to_string(r.image) + ", which does not exist", shard_path);
      insert_score(r, from_list, clip_model, shard.score_revision(), shard.score_refetched());
      if (sqlite3_changes(db.get()) == 1) ++counts.scores;
      else ++counts.scores_present;
    }
  }
}

// One shard's rows and its ledger row, inside the caller's transaction.
MergeCounts Database::Impl::merge_part(ShardReader& shard, int64_t file_id, bool counts_file,
                                       const std::string& shard_path) {
  MergeCounts counts;
  counts.files = counts_file ? 1 : 0;
  MergeStatements& st = statements();
  st.next_page_id.step();
  const int64_t first_page_id = st.next_page_id.column_int64(0);
  st.next_page_id.reset();
  st.next_image_id.step();
  const int64_t first_image_id = st.next_image_id.column_int64(0);
  st.next_image_id.reset();
  // HDF5 is the reader thread's meanwhile
  merge_rows(shard, file_id, first_page_id, first_image_id, shard_path);
  merge_predictions(shard, first_image_id, counts, shard_path);
  merge_scores(shard, counts, shard_path);
  if (shard.embedding_count() > 0) {
    if (!embeddings) embeddings.emplace(db.get(), fs::path(path).parent_path() / "embeddings");
    embeddings->merge(shard, shard_path,
                      query_int(db.get(), "SELECT COALESCE(MAX(image_id), 0) FROM images"), counts);
  }
  counts.pages = shard.page_count();
  counts.images = shard.image_count();
  counts.skips = merge_skips(shard, file_id);
  // bind() does not copy (SQLITE_STATIC): the name must live until run().
  const std::string name = fs::path(shard_path).filename().string();
  const std::string stage = shard.stage();
  st.insert_shard.bind(1, name);
  st.insert_shard.bind(2, stage);
  st.insert_shard.bind(3, counts.files);
  st.insert_shard.bind(4, counts.pages);
  st.insert_shard.bind(5, counts.images);
  st.insert_shard.bind(6, counts.skips);
  st.insert_shard.run();
  return counts;
}

MergeCounts Database::merge_shard(const fs::path& shard_path) { return merge_parts({shard_path}); }

MergeCounts Database::merge_parts(const std::vector<fs::path>& parts) {
  if (parts.empty()) return {};
  const std::string first_name = parts.front().filename().string();
  if (has_shard(first_name)) return {};
  // The last part validates before anything is written and carries the file's totals.
  ShardReader last(parts.back());
  const FileSummary file = last.file();
  const std::string where = parts.back().string();
  if (parts.size() > 1) check_last_part(file, parts.size(), where);  // a lone shard may name no file
  Impl& s = *impl_;
  ForeignKeysOffDuringMerge fk_off(s.db.get());  // outlives tx: restored after COMMIT/ROLLBACK
  Transaction tx(s.db.get());
  if (has_shard(first_name)) return {};  // another merge process took it while we opened it
  s.repeats.clear();
  s.host_pages.clear();
  int64_t file_id = 0;
  if (!file.path.empty()) {
    file_id = s.insert_file(file, where);
  } else if (last.page_count() || last.image_count() || last.skip_count() ||
             (last.prediction_count() && last.stage() == "extract") ||
             (last.score_count() && last.stage() == "extract")) {
    throw Error("shard has rows but no /file row", where);
  }
  MergeCounts total;
  for (std::size_t i = 0; i < parts.size(); ++i) {
    const bool is_last = i + 1 == parts.size();
    std::optional<ShardReader> earlier;
    if (!is_last) {
      earlier.emplace(parts[i]);
      check_earlier_part(earlier->file(), i, file, parts[i].string());
    }
    const MergeCounts c = s.merge_part(is_last ? last : *earlier, file_id,
                                       is_last && file_id != 0, parts[i].string());
    total.files += c.files, total.pages += c.pages, total.images += c.images, total.skips += c.skips;
    total.predictions += c.predictions, total.predictions_present += c.predictions_present;
    total.scores += c.scores, total.scores_present += c.scores_present;
    total.embeddings += c.embeddings, total.embeddings_present += c.embeddings_present;
    crash_point("merge_in_transaction");
  }
  s.add_repeats();
  tx.commit();
  return total;
}

}  // namespace warcpairs::store
