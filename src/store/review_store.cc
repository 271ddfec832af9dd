// ReviewStore: the review page's reads (pairs ⋈ pages, predictions, scores and the latest
// decision; then the pairs of `score --pairs` lists, id -list_row) and its writes (one appended review_decisions row per decision, checked against
// the decision the reviewer saw, inside BEGIN IMMEDIATE so concurrent writers serialise).
#include "warcpairs/store/review_store.h"

#include "merged_database.h"
#include "sqlite_handle.h"
#include "warcpairs/core/error.h"
#include "warcpairs/html/image_kind.h"
#include "warcpairs/store/database.h"

#include <algorithm>

namespace warcpairs::store {
namespace {

// The description export would use without a decision (export_query.cc's rule).
constexpr const char* kMachineText = "COALESCE(NULLIF(pr.text, ''), i.alt)";

// The pairs and, per pair, its latest decision row (a reset row included: callers read it
// as undecided). ?1 is the span model.
// The pairs and, per pair, its latest decision row (a reset row included: callers read it
// as undecided). ?1 is the span model. `scored_only`: an inner join with scores, so that the
// planner can walk the scores_clip index (CLIP order) instead of sorting every pair.
// `kinds`: an "AND k.kind IN (...)" clause of the kinds shown (kind_clause), or "".
std::string pairs_from(const std::string& kinds, bool scored_only = false) {
  return std::string("FROM images i JOIN pages p ON p.page_id = i.page_id ") + kind_join(kSchemaVersion) +
         (scored_only ? "JOIN scores s ON s.image_id = i.image_id " : "LEFT JOIN scores s ON s.image_id = i.image_id ") +
         "LEFT JOIN predictions pr ON pr.image_id = i.image_id AND pr.model = ?1 "
         "LEFT JOIN review_decisions d ON d.decision_id = "
         "(SELECT max(x.decision_id) FROM review_decisions x WHERE x.image_id = i.image_id) "
         "WHERE " + kMachineText + " <> '' " + kinds;
}

// "AND k.kind IN ('content') " for the kinds shown; "" for all. Names are checked against
// html::kImageKinds, so quoting them is safe.
std::string kind_clause(const std::vector<std::string>& kinds) {
  if (kinds.empty()) return {};
  std::string in;
  for (const std::string& k : kinds) {
    if (std::find(std::begin(html::kImageKinds), std::end(html::kImageKinds), k) == std::end(html::kImageKinds))
      throw UsageError("no image kind '" + k + "'");
    in.append(in.empty() ? "'" : ", '").append(k).append("'");
  }
  return "AND k.kind IN (" + in + ") ";
}

// The pairs of `score --pairs` lists (scores rows with list_row and a caption) with their
// latest decision; shown after the database's pairs whatever the kinds (a list has none), as
// export takes them. `scored_only`: with a CLIP score.
std::string list_pairs_from(bool scored_only = false) {
  return std::string("FROM scores s LEFT JOIN review_decisions d ON d.decision_id = "
                     "(SELECT max(x.decision_id) FROM review_decisions x WHERE x.list_row = s.list_row) "
                     "WHERE s.list_row IS NOT NULL AND s.caption <> '' ") +
         (scored_only ? "AND s.clip_caption IS NOT NULL " : "");
}

// A list pair's review id: minus its list row (database pairs keep their positive image_id).
bool is_list_id(int64_t id) { return id < 0; }

// "AND i.image_id IN (3, 17, ...) " for review --ids (integers: nothing to quote); "" for none.
// SQLite turns a constant IN list into one ephemeral index per statement.
std::string id_clause(const std::vector<int64_t>& ids) {
  if (ids.empty()) return {};
  std::string in;
  for (int64_t id : ids) in.append(in.empty() ? "" : ",").append(std::to_string(id));
  return "AND i.image_id IN (" + in + ") ";
}

const char* filter_sql(ReviewFilter f) {
  switch (f) {
    case ReviewFilter::undecided: return "AND (d.action IS NULL OR d.action = 'reset') ";
    case ReviewFilter::accepted: return "AND d.action = 'accept' ";
    case ReviewFilter::rejected: return "AND d.action = 'reject' ";
    case ReviewFilter::edited: return "AND d.action = 'edit' ";
    case ReviewFilter::all: break;
  }
  return "";
}

constexpr const char* kDecisionColumns =
    "d.decision_id, COALESCE(d.image_id, -d.list_row), d.action, d.text, d.machine_text, d.reviewer, d.decided_at, d.replaces";

// Reads kDecisionColumns starting at column `c`; a reset row or no row leaves `d` empty.
void read_decision(const sql::Statement& st, int c, ReviewDecision& d, bool keep_reset) {
  d = ReviewDecision{};
  if (st.column_null(c)) return;
  if (!keep_reset && st.column_text(c + 2) == "reset") return;
  d.decision_id = st.column_int64(c);
  d.image_id = st.column_int64(c + 1);
  d.action.assign(st.column_text(c + 2));
  d.text.assign(st.column_text(c + 3));
  d.machine_text.assign(st.column_text(c + 4));
  d.reviewer.assign(st.column_text(c + 5));
  d.decided_at.assign(st.column_text(c + 6));
  d.replaces = st.column_int64_or(c + 7, 0);
}

void read_pair(const sql::Statement& st, ReviewPair& r) {
  r.image_id = st.column_int64(0);
  r.page_url.assign(st.column_text(1));
  r.page_title.assign(st.column_text(2));
  r.url.assign(st.column_text(3));
  r.alt.assign(st.column_text(4));
  r.context.assign(st.column_text(5));
  r.image_pos = static_cast<int32_t>(st.column_int64(6));
  r.span_start = static_cast<int32_t>(st.column_int64_or(7, -1));
  r.span_end = static_cast<int32_t>(st.column_int64_or(8, -1));
  r.prediction_score = st.column_double_or_nan(9);
  r.machine_text.assign(st.column_text(10));
  r.clip_caption = st.column_double_or_nan(11);
  r.clip_alt = st.column_double_or_nan(12);
  const bool scored_size = !st.column_null(13);
  r.width = scored_size ? st.column_int64(13) : st.column_int64_or(17, -1);
  r.height = scored_size ? st.column_int64(14) : st.column_int64_or(18, -1);
  r.outcome.assign(st.column_text(15));
  r.has_image = r.outcome == "ok" && st.column_int64(16) != 0;
  read_decision(st, 19, r.decision, /*keep_reset=*/false);
  r.latest_decision_id = st.column_int64_or(19, 0);
}

}  // namespace

struct ReviewStore::Impl {
  Impl(const std::filesystem::path& path, std::string model, const std::vector<std::string>& kinds,
       const std::vector<int64_t>& only_ids)
      : span_model(std::move(model)), kinds(kind_clause(kinds)), ids(id_clause(only_ids)) {
    require_merged_database(path);
    { Database migrate(path); }  // creates review_decisions in an older database
    db = sql::open(path.string());
    sql::exec(db.get(), "PRAGMA foreign_keys = ON; PRAGMA synchronous = FULL;");
    // CLIP order walks this index (schema.sql: stages create the indexes they need after
    // merging; merge keeps it up to date afterwards, a few score rows per image).
    sql::exec(db.get(), "CREATE INDEX IF NOT EXISTS scores_clip ON scores(clip_caption, image_id)");
  }

