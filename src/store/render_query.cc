// RenderQuery: one statement over renders ⋈ render_pages, one for a crop's token boxes.
#include "warcpairs/store/render_query.h"

#include <optional>

#include "sqlite_handle.h"
#include "warcpairs/core/error.h"

namespace warcpairs::store {

struct RenderQuery::Impl {
  explicit Impl(const std::filesystem::path& path) : db(sql::open(path.string(), true)) {
    sql::Statement v(db.get(), "SELECT count(*) FROM sqlite_master WHERE name = 'renders'");
    if (!v.step() || v.column_int64(0) == 0)
      throw Error("the database has no renders table (schema 11): run `warcpairs render` and `warcpairs merge` first",
                  path.string());
    crops.emplace(db.get(),
                  "SELECT r.render_id, p.url, p.crawl_date, r.crop, r.x, r.y, r.width, r.height, r.viewport_width, "
                  "r.viewport_height, r.device_scale_factor, r.fonts, r.png, r.tokens, r.visible_tokens "
                  "FROM renders r JOIN render_pages p USING (render_page_id) ORDER BY r.render_id");
    tokens.emplace(db.get(),
                   "SELECT position, box, token_id, token, char_start, char_end, x, y, width, height, visible, "
                   "hidden_by FROM render_tokens WHERE render_id = ? ORDER BY position, box");
  }
  sql::Connection db;
  std::optional<sql::Statement> crops, tokens;
};

RenderQuery::RenderQuery(const std::filesystem::path& database) : impl_(std::make_unique<Impl>(database)) {}
RenderQuery::~RenderQuery() = default;

int64_t RenderQuery::count() {
  sql::Statement st(impl_->db.get(), "SELECT count(*) FROM renders");
  return st.step() ? st.column_int64(0) : 0;
}

bool RenderQuery::next(RenderSample& out) {
  sql::Statement& c = *impl_->crops;
  if (!c.step()) return false;
  out.render_id = c.column_int64(0);
  out.url = c.column_text(1);
  out.crawl_date = c.column_text(2);
  RenderRecord& r = out.crop;
  r.crop = static_cast<int32_t>(c.column_int64(3));
  r.x = c.column_double(4), r.y = c.column_double(5), r.width = c.column_double(6), r.height = c.column_double(7);
  r.viewport_width = static_cast<int32_t>(c.column_int64(8));
  r.viewport_height = static_cast<int32_t>(c.column_int64(9));
  r.device_scale_factor = c.column_double(10);
  r.fonts = c.column_text(11);
  r.png = c.column_blob(12);
  r.tokens = static_cast<int32_t>(c.column_int64(13));
  r.visible_tokens = static_cast<int32_t>(c.column_int64(14));
  sql::Statement& t = *impl_->tokens;
  t.bind(1, out.render_id);
  out.tokens.clear();
  while (t.step()) {
    RenderTokenRecord k;
    k.position = static_cast<int32_t>(t.column_int64(0));
    k.box = static_cast<int32_t>(t.column_int64(1));
    k.token_id = static_cast<int32_t>(t.column_int64(2));
    k.token = t.column_text(3);
    k.char_start = static_cast<int32_t>(t.column_int64(4));
    k.char_end = static_cast<int32_t>(t.column_int64(5));
    k.x = t.column_double(6), k.y = t.column_double(7), k.width = t.column_double(8), k.height = t.column_double(9);
    k.visible = t.column_int64(10) != 0;
    k.hidden_by = t.column_text(11);
    out.tokens.push_back(std::move(k));
  }
  t.reset();
  return true;
}

}  // namespace warcpairs::store
