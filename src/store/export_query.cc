// ExportQuery: one streamed SELECT over images ⋈ pages, left-joined with predictions, scores
// and review decisions when the schema has them (versions 2, 3 and 4, docs/storage.md), then
// one over the scores of `score --pairs` lists (list_row set, no images row to join).
#include "warcpairs/store/export_query.h"

#include "merged_database.h"
#include "sqlite_handle.h"

namespace warcpairs::store {

struct ExportQuery::Impl {
  explicit Impl(const std::filesystem::path& path) : db(open_merged_database(path, version)) {}
  int64_t version = 0;  // set by open_merged_database, so declared before db
  sql::Connection db;
};

ExportQuery::ExportQuery(const std::filesystem::path& database)
    : impl_(std::make_unique<Impl>(database)) {}
ExportQuery::~ExportQuery() = default;

bool ExportQuery::has_scores() {
  if (impl_->version < 3) return false;
  sql::Statement st(impl_->db.get(), "SELECT EXISTS (SELECT 1 FROM scores)");
  return st.step() && st.column_int64(0) != 0;
}

std::vector<std::string> ExportQuery::prediction_models() {
  std::vector<std::string> out;
  if (impl_->version < 2) return out;
  sql::Statement st(impl_->db.get(),
                    "SELECT model FROM predictions GROUP BY model ORDER BY count(*) DESC, model");
  while (st.step()) out.emplace_back(st.column_text(0));
  return out;
}

int64_t ExportQuery::last_review_decision() {
  if (impl_->version < 4) return 0;
  sql::Statement st(impl_->db.get(), "SELECT COALESCE(max(decision_id), 0) FROM review_decisions");
  return st.step() ? st.column_int64(0) : 0;
}

namespace {

constexpr const char* kScoreColumns =
    "s.width, s.height, s.sha256, s.phash, s.noai, s.clip_caption, s.clip_alt, s.clip_model, s.outcome, s.key, s.tar, ";

// The pair's detected language (schema 8): CLD2 on the description when it was reliable, else
// on the context it was cut from when reliable, else on the page's visible text ("" unknown).
// An alt-text description has no detection of its own (alt texts are too short for CLD2).
std::string detected_language_sql(bool predictions, int64_t version) {
  if (version < 8) return "''";
  std::string s = "CASE ";
  if (predictions)
    s += "WHEN COALESCE(pr.text, '') <> '' AND pr.language_reliable AND pr.language <> '' "
         "THEN pr.language ";
  return s + "WHEN i.context_language_reliable AND i.context_language <> '' "
             "THEN i.context_language ELSE p.text_language END";
}

// The SELECT of database pairs for what the schema has; columns 0..27 in the order read_row()
// reads them.
std::string export_sql(bool predictions, bool scores, bool review, int64_t version) {
  const std::string machine = predictions ? "COALESCE(NULLIF(pr.text, ''), i.alt)" : "i.alt";
  const std::string text = review ? "CASE WHEN rd.action = 'edit' THEN rd.text ELSE " + machine + " END" : machine;
  std::string source = predictions ? "CASE WHEN COALESCE(pr.text, '') <> '' THEN 'model' ELSE 'alt' END" : "'alt'";
  if (review) source = "CASE WHEN rd.action = 'edit' THEN 'review' ELSE " + source + " END";
  std::string s =
      "SELECT i.image_id, i.url, p.url, p.crawl_date, p.language, " + text + ", i.alt, "
      "i.width, i.height, ";
  s += scores ? kScoreColumns : "NULL, NULL, NULL, NULL, 0, NULL, NULL, NULL, NULL, NULL, NULL, ";
  s += review ? "rd.action, " + machine + ", " : "NULL, NULL, ";
  s += source + ", NULL, " + kind_column(version) + ", ";
  s += detected_language_sql(predictions, version) + ", ";
  s += version >= 8 && scores ? "s.unsafe, p.robots " : "NULL, '' ";
  s += "FROM images i JOIN pages p ON p.page_id = i.page_id ";
  s += kind_join(version);
  if (predictions) s += "LEFT JOIN predictions pr ON pr.image_id = i.image_id AND pr.model = ?1 ";
  if (scores) s += "LEFT JOIN scores s ON s.image_id = i.image_id ";
  // The pair's latest decision up to the bound (?2); a reset row reads as no decision.
  if (review)
    s += "LEFT JOIN review_decisions rd ON rd.decision_id = (SELECT max(x.decision_id) FROM "
         "review_decisions x WHERE x.image_id = i.image_id AND x.decision_id <= ?2) ";
  s += "WHERE " + text + " <> '' ORDER BY i.image_id";
  return s;
}

// The pairs of `score --pairs` lists: the caption is the description (a reviewer's edit
// replaces it, from schema 9 on, with the same bound ?2 as the database's pairs); no page.
std::string list_sql(int64_t version, bool review) {
  const std::string text = review ? "CASE WHEN rd.action = 'edit' THEN rd.text ELSE s.caption END" : "s.caption";
  const std::string list_unsafe = version >= 8 ? "s.unsafe" : "NULL";
  std::string s = "SELECT NULL, s.url, '', '', '', " + text + ", s.alt, NULL, NULL, " + kScoreColumns;
  s += review ? "rd.action, s.caption, CASE WHEN rd.action = 'edit' THEN 'review' ELSE 'pairs-list' END, "
              : "NULL, NULL, 'pairs-list', ";
  s += "s.list_row, '', '', " + list_unsafe + ", '' FROM scores s ";
  if (review)
    s += "LEFT JOIN review_decisions rd ON rd.decision_id = (SELECT max(x.decision_id) FROM "
         "review_decisions x WHERE x.list_row = s.list_row AND x.decision_id <= ?2) ";
  return s + "WHERE s.list_row IS NOT NULL AND s.caption <> '' AND " + text + " <> '' ORDER BY s.list_row";
}

void read_row(const sql::Statement& st, ExportRow& r) {
  r.image_id = st.column_int64(0);
  r.url.assign(st.column_text(1));
  r.page_url.assign(st.column_text(2));
  r.crawl_date.assign(st.column_text(3));
  r.language.assign(st.column_text(4));
  r.text.assign(st.column_text(5));
  r.alt.assign(st.column_text(6));
  r.size_from_scores = !st.column_null(9);
  const int w = r.size_from_scores ? 9 : 7, h = w + 1;
  r.width = st.column_int64_or(w, -1);
  r.height = st.column_int64_or(h, -1);
  r.sha256.assign(st.column_text(11));
  r.has_phash = !st.column_null(12);
  r.phash = r.has_phash ? static_cast<uint64_t>(st.column_int64(12)) : 0;
  r.noai = st.column_int64(13) != 0;
  r.clip_caption = st.column_double_or_nan(14);
  r.clip_alt = st.column_double_or_nan(15);
  r.clip_model.assign(st.column_text(16));
  r.outcome.assign(st.column_text(17));
  r.key.assign(st.column_text(18));
  r.tar.assign(st.column_text(19));
  r.review.assign(st.column_text(20));
  if (r.review == "reset") r.review.clear();
  r.machine_text = r.review == "edit" ? std::string(st.column_text(21)) : std::string();
  r.text_source.assign(st.column_text(22));
  r.list_row = st.column_int64_or(23, 0);
  r.kind.assign(st.column_text(24));
  r.detected_language.assign(st.column_text(25));
  r.unsafe = st.column_double_or_nan(26);
  r.page_robots.assign(st.column_text(27));
}

}  // namespace

int64_t ExportQuery::for_each(const std::string& span_model, int64_t review_up_to,
                              const std::function<void(const ExportRow&)>& fn) {
  const bool predictions = impl_->version >= 2 && !span_model.empty();
  const bool scores = impl_->version >= 3;
  const bool review = impl_->version >= 4 && review_up_to > 0;
  sql::Statement st(impl_->db.get(), export_sql(predictions, scores, review, impl_->version).c_str());
  if (predictions) st.bind(1, span_model);
  if (review) st.bind(2, review_up_to);
  ExportRow row;
  int64_t n = 0;
  auto read_all = [&](sql::Statement& q) {
    for (; q.step(); ++n) {
      read_row(q, row);
      fn(row);
    }
  };
  read_all(st);
  if (scores) {
    const bool list_review = review && impl_->version >= 9;
    sql::Statement lists(impl_->db.get(), list_sql(impl_->version, list_review).c_str());
    if (list_review) lists.bind(2, review_up_to);
    read_all(lists);
  }
  return n;
}

}  // namespace warcpairs::store