  // Appends the pairs of `where` (a pairs_from() or list_pairs_from() clause) in `order`,
  // `limit` from `offset`.
  void select(const std::string& where, const std::string& order, int64_t limit, int64_t offset,
              std::vector<ReviewPair>& out) {
    const bool list = where.starts_with("FROM scores");
    const std::string pair_columns =
        list ? "SELECT -s.list_row, '', '', s.url, s.alt, s.caption, 0, NULL, NULL, NULL, s.caption"
             : std::string("SELECT i.image_id, p.url, p.title, i.url, i.alt, i.context, i.image_pos, "
                           "pr.span_start, pr.span_end, pr.score, ") + kMachineText;
    const std::string sql =
        pair_columns + ", s.clip_caption, s.clip_alt, s.width, s.height, s.outcome, "
        "s.key IS NOT NULL AND s.tar IS NOT NULL, " + (list ? "NULL, NULL, " : "i.width, i.height, ") +
        kDecisionColumns + " " + where + order + "LIMIT ?2 OFFSET ?3";
    sql::Statement st(db.get(), sql.c_str());
    if (!list) st.bind(1, span_model);
    st.bind(2, limit);
    st.bind(3, offset);
    while (st.step()) read_pair(st, out.emplace_back());
  }
  sql::Connection db;
  std::string span_model;
  std::string kinds;  // kind_clause of the kinds shown
  std::string ids;    // id_clause of review --ids, or ""
  std::string shown() const { return kinds + ids; }
  // The number of pairs, a scan of every image: counted again only when a merge added
  // something (a new row in the shards ledger; merge never changes rows it took before).
  int64_t total_pairs = -1, total_pairs_ledger = -1;

