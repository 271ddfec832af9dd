// Database::merge_render_parts: a WARC file's render shards in one transaction. Ids are dense
// per part (first id + shard row), like pages and images in merge_parts, so crops find their
// page and token boxes their crop without a lookup.
#include <optional>

#include "sqlite_handle.h"
#include "warcpairs/core/crash_point.h"
#include "warcpairs/core/error.h"
#include "warcpairs/store/database.h"
#include "warcpairs/store/shard.h"

namespace warcpairs::store {
namespace fs = std::filesystem;

namespace {

constexpr int64_t kBatch = 4096;

struct RenderStatements {
  explicit RenderStatements(sqlite3* db)
      : file(db, "INSERT INTO render_files(path, size, status, pages, crops, failed, error) VALUES (?,?,?,?,?,?,?)"),
        failure(db, "INSERT INTO render_failures(render_file_id, warc_offset, reason, detail) VALUES (?,?,?,?)"),
        page(db, "INSERT INTO render_pages(render_page_id, render_file_id, warc_offset, member_offset, url, "
                 "crawl_date, http_status, text, tokens, visible_tokens, crops, requests, fulfilled, failed, "
                 "seconds, browser) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)"),
        crop(db, "INSERT INTO renders(render_id, render_page_id, crop, x, y, width, height, viewport_width, "
                 "viewport_height, device_scale_factor, fonts, png, tokens, visible_tokens) "
                 "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)"),
        token(db, "INSERT INTO render_tokens(render_id, position, box, token_id, token, char_start, char_end, "
                  "x, y, width, height, visible, hidden_by) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)"),
        shard(db, "INSERT INTO shards(name, stage, files, pages, images, skips) VALUES (?,?,?,?,?,?)") {}
  sql::Statement file, failure, page, crop, token, shard;
};

// One part's rows (ids continue the tables), inside the caller's transaction.
void merge_render_part(sqlite3* db, RenderStatements& st, ShardReader& shard, int64_t file_id,
                       const std::string& where, RenderMergeCounts& counts) {
  const int64_t first_page = sql::query_int(db, "SELECT COALESCE(MAX(render_page_id), 0) + 1 FROM render_pages");
  const int64_t first_crop = sql::query_int(db, "SELECT COALESCE(MAX(render_id), 0) + 1 FROM renders");
  const int64_t pages = shard.render_page_count(), crops = shard.render_count();
  std::vector<RenderPageRecord> page_rows;
  for (int64_t first = 0; first < pages; first += kBatch) {
    shard.read_render_pages(first, kBatch, page_rows);
    for (std::size_t r = 0; r < page_rows.size(); ++r) {
      const RenderPageRecord& p = page_rows[r];
      sql::Statement& s = st.page;
      s.bind(1, first_page + first + static_cast<int64_t>(r));
      s.bind(2, file_id);
      s.bind(3, p.warc_offset);
      s.bind(4, p.member_offset);
      s.bind(5, p.url);
      s.bind(6, p.crawl_date);
      s.bind(7, int64_t{p.http_status});
      s.bind(8, p.text);
      s.bind(9, p.tokens);
      s.bind(10, p.visible_tokens);
      s.bind(11, int64_t{p.crops});
      s.bind(12, p.requests);
      s.bind(13, p.fulfilled);
      s.bind(14, p.failed);
      s.bind_double(15, p.seconds);
      s.bind(16, p.browser);
      s.run();
    }
  }
  std::vector<RenderRecord> crop_rows;
  for (int64_t first = 0; first < crops; first += kBatch) {
    shard.read_renders(first, kBatch, crop_rows);
    for (std::size_t r = 0; r < crop_rows.size(); ++r) {
      const RenderRecord& c = crop_rows[r];
      if (c.page_row < 0 || c.page_row >= pages)
        throw Error("corrupt shard: crop refers to render page row " + std::to_string(c.page_row), where);
      sql::Statement& s = st.crop;
      s.bind(1, first_crop + first + static_cast<int64_t>(r));
      s.bind(2, first_page + c.page_row);
      s.bind(3, int64_t{c.crop});
      s.bind_double(4, c.x);
      s.bind_double(5, c.y);
      s.bind_double(6, c.width);
      s.bind_double(7, c.height);
      s.bind(8, int64_t{c.viewport_width});
      s.bind(9, int64_t{c.viewport_height});
      s.bind_double(10, c.device_scale_factor);
      s.bind(11, c.fonts);
      s.bind_blob(12, c.png);
      s.bind(13, int64_t{c.tokens});
      s.bind(14, int64_t{c.visible_tokens});
      s.run();
    }
  }
  std::vector<RenderTokenRecord> token_rows;
  const int64_t tokens = shard.render_token_count();
  for (int64_t first = 0; first < tokens; first += kBatch) {
    shard.read_render_tokens(first, kBatch, token_rows);
    for (const RenderTokenRecord& t : token_rows) {
      if (t.render_row < 0 || t.render_row >= crops)
        throw Error("corrupt shard: token box refers to crop row " + std::to_string(t.render_row), where);
      sql::Statement& s = st.token;
      s.bind(1, first_crop + t.render_row);
      s.bind(2, int64_t{t.position});
      s.bind(3, int64_t{t.box});
      s.bind(4, int64_t{t.token_id});
      s.bind(5, t.token);
      s.bind(6, int64_t{t.char_start});
      s.bind(7, int64_t{t.char_end});
      s.bind_double(8, t.x);
      s.bind_double(9, t.y);
      s.bind_double(10, t.width);
      s.bind_double(11, t.height);
      s.bind(12, int64_t{t.visible ? 1 : 0});
      s.bind(13, t.hidden_by);
      s.run();
    }
  }
  std::vector<SkipEntry> skips;
  for (int64_t first = 0; first < shard.skip_count(); first += kBatch) {
    shard.read_skips(first, kBatch, skips);
    for (const SkipEntry& e : skips) {
      st.failure.bind(1, file_id);
      st.failure.bind(2, e.offset);
      st.failure.bind(3, e.reason);
      st.failure.bind(4, e.detail);
      st.failure.run();
    }
  }
  counts.pages += pages, counts.crops += crops, counts.tokens += tokens, counts.failures += shard.skip_count();
  const std::string name = fs::path(where).filename().string();
  st.shard.bind(1, name);
  st.shard.bind(2, std::string_view("render"));
  st.shard.bind(3, int64_t{0});
  st.shard.bind(4, pages);
  st.shard.bind(5, crops);
  st.shard.bind(6, shard.skip_count());
  st.shard.run();
}

}  // namespace

RenderMergeCounts Database::merge_render_parts(const std::vector<fs::path>& parts) {
  if (parts.empty()) return {};
  const std::string first_name = parts.front().filename().string();
  if (has_shard(first_name)) return {};
  ShardReader last(parts.back());
  const FileSummary file = last.file();
  const std::string where = parts.back().string();
  if (last.stage() != "render") throw Error("not a render shard (stage " + last.stage() + ")", where);
  check_last_part(file, parts.size(), where);
  sqlite3* db = connection();
  sql::exec(db, "BEGIN IMMEDIATE");
  try {
    if (has_shard(first_name)) {  // another merge took it while we opened it
      sql::exec(db, "COMMIT");
      return {};
    }
    RenderStatements st(db);
    st.file.bind(1, file.path);
    st.file.bind(2, file.size);
    st.file.bind(3, file.status);
    st.file.bind(4, file.pages);
    st.file.bind(5, file.images);  // a render shard's "images" are its crops
    st.file.bind(6, file.skipped);
    st.file.bind(7, file.error);
    st.file.run();  // UNIQUE(path): a second sequence for the same file is refused, nothing taken
    const int64_t file_id = sqlite3_last_insert_rowid(db);
    RenderMergeCounts counts;
    counts.files = 1;
    for (std::size_t i = 0; i < parts.size(); ++i) {
      std::optional<ShardReader> earlier;
      if (i + 1 < parts.size()) {
        earlier.emplace(parts[i]);
        check_earlier_part(earlier->file(), i, file, parts[i].string());
        if (earlier->stage() != "render") throw Error("not a render shard (stage " + earlier->stage() + ")", parts[i].string());
      }
      merge_render_part(db, st, earlier ? *earlier : last, file_id, parts[i].string(), counts);
      crash_point("merge_in_transaction");
    }
    sql::exec(db, "COMMIT");
    return counts;
  } catch (...) {
    sqlite3_exec(db, "ROLLBACK", nullptr, nullptr, nullptr);
    throw;
  }
}

}  // namespace warcpairs::store
