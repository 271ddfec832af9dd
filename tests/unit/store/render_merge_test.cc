// Render shards: rows round-trip through a shard part sequence, merge_render_parts takes a
// file's parts once (ids dense, crops keep their PNG bytes), refuses a second sequence for the
// same file, and a version-7 database gains the render tables.
#include <gtest/gtest.h>

#include <map>

#include "db_query.h"
#include "store_fixture.h"
#include "warcpairs/core/error.h"
#include "warcpairs/store/analyze_query.h"
#include "warcpairs/store/database.h"
#include "warcpairs/store/shard.h"

namespace warcpairs::store::testing {
namespace fs = std::filesystem;

// Part `part` of /x.warc with `pages` pages, each one crop with two token boxes; `so_far`: the
// file's pages up to and including this part.
void write_render_part(const fs::path& path, int part, bool last, int pages, int so_far = -1,
                       const std::string& warc = "/x.warc") {
  ShardWriter w(path, "render");
  for (int p = 0; p < pages; ++p) {
    RenderPageRecord page;
    page.url = "http://e.example/" + std::to_string(part) + "/" + std::to_string(p);
    page.text = "hello world";
    page.tokens = 2, page.visible_tokens = 2, page.crops = 1, page.requests = 3, page.fulfilled = 2, page.failed = 1;
    const int64_t row = w.add_render_page(page);
    RenderRecord crop;
    crop.page_row = row;
    crop.width = 512, crop.height = 256, crop.viewport_width = 1280, crop.viewport_height = 1024;
    crop.png = std::string("\x89PNG\r\n\x1a\n\0bytes", 14);
    crop.tokens = 2, crop.visible_tokens = 2, crop.fonts = "[\"serif\"]";
    const int64_t crop_row = w.add_render(crop);
    for (int t = 0; t < 2; ++t) {
      RenderTokenRecord tok;
      tok.render_row = crop_row;
      tok.position = t, tok.token_id = 7592 + t, tok.token = t ? "world" : "hello";
      tok.char_start = t * 6, tok.char_end = t * 6 + 5;
      tok.x = 10 + 60 * t, tok.y = 5, tok.width = 50, tok.height = 20, tok.visible = true;
      w.add_render_token(tok);
    }
  }
  w.add_skip({"", 1234, "timeout", "http://e.example/slow: no load event"});
  FileSummary f;
  f.path = warc, f.status = "partial", f.part = part, f.last = last;
  f.pages = f.images = so_far < 0 ? pages : so_far;
  f.skipped = part + 1;
  w.set_file(f);
  w.commit();
}

TEST_F(StoreTest, RenderPartsMergeOnceWithTheirRows) {
  write_render_part(dir_ / "render-x.p00000.h5", 0, false, 3);
  write_render_part(dir_ / "render-x.p00001.last.h5", 1, true, 2, 5);
  {
    ShardReader r(dir_ / "render-x.p00000.h5");
    EXPECT_EQ(r.stage(), "render");
    EXPECT_EQ(r.render_page_count(), 3);
    EXPECT_EQ(r.render_count(), 3);
    EXPECT_EQ(r.render_token_count(), 6);
    std::vector<RenderRecord> crops;
    r.read_renders(0, 10, crops);
    EXPECT_EQ(crops.at(2).png.size(), 14u);  // NUL bytes survive
  }
  Database db(dir_ / "w.sqlite");
  const std::vector<fs::path> parts = {dir_ / "render-x.p00000.h5", dir_ / "render-x.p00001.last.h5"};
  const RenderMergeCounts c = db.merge_render_parts(parts);
  EXPECT_EQ(c.files, 1);
  EXPECT_EQ(c.pages, 5);
  EXPECT_EQ(c.crops, 5);
  EXPECT_EQ(c.tokens, 10);
  EXPECT_EQ(c.failures, 2);
  const RenderMergeCounts again = db.merge_render_parts(parts);
  EXPECT_EQ(again.files + again.pages + again.crops + again.tokens, 0);
  Query q(dir_ / "w.sqlite");
  EXPECT_EQ(q.count("SELECT count(*) FROM render_pages"), 5);
  EXPECT_EQ(q.count("SELECT count(*) FROM render_tokens"), 10);
  EXPECT_EQ(q.count("SELECT count(*) FROM files"), 0);  // render files are apart from extract's
  EXPECT_EQ(q.text("SELECT pages || ' ' || crops || ' ' || failed FROM render_files"), "5 5 2");
  EXPECT_EQ(q.count("SELECT length(png) FROM renders WHERE render_id = 5"), 14);
  // Crops point at their page, boxes at their crop (ids dense per part, continued across parts).
  EXPECT_EQ(q.text("SELECT url FROM render_pages JOIN renders USING(render_page_id) WHERE render_id = 4"),
            "http://e.example/1/0");
  EXPECT_EQ(q.count("SELECT count(*) FROM render_tokens t LEFT JOIN renders r USING(render_id) WHERE r.render_id IS NULL"), 0);
  EXPECT_EQ(q.count("SELECT count(*) FROM shards WHERE stage = 'render'"), 2);
  EXPECT_EQ(q.text("PRAGMA foreign_key_check"), "");
}

// analyze's render counts: nothing (and no renders) before render is merged, then the rows.
TEST_F(StoreTest, AnalyzeCountsTheMergedRenders) {
  { Database db(dir_ / "w.sqlite"); }
  {
    AnalyzeQuery before(dir_ / "w.sqlite");
    EXPECT_FALSE(before.has_renders());
    EXPECT_TRUE(before.render_counts().empty());
    EXPECT_TRUE(before.groups(AnalyzeQuery::Group::render_failure, 5).empty());
  }
  write_render_part(dir_ / "render-x.p00000.last.h5", 0, true, 3);
  Database(dir_ / "w.sqlite").merge_render_parts({dir_ / "render-x.p00000.last.h5"});
  Query(dir_ / "w.sqlite").exec("UPDATE render_tokens SET visible = 0, hidden_by = 'covered' WHERE render_id = 1 AND position = 1");
  AnalyzeQuery q(dir_ / "w.sqlite");
  ASSERT_TRUE(q.has_renders());
  std::map<std::string, int64_t> n;
  for (const auto& c : q.render_counts()) n[c.name] = c.count;
  const std::map<std::string, int64_t> want = {{"render_files", 1}, {"render_pages", 3}, {"render_failures", 1},
                                               {"crops", 3}, {"page_tokens", 6}, {"page_visible_tokens", 6},
                                               {"token_boxes", 6}, {"visible_boxes", 5}};
  EXPECT_EQ(n, want);
  const auto fails = q.groups(AnalyzeQuery::Group::render_failure, 5);
  ASSERT_EQ(fails.size(), 1u);
  EXPECT_EQ(fails[0].name, "timeout");
  EXPECT_EQ(fails[0].count, 1);
}

TEST_F(StoreTest, RenderPartsOfAnIncompleteOrSecondSequenceAreRefused) {
  write_render_part(dir_ / "render-x.p00000.h5", 0, false, 1);
  Database db(dir_ / "w.sqlite");
  EXPECT_THROW(db.merge_render_parts({dir_ / "render-x.p00000.h5"}), Error);  // not marked last
  write_render_part(dir_ / "render-y.p00000.last.h5", 0, true, 1);
  write_render_part(dir_ / "render-z.p00000.last.h5", 0, true, 1);  // same WARC file again
  db.merge_render_parts({dir_ / "render-y.p00000.last.h5"});
  EXPECT_THROW(db.merge_render_parts({dir_ / "render-z.p00000.last.h5"}), Error);
  Query q(dir_ / "w.sqlite");
  EXPECT_EQ(q.count("SELECT count(*) FROM render_pages"), 1);  // nothing of the refused one
}

TEST_F(StoreTest, RenderCropOfAnUnknownPageIsRefusedByTheWriter) {
  ShardWriter w(dir_ / "bad.h5", "render");
  RenderRecord crop;
  crop.page_row = 0;
  EXPECT_THROW(w.add_render(crop), Error);
}

TEST_F(StoreTest, AnOlderDatabaseGainsTheRenderTables) {
  { Database db(dir_ / "v7.sqlite"); }
  Query(dir_ / "v7.sqlite").exec(std::string(kDropSchemaV8) + "PRAGMA user_version = 7;");
  { Database db(dir_ / "v7.sqlite"); }
  Query q(dir_ / "v7.sqlite");
  EXPECT_EQ(q.count("PRAGMA user_version"), kSchemaVersion);
  EXPECT_EQ(q.count("SELECT count(*) FROM sqlite_master WHERE name LIKE 'render%'"), 5);
}

}  // namespace warcpairs::store::testing