  int64_t pairs() {
    sql::Statement ledger(db.get(), "SELECT count(*) FROM shards");
    const int64_t now = ledger.step() ? ledger.column_int64(0) : 0;
    if (now != total_pairs_ledger) {
      sql::Statement st(db.get(), (std::string("SELECT count(*) FROM images i ") + kind_join(kSchemaVersion) +
                                   "LEFT JOIN predictions pr ON pr.image_id = i.image_id AND pr.model = ?1 "
                                   "WHERE " + kMachineText + " <> '' " + kinds + ids).c_str());
      st.bind(1, span_model);
      total_pairs = st.step() ? st.column_int64(0) : 0;
      if (ids.empty()) {  // review --ids names images: no list pair
        sql::Statement lists(db.get(), ("SELECT count(*) " + list_pairs_from()).c_str());
        total_pairs += lists.step() ? lists.column_int64(0) : 0;
      }
      total_pairs_ledger = now;
    }
    return total_pairs;
  }

  // The latest decision row of one pair (reset included), inside the caller's transaction.
  ReviewDecision latest(int64_t id) {
    sql::Statement st(db.get(), (std::string("SELECT ") + kDecisionColumns + " FROM review_decisions d WHERE " +
                                 (is_list_id(id) ? "d.list_row = -?1 " : "d.image_id = ?1 ") +
                                 "ORDER BY d.decision_id DESC LIMIT 1").c_str());
    st.bind(1, id);
    ReviewDecision d;
    if (st.step()) read_decision(st, 0, d, /*keep_reset=*/true);
    return d;
  }
  // The pair's machine description; false when there is no such pair.
  bool machine_text(int64_t image_id, std::string& out) {
    if (is_list_id(image_id)) {
      sql::Statement st(db.get(), "SELECT caption FROM scores WHERE list_row = -?1");
      st.bind(1, image_id);
      if (!st.step()) return false;
      out.assign(st.column_text(0));
      return !out.empty();
    }
    sql::Statement st(db.get(), (std::string("SELECT ") + kMachineText +
                                 " FROM images i LEFT JOIN predictions pr ON pr.image_id = i.image_id "
                                 "AND pr.model = ?1 WHERE i.image_id = ?2").c_str());
    st.bind(1, span_model);
    st.bind(2, image_id);
    if (!st.step()) return false;
    out.assign(st.column_text(0));
    return !out.empty();
  }
};

ReviewStore::ReviewStore(const std::filesystem::path& database, std::string span_model,
                         const std::vector<std::string>& kinds, const std::vector<int64_t>& only_ids)
    : impl_(std::make_unique<Impl>(database, std::move(span_model), kinds, only_ids)) {}

std::map<std::string, int64_t> ReviewStore::skipped_kinds() {
  std::map<std::string, int64_t> out;
  if (impl_->kinds.empty()) return out;
  // The pairs the kinds leave out: the same pairs, the clause negated.
  std::string not_shown = impl_->kinds;
  not_shown.replace(0, 4, "AND NOT ");
  not_shown += impl_->ids;
  sql::Statement st(impl_->db.get(),
                    (std::string("SELECT k.kind, count(*) FROM images i ") + kind_join(kSchemaVersion) +
                     "LEFT JOIN predictions pr ON pr.image_id = i.image_id AND pr.model = ?1 "
                     "WHERE " + kMachineText + " <> '' " + not_shown + "GROUP BY k.kind")
                        .c_str());
  st.bind(1, impl_->span_model);
  while (st.step()) out[std::string(st.column_text(0))] = st.column_int64(1);
  return out;
}
ReviewStore::~ReviewStore() = default;

std::vector<std::string> ReviewStore::prediction_models() {
  std::vector<std::string> out;
  sql::Statement st(impl_->db.get(), "SELECT model FROM predictions GROUP BY model ORDER BY count(*) DESC, model");
  while (st.step()) out.emplace_back(st.column_text(0));
  return out;
}

ReviewPage ReviewStore::list(ReviewFilter filter, ReviewOrder order, int64_t offset, int64_t limit) {
  ReviewPage page;
  // Totals from the decisions and the cached pair count: counting the filter's rows directly
  // would scan every pair on every page (~0.3 s at 140k pairs, bench/review).
  const auto& c = page.counts = counts();
  switch (filter) {
    case ReviewFilter::all: page.total = c.at("total"); break;
    case ReviewFilter::undecided: page.total = c.at("undecided"); break;
    case ReviewFilter::accepted: page.total = c.at("accept"); break;
    case ReviewFilter::rejected: page.total = c.at("reject"); break;
    case ReviewFilter::edited: page.total = c.at("edit"); break;
  }
  // The sources of the order, one after the other. By id: the database's pairs by image_id,
  // then the lists' by list_row. CLIP order: the scored pairs in the order of the scores_clip
  // index (ties by image_id in the same direction, so the index gives the whole order and a
  // page costs its rows, not a sort of every pair), then the pairs without a CLIP score by
  // image_id; then the lists' pairs the same way.
  const std::string f = filter_sql(filter);
  std::vector<std::pair<std::string, std::string>> sources;
  if (order == ReviewOrder::image_id) {
    sources = {{pairs_from(impl_->shown()) + f, "ORDER BY i.image_id "}, {list_pairs_from() + f, "ORDER BY s.list_row "}};
    if (!impl_->ids.empty()) sources.pop_back();  // review --ids names images: no list pair
  } else {
    const bool descending = order == ReviewOrder::clip_descending;
    sources = {{pairs_from(impl_->shown(), true) + "AND s.clip_caption IS NOT NULL " + f,
                descending ? "ORDER BY s.clip_caption DESC, s.image_id DESC " : "ORDER BY s.clip_caption, s.image_id "},
               {pairs_from(impl_->shown()) + "AND s.clip_caption IS NULL " + f, "ORDER BY i.image_id "},
               {list_pairs_from(true) + f, descending ? "ORDER BY s.clip_caption DESC, s.list_row DESC " : "ORDER BY s.clip_caption, s.list_row "},
               {list_pairs_from() + "AND s.clip_caption IS NULL " + f, "ORDER BY s.list_row "}};
    if (!impl_->ids.empty()) sources.resize(2);  // review --ids names images: no list pair
  }
  // `skip`: rows of the offset not yet passed. A source that gives none of this page is
  // counted to know how many of them it held (only then: counting scans the source).
  int64_t skip = offset;
  for (const auto& [where, by] : sources) {
    const int64_t left = limit - static_cast<int64_t>(page.pairs.size());
    if (left <= 0) break;
    const auto before = page.pairs.size();
    impl_->select(where, by, left, skip, page.pairs);
    if (page.pairs.size() > before) {
      skip = 0;
    } else if (skip > 0) {
      sql::Statement n(impl_->db.get(), ("SELECT count(*) " + where).c_str());
      if (!where.starts_with("FROM scores")) n.bind(1, impl_->span_model);
      skip = std::max<int64_t>(0, skip - (n.step() ? n.column_int64(0) : 0));
    }
  }
  return page;
}

DecisionResult ReviewStore::decide(const DecisionRequest& r) {
  const bool edit = r.action == "edit";
  if (r.action != "accept" && r.action != "reject" && !edit && r.action != "reset")
    throw UsageError("unknown review action '" + r.action + "' (accept, reject, edit, reset)");
  if (edit && r.text.find_first_not_of(" \t\r\n") == std::string::npos)
    throw UsageError("an edit needs a non-empty description");
  sqlite3* db = impl_->db.get();
  sql::exec(db, "BEGIN IMMEDIATE");  // the write lock first: check and insert see one state
  try {
    DecisionResult out;
    std::string machine;
    if (!impl_->machine_text(r.image_id, machine)) {
      sql::exec(db, "ROLLBACK");
      out.status = DecisionResult::Status::no_such_pair;
      return out;
    }
    out.current = impl_->latest(r.image_id);
    if (out.current.decision_id != r.expected) {
      sql::exec(db, "ROLLBACK");
      out.status = DecisionResult::Status::conflict;
      return out;
    }
    sql::Statement ins(db, is_list_id(r.image_id)
                               ? "INSERT INTO review_decisions (list_row, action, text, machine_text, reviewer, "
                                 "decided_at, replaces) VALUES (-?1, ?2, ?3, ?4, ?5, "
                                 "strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), ?6)"
                               : "INSERT INTO review_decisions (image_id, action, text, machine_text, reviewer, "
                                 "decided_at, replaces) VALUES (?1, ?2, ?3, ?4, ?5, "
                                 "strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), ?6)");
    ins.bind(1, r.image_id);
    ins.bind(2, r.action);
    if (edit) ins.bind(3, r.text);
    else if (r.action == "accept") ins.bind(3, machine);
    else ins.bind_null(3);
    ins.bind(4, machine);
    ins.bind(5, r.reviewer);
    ins.bind_or_null(6, r.expected, 0);
    ins.run();
    out.current = impl_->latest(r.image_id);
    sql::exec(db, "COMMIT");
    return out;
  } catch (...) {
    sqlite3_exec(db, "ROLLBACK", nullptr, nullptr, nullptr);
    throw;
  }
}

std::vector<ReviewDecision> ReviewStore::history(int64_t image_id) {
  sql::Statement st(impl_->db.get(), (std::string("SELECT ") + kDecisionColumns + " FROM review_decisions d WHERE " +
                                      (is_list_id(image_id) ? "d.list_row = -?1 " : "d.image_id = ?1 ") +
                                      "ORDER BY d.decision_id").c_str());
  st.bind(1, image_id);
  std::vector<ReviewDecision> out;
  while (st.step()) read_decision(st, 0, out.emplace_back(), /*keep_reset=*/true);
  return out;
}

std::map<std::string, int64_t> ReviewStore::counts() {
  std::map<std::string, int64_t> out{{"accept", 0}, {"reject", 0}, {"edit", 0}, {"undecided", 0}, {"total", 0}};
  // The decisions in force, from review_decisions alone (one index scan, as many rows as
  // decisions, not pairs): every decided image was a pair when decided. Only a review under
  // another --span-model, whose description for it is empty, would count it where list()
  // does not show it.
  sql::Statement st(impl_->db.get(),
                    "SELECT d.action, count(*) FROM (SELECT max(decision_id) AS id FROM review_decisions "
                    "GROUP BY image_id, list_row) m JOIN review_decisions d ON d.decision_id = m.id "
                    "WHERE d.action <> 'reset' GROUP BY 1");
  int64_t decided = 0;
  while (st.step()) {
    out[std::string(st.column_text(0))] = st.column_int64(1);
    decided += st.column_int64(1);
  }
  out["total"] = impl_->pairs();
  out["undecided"] = out["total"] - decided;
  return out;
}

bool ReviewStore::image_location(int64_t image_id, std::string& tar, std::string& key) {
  sql::Statement st(impl_->db.get(), is_list_id(image_id)
                                         ? "SELECT tar, key FROM scores WHERE list_row = -?1 AND outcome = 'ok' "
                                           "AND tar IS NOT NULL AND key IS NOT NULL"
                                         : "SELECT tar, key FROM scores WHERE image_id = ?1 AND outcome = 'ok' "
                                           "AND tar IS NOT NULL AND key IS NOT NULL");
  st.bind(1, image_id);
  if (!st.step()) return false;
  tar.assign(st.column_text(0));
  key.assign(st.column_text(1));
  return true;
}

}  // namespace warcpairs::store
