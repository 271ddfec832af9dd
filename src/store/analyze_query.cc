// AnalyzeQuery: the SQL behind `warcpairs analyze`. Every statistic is an aggregate or a
// LIMITed sample, so memory stays bounded whatever the size of the run.
#include "warcpairs/store/analyze_query.h"

#include <algorithm>
#include <cmath>

#include "merged_database.h"
#include "sqlite_handle.h"

namespace warcpairs::store {

namespace {

// Host of an http(s) URL: between "://" and the next "/" (good enough to group by site).
constexpr const char* kDomainFrom =
    "(SELECT CASE WHEN instr(h, '/') > 0 THEN substr(h, 1, instr(h, '/') - 1) ELSE h END AS d "
    "FROM (SELECT substr(url, instr(url, '://') + 3) AS h FROM pages))";
// A stable pseudo-random order (Knuth's multiplicative hash of the row's id).
constexpr const char* kShuffled = "(coalesce(image_id, list_row) * 2654435761) % 4294967291";

}  // namespace

int64_t Histogram::total() const {
  int64_t n = 0;
  for (auto b : bins) n += b;
  return n;
}

struct AnalyzeQuery::Impl {
  explicit Impl(const std::filesystem::path& path) {
    db = open_merged_database(path, version);
    predictions = version >= 2 && scalar("SELECT EXISTS (SELECT 1 FROM predictions)") != 0;
    scores = version >= 3 && scalar("SELECT EXISTS (SELECT 1 FROM scores)") != 0;
    renders = version >= 11 && scalar("SELECT EXISTS (SELECT 1 FROM render_files)") != 0;
  }
  int64_t scalar(const std::string& q) {
    sql::Statement st(db.get(), q.c_str());
    return st.step() ? st.column_int64(0) : 0;
  }
  double real(const std::string& q) {
    sql::Statement st(db.get(), q.c_str());
    return st.step() ? st.column_double(0) : 0;
  }
  // Bins of `expr` (NULLs left out) from `lo` in steps of `width`, the last bin open-ended.
  Histogram bin(const std::string& expr, const std::string& from, int bins, double lo,
                double width) {
    Histogram h{lo, width, std::vector<int64_t>(static_cast<std::size_t>(bins), 0)};
    sql::Statement st(db.get(), ("SELECT min(max(CAST(((" + expr + ") - ?1) / ?2 AS INTEGER), 0), ?3)"
                                 ", count(*) FROM " + from + " WHERE (" + expr +
                                 ") IS NOT NULL GROUP BY 1").c_str());
    st.bind_double(1, lo);
    st.bind_double(2, width);
    st.bind(3, int64_t{bins - 1});
    while (st.step()) h.bins[static_cast<std::size_t>(st.column_int64(0))] += st.column_int64(1);
    return h;
  }
  std::vector<Point> points(const std::string& q) {
    std::vector<Point> out;
    sql::Statement st(db.get(), q.c_str());
    while (st.step()) out.push_back({st.column_double(0), st.column_double(1)});
    return out;
  }
  sql::Connection db;
  int64_t version = 0;
  bool predictions = false, scores = false, renders = false;
};

AnalyzeQuery::AnalyzeQuery(const std::filesystem::path& database)
    : impl_(std::make_unique<Impl>(database)) {}
AnalyzeQuery::~AnalyzeQuery() = default;

bool AnalyzeQuery::has_predictions() const { return impl_->predictions; }
bool AnalyzeQuery::has_scores() const { return impl_->scores; }
bool AnalyzeQuery::has_renders() const { return impl_->renders; }

std::vector<NamedCount> AnalyzeQuery::render_counts() {
  auto& d = *impl_;
  if (!d.renders) return {};
  return {
      {"render_files", d.scalar("SELECT count(*) FROM render_files")},
      {"render_pages", d.scalar("SELECT count(*) FROM render_pages")},
      {"render_failures", d.scalar("SELECT count(*) FROM render_failures")},
      {"crops", d.scalar("SELECT count(*) FROM renders")},
      {"page_tokens", d.scalar("SELECT coalesce(sum(tokens), 0) FROM render_pages")},
      {"page_visible_tokens", d.scalar("SELECT coalesce(sum(visible_tokens), 0) FROM render_pages")},
      {"token_boxes", d.scalar("SELECT count(*) FROM render_tokens")},
      {"visible_boxes", d.scalar("SELECT count(*) FROM render_tokens WHERE visible <> 0")},
  };
}

std::vector<NamedCount> AnalyzeQuery::stage_counts() {
  auto& d = *impl_;
  std::vector<NamedCount> out = {
      {"files", d.scalar("SELECT count(*) FROM files")},
      {"pages", d.scalar("SELECT count(*) FROM pages")},
      {"images", d.scalar("SELECT count(*) FROM images")},
      {"images_with_alt", d.scalar("SELECT count(*) FROM images WHERE alt <> ''")},
      {"labelled", d.scalar("SELECT count(*) FROM images WHERE label_start IS NOT NULL")},
      {"skips", d.scalar("SELECT count(*) FROM skips")},
      {"predictions", d.version >= 2 ? d.scalar("SELECT count(*) FROM predictions") : 0},
      {"predictions_with_span",
       d.version >= 2 ? d.scalar("SELECT count(*) FROM predictions WHERE span_start IS NOT NULL") : 0},
  };
  const bool v3 = d.version >= 3;
  out.push_back({"scores", v3 ? d.scalar("SELECT count(*) FROM scores") : 0});
  out.push_back({"scores_ok", v3 ? d.scalar("SELECT count(*) FROM scores WHERE outcome = 'ok'") : 0});
  out.push_back({"scores_clip",
                 v3 ? d.scalar("SELECT count(*) FROM scores WHERE clip_caption IS NOT NULL") : 0});
  // warcpairs review: every decision made, and the pairs whose decision in force is each action.
  const bool v4 = d.version >= 4;
  out.push_back({"review_decisions", v4 ? d.scalar("SELECT count(*) FROM review_decisions") : 0});
  for (const char* action : {"accept", "reject", "edit"})
    out.push_back({std::string("reviewed_") + action,
                   v4 ? d.scalar((std::string("SELECT count(*) FROM review_current WHERE action = '") + action + "'").c_str()) : 0});
  return out;
}

// The primary subtag of a language column, lower case: "en-US", "en_us" → "en".
static std::string primary_sql(const std::string& column) {
  return "lower(substr(" + column + ", 1, instr(replace(" + column + ", '_', '-') || '-', '-') - 1))";
}

std::vector<NamedCount> AnalyzeQuery::language_agreement() {
  if (impl_->version < 8) return {};
  const std::string declared = primary_sql("language"), detected = primary_sql("text_language");
  sql::Statement st(impl_->db.get(),
                    ("SELECT sum(d <> '' AND t <> ''), sum(d <> '' AND t <> '' AND d = t), "
                     "sum(d <> '' AND t <> '' AND d <> t), sum(d <> '' AND t = ''), "
                     "sum(d = '' AND t <> ''), sum(d = '' AND t = '') FROM (SELECT " + declared +
                     " AS d, " + detected + " AS t FROM pages)").c_str());
  std::vector<NamedCount> out;
  if (!st.step()) return out;
  const char* names[] = {"declared_and_detected", "agree", "disagree", "declared_only",
                         "detected_only", "neither"};
  for (int i = 0; i < 6; ++i) out.push_back({names[i], st.column_int64_or(i, 0)});
  return out;
}

std::vector<NamedCount> AnalyzeQuery::groups(Group g, int limit) {
  std::string expr, from;
  switch (g) {
    case Group::file_status: expr = "status", from = "files"; break;
    case Group::skip_reason: expr = "reason", from = "skips"; break;
    case Group::domain: expr = "d", from = kDomainFrom; break;
    case Group::language: expr = "CASE WHEN language = '' THEN '(none)' ELSE language END", from = "pages"; break;
    case Group::page_type: expr = "content_type", from = "pages"; break;
    case Group::image_mime: expr = "coalesce(mime, '(unknown)')", from = "scores"; break;
    case Group::outcome: expr = "outcome", from = "scores"; break;
    case Group::detected_language:
      expr = "CASE WHEN text_language = '' THEN '(unknown)' ELSE text_language END", from = "pages";
      break;
    case Group::context_language:
      expr = "CASE WHEN context_language = '' THEN '(unknown)' ELSE context_language END";
      from = "images WHERE context <> ''";
      break;
    case Group::language_disagreement:
      expr = "language || ' → ' || text_language";
      from = "pages WHERE language <> '' AND text_language <> '' AND " + primary_sql("language") +
             " <> " + primary_sql("text_language");
      break;
    case Group::render_failure: expr = "reason", from = "render_failures"; break;
  }
  if (g == Group::render_failure && impl_->version < 11) return {};
  if ((g == Group::detected_language || g == Group::context_language ||
       g == Group::language_disagreement) && impl_->version < 8)
    return {};
  if ((g == Group::image_mime || g == Group::outcome) && impl_->version < 3) return {};
  sql::Statement st(impl_->db.get(), ("SELECT " + expr + " AS k, count(*) AS n FROM " + from +
                                      " GROUP BY k ORDER BY n DESC, k").c_str());
  std::vector<NamedCount> out;
  while (st.step()) {
    if (static_cast<int>(out.size()) < limit)
      out.push_back({std::string(st.column_text(0)), st.column_int64(1)});
    else if (static_cast<int>(out.size()) == limit)
      out.push_back({"(other)", st.column_int64(1)});
    else
      out.back().count += st.column_int64(1);
  }
  return out;
}

Histogram AnalyzeQuery::length_histogram(Text t, int bins) {
  std::string from;
  switch (t) {
    case Text::alt: from = "(SELECT length(alt) AS v FROM images WHERE alt <> '')"; break;
    case Text::context: from = "(SELECT length(context) AS v FROM images WHERE context <> '')"; break;
    case Text::prediction:
      if (impl_->version < 2) return {0, 1, {}};
      from = "(SELECT length(text) AS v FROM predictions WHERE text <> '')";
      break;
  }
  const double max = impl_->real("SELECT coalesce(max(v), 0) FROM " + from);
  if (max <= 0) return {0, 1, {}};
  const double width = std::max(1.0, std::ceil((max + 1) / bins));
  return impl_->bin("v", from, bins, 0, width);
}

Histogram AnalyzeQuery::clip_histogram(int bins) {
  if (!impl_->scores) return {0, 1, {}};
  const std::string from = "scores";
  if (impl_->scalar("SELECT count(clip_caption) FROM scores") == 0) return {0, 1, {}};
  const double lo = impl_->real("SELECT min(clip_caption) FROM scores");
  const double hi = impl_->real("SELECT max(clip_caption) FROM scores");
  const double width = hi > lo ? (hi - lo) / bins * (1 + 1e-9) : 0.01;
  return impl_->bin("clip_caption", from, bins, lo, width);
}

Histogram AnalyzeQuery::unsafe_histogram(int bins) {
  if (!impl_->scores || impl_->version < 8) return {0, 1, {}};
  if (impl_->scalar("SELECT count(unsafe) FROM scores") == 0) return {0, 1, {}};
  return impl_->bin("unsafe", "scores", bins, 0, 1.0 / bins);  // bin() puts 1.0 in the last bin
}

int64_t AnalyzeQuery::clip_at_least(double threshold) {
  if (!impl_->scores) return 0;
  sql::Statement st(impl_->db.get(), "SELECT count(*) FROM scores WHERE clip_caption >= ?");
  st.bind_double(1, threshold);
  return st.step() ? st.column_int64(0) : 0;
}

std::vector<Point> AnalyzeQuery::clip_vs_length(int limit) {
  if (!impl_->scores) return {};
  return impl_->points("SELECT length(caption), clip_caption FROM scores WHERE clip_caption IS NOT "
                       "NULL ORDER BY " + std::string(kShuffled) + " LIMIT " + std::to_string(limit));
}

std::vector<Point> AnalyzeQuery::image_sizes(int limit) {
  if (!impl_->scores) return {};
  return impl_->points("SELECT width, height FROM scores WHERE width > 0 AND height > 0 AND outcome "
                       "= 'ok' ORDER BY " + std::string(kShuffled) + " LIMIT " + std::to_string(limit));
}

std::vector<NamedCount> AnalyzeQuery::duplicates() {
  auto& d = *impl_;
  std::vector<NamedCount> out = {
      {"image_rows", d.scalar("SELECT count(*) FROM images")},
      {"distinct_image_urls", d.scalar("SELECT count(DISTINCT url) FROM images")},
      {"distinct_alt_texts", d.scalar("SELECT count(DISTINCT alt) FROM images WHERE alt <> ''")},
  };
  if (!d.scores) return out;
  out.push_back({"images_stored", d.scalar("SELECT count(*) FROM scores WHERE sha256 IS NOT NULL")});
  out.push_back({"distinct_sha256", d.scalar("SELECT count(DISTINCT sha256) FROM scores")});
  out.push_back({"duplicate_sha256_rows",
                 d.scalar("SELECT coalesce(sum(n - 1), 0) FROM (SELECT count(*) AS n FROM scores "
                          "WHERE sha256 IS NOT NULL GROUP BY sha256)")});
  out.push_back({"distinct_phash", d.scalar("SELECT count(DISTINCT phash) FROM scores")});
  return out;
}

std::vector<PairSample> AnalyzeQuery::pairs(Order order, int limit) {
  if (!impl_->scores) return {};
  std::string q = "SELECT coalesce(image_id, -1), url, caption, alt, tar, key, clip_caption, "
                  "coalesce(width, 0), coalesce(height, 0) FROM scores WHERE outcome = 'ok' AND "
                  "key IS NOT NULL AND key <> '' AND tar IS NOT NULL";
  if (order == Order::random)
    q += " ORDER BY " + std::string(kShuffled);
  else
    q += std::string(" AND clip_caption IS NOT NULL ORDER BY clip_caption ") +
         (order == Order::best ? "DESC" : "ASC") + ", " + kShuffled;
  q += " LIMIT " + std::to_string(limit);
  sql::Statement st(impl_->db.get(), q.c_str());
  std::vector<PairSample> out;
  while (st.step()) {
    PairSample p;
    p.image_id = st.column_int64(0);
    p.url = st.column_text(1), p.caption = st.column_text(2), p.alt = st.column_text(3);
    p.tar = st.column_text(4), p.key = st.column_text(5);
    if (!st.column_null(6)) p.clip = st.column_double(6);
    p.width = st.column_int64(7), p.height = st.column_int64(8);
    out.push_back(std::move(p));
  }
  return out;
}

}  // namespace warcpairs::store
