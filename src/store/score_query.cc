// ScoreQuery: the scores table read back for score reruns (docs/storage.md, scores).
#include "warcpairs/store/score_query.h"

#include <string>

#include "merged_database.h"

namespace warcpairs::store {

struct ScoreQuery::Impl {
  explicit Impl(const std::filesystem::path& path) {
    int64_t version = 0;
    db = open_merged_database(path, version);
    has_scores = version >= 3;
    has_revisions = version >= 5;
  }
  sql::Connection db;
  bool has_scores = false, has_revisions = false;
};

ScoreQuery::ScoreQuery(const std::filesystem::path& database)
    : impl_(std::make_unique<Impl>(database)) {}
ScoreQuery::~ScoreQuery() = default;

int32_t ScoreQuery::max_revision() {
  if (!impl_->has_scores) return 0;
  sql::Statement st(impl_->db.get(), impl_->has_revisions
                                         ? "SELECT COALESCE(MAX(revision), 0) FROM scores"
                                         : "SELECT CASE WHEN EXISTS (SELECT 1 FROM scores) "
                                           "THEN 1 ELSE 0 END");
  return st.step() ? static_cast<int32_t>(st.column_int64(0)) : 0;
}

int64_t ScoreQuery::for_each_redo_candidate(int64_t first, int64_t last, bool with_unclipped,
                                            const std::function<void(const StoredScore&)>& fn) {
  if (!impl_->has_scores) return 0;
  const std::string sql =
      std::string("SELECT image_id, url, caption, alt, outcome, detail, http_status, attempts, "
                  "bytes, mime, width, height, sha256, phash, noai, clip_caption, clip_alt, "
                  "clip_model, key, tar, ") +
      (impl_->has_revisions ? "tries, revision" : "1, 1") +
      " FROM scores WHERE image_id BETWEEN ?1 AND ?2 AND (outcome NOT IN ('ok', 'noai') OR "
      "(?3 AND outcome = 'ok' AND tar IS NOT NULL AND clip_caption IS NULL AND clip_alt IS NULL)) "
      "ORDER BY image_id";
  sql::Statement st(impl_->db.get(), sql.c_str());
  st.bind(1, first);
  st.bind(2, last);
  st.bind(3, int64_t{with_unclipped ? 1 : 0});
  StoredScore s;
  int64_t n = 0;
  while (st.step()) {
    ScoreRecord& r = s.record;
    r.image = st.column_int64(0);
    r.url.assign(st.column_text(1));
    r.caption.assign(st.column_text(2));
    r.alt.assign(st.column_text(3));
    r.outcome.assign(st.column_text(4));
    r.detail.assign(st.column_text(5));
    r.http_status = static_cast<int32_t>(st.column_int64_or(6, 0));
    r.attempts = static_cast<int32_t>(st.column_int64(7));
    r.bytes = st.column_int64_or(8, -1);
    r.mime.assign(st.column_text(9));
    r.width = static_cast<int32_t>(st.column_int64_or(10, -1));
    r.height = static_cast<int32_t>(st.column_int64_or(11, -1));
    r.sha256.assign(st.column_text(12));
    r.phash = st.column_int64_or(13, 0);
    r.noai = st.column_int64(14) != 0;
    r.clip_caption = st.column_double_or_nan(15);
    r.clip_alt = st.column_double_or_nan(16);
    s.clip_model.assign(st.column_text(17));
    r.key.assign(st.column_text(18));
    r.tar.assign(st.column_text(19));
    s.tries = static_cast<int32_t>(st.column_int64(20));
    s.revision = static_cast<int32_t>(st.column_int64(21));
    fn(s);
    ++n;
  }
  return n;
}

}  // namespace warcpairs::store
