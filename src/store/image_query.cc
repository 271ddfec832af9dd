// ImageQuery: read-only SELECTs over images joined with their pages, streamed to a callback.
#include "warcpairs/store/image_query.h"

#include "merged_database.h"
#include "sqlite_handle.h"

namespace warcpairs::store {

namespace {

constexpr const char* kSelect =
    "SELECT i.image_id, p.url, i.alt, i.context, i.image_pos, i.label_start, i.label_end "
    "FROM images i JOIN pages p ON p.page_id = i.page_id ";

int64_t stream(sql::Statement& st, const std::function<void(const ContextRow&)>& fn) {
  ContextRow row;
  int64_t n = 0;
  while (st.step()) {
    row.image_id = st.column_int64(0);
    row.page_url.assign(st.column_text(1));
    row.alt.assign(st.column_text(2));
    row.context.assign(st.column_text(3));
    row.image_pos = static_cast<int32_t>(st.column_int64(4));
    const bool labelled = !st.column_null(5);
    row.label_start = labelled ? static_cast<int32_t>(st.column_int64(5)) : -1;
    row.label_end = labelled ? static_cast<int32_t>(st.column_int64(6)) : -1;
    fn(row);
    ++n;
  }
  st.reset();
  return n;
}

}  // namespace

struct ImageQuery::Impl {
  explicit Impl(const std::filesystem::path& path) {
    int64_t version = 0;
    db = open_merged_database(path, version);
    has_predictions = version >= 2;
    schema = version;
  }
  sql::Connection db;
  bool has_predictions = false;
  int64_t schema = 0;
};

ImageQuery::ImageQuery(const std::filesystem::path& database)
    : impl_(std::make_unique<Impl>(database)) {}
ImageQuery::~ImageQuery() = default;

int64_t ImageQuery::for_each_labelled(const std::function<void(const ContextRow&)>& fn) {
  sql::Statement st(impl_->db.get(), (std::string(kSelect) +
                                      "WHERE i.label_start IS NOT NULL ORDER BY i.image_id")
                                         .c_str());
  return stream(st, fn);
}

int64_t ImageQuery::for_each_in_range(int64_t first, int64_t last,
                                      const std::function<void(const ContextRow&)>& fn) {
  sql::Statement st(impl_->db.get(),
                    (std::string(kSelect) +
                     "WHERE i.image_id BETWEEN ? AND ? AND i.context <> '' ORDER BY i.image_id")
                        .c_str());
  st.bind(1, first);
  st.bind(2, last);
  return stream(st, fn);
}

int64_t ImageQuery::max_image_id() {
  sql::Statement st(impl_->db.get(), "SELECT COALESCE(MAX(image_id), 0) FROM images");
  return st.step() ? st.column_int64(0) : 0;
}

std::vector<std::string> ImageQuery::prediction_models() {
  std::vector<std::string> out;
  if (!impl_->has_predictions) return out;
  sql::Statement st(impl_->db.get(),
                    "SELECT model FROM predictions GROUP BY model ORDER BY count(*) DESC, model");
  while (st.step()) out.emplace_back(st.column_text(0));
  return out;
}

int64_t ImageQuery::for_each_pair(int64_t first, int64_t last, const std::string& span_model,
                                  const std::function<void(const PairRow&)>& fn) {
  const bool with_model = impl_->has_predictions && !span_model.empty();
  const std::string kind = std::string(", ") + kind_column(impl_->schema) + ", " +
                           (impl_->schema >= 8 ? "(SELECT robots FROM pages WHERE page_id = i.page_id)" : "''") + " ";
  const std::string sql =
      with_model ? "SELECT i.image_id, i.url, COALESCE(NULLIF(p.text, ''), i.alt), i.alt" + kind +
                       "FROM images i LEFT JOIN predictions p ON p.image_id = i.image_id "
                       "AND p.model = ? " + kind_join(impl_->schema) +
                       "WHERE i.image_id BETWEEN ? AND ? "
                       "AND (COALESCE(p.text, '') <> '' OR i.alt <> '') ORDER BY i.image_id"
                 : "SELECT i.image_id, i.url, i.alt, i.alt" + kind + "FROM images i " +
                       kind_join(impl_->schema) +
                       "WHERE ? IS NULL AND i.image_id BETWEEN ? AND ? AND i.alt <> '' "
                       "ORDER BY i.image_id";
  sql::Statement st(impl_->db.get(), sql.c_str());
  if (with_model) st.bind(1, span_model);
  else st.bind_null(1);
  st.bind(2, first);
  st.bind(3, last);
  PairRow row;
  int64_t n = 0;
  while (st.step()) {
    row.image_id = st.column_int64(0);
    row.url.assign(st.column_text(1));
    row.caption.assign(st.column_text(2));
    row.alt.assign(st.column_text(3));
    row.kind.assign(st.column_text(4));
    row.page_robots.assign(st.column_text(5));
    fn(row);
    ++n;
  }
  return n;
}

int64_t ImageQuery::count_predicted(int64_t first, int64_t last, const std::string& model) {
  if (!impl_->has_predictions) return 0;
  sql::Statement st(impl_->db.get(),
                    "SELECT count(*) FROM predictions WHERE image_id BETWEEN ? AND ? AND model = ?");
  st.bind(1, first);
  st.bind(2, last);
  st.bind(3, model);
  return st.step() ? st.column_int64(0) : 0;
}

}  // namespace warcpairs::store
