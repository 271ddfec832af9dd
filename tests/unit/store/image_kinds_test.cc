// Image kinds in the database: the page's kind as merged, repetition per host decided over
// every merge (a later merge that adds pages of a host changes its images' kinds, a shard
// merged twice counts once), placeholders from shared bytes, and the migration of a v5 file.
#include <gtest/gtest.h>

#include "db_query.h"
#include "store_fixture.h"
#include "warcpairs/store/database.h"

namespace warcpairs::store::testing {
namespace {

// One shard of `pages` pages of `host`, each showing the same `shared` image (kind content)
// and one image of its own; the first page also shows a logo.
void write_host_shard(const std::filesystem::path& path, const std::string& warc, const std::string& host,
                      int first, int pages, const std::string& shared) {
  ShardWriter w(path, "extract");
  int64_t images = 0;
  for (int p = first; p < first + pages; ++p) {
    PageRecord page = page_row(p);
    page.url = "https://" + host + "/p/" + std::to_string(p);
    const int64_t row = w.add_page(page);
    html::ImageRecord im = image_row(p, row);
    im.url = shared, im.kind = "content", im.kind_reason = "figure";
    w.add_image(im);
    im.url = "https://" + host + "/own/" + std::to_string(p) + ".jpg";
    w.add_image(im);
    w.add_image(im);  // twice on one page: counts once
    images += 3;
    if (p == first) {
      im.url = "https://" + host + "/logo.png", im.kind = "logo", im.kind_reason = "name:logo";
      w.add_image(im);
      ++images;
    }
  }
  w.set_file(file_summary(warc, pages, images));
  w.commit();
}

TEST_F(StoreTest, RepetitionPerHostIsDecidedOverEveryMerge) {
  const std::string shared = "https://cdn.example.net/banner.jpg";
  write_host_shard(dir_ / "a.h5", "/a.warc", "www.example.org", 0, 2, shared);
  write_host_shard(dir_ / "b.h5", "/b.warc", "www.example.org", 2, 2, shared);
  write_host_shard(dir_ / "c.h5", "/c.warc", "other.example.com", 0, 10, shared);
  Database db(dir_ / "w.sqlite");
  db.merge_shard(dir_ / "a.h5");
  Query q(dir_ / "w.sqlite");
  auto kinds = [&](const std::string& host, const std::string& url) {
    return q.text("SELECT group_concat(DISTINCT k.kind || ' ' || k.kind_reason) FROM image_kinds k "
                  "JOIN images i USING (image_id) JOIN pages p USING (page_id) WHERE p.host = '" +
                  host + "' AND i.url = '" + url + "'");
  };
  // 2 pages: below the 3 pages a repetition needs.
  EXPECT_EQ(kinds("www.example.org", shared), "content figure");
  EXPECT_EQ(q.count("SELECT pages FROM image_repeats WHERE url = 'https://www.example.org/own/0.jpg'"), 1);
  db.merge_shard(dir_ / "b.h5");
  // 4 of 4 pages now: the images merged before change too.
  EXPECT_EQ(kinds("www.example.org", shared), "chrome repeated:4 of 4 pages");
  EXPECT_EQ(kinds("www.example.org", "https://www.example.org/logo.png"), "logo name:logo");
  EXPECT_EQ(kinds("www.example.org", "https://www.example.org/own/3.jpg"), "content figure");
  // Another host showing the same URL is counted apart: 10 of 10 pages there.
  db.merge_shard(dir_ / "c.h5");
  EXPECT_EQ(kinds("other.example.com", shared), "chrome repeated:10 of 10 pages");
  EXPECT_EQ(q.count("SELECT pages FROM host_pages WHERE host = 'www.example.org'"), 4);
  // A shard merged again counts nothing twice.
  db.merge_shard(dir_ / "b.h5");
  EXPECT_EQ(q.count("SELECT pages FROM image_repeats WHERE host = 'www.example.org' AND url = '" + shared + "'"), 4);
}

TEST_F(StoreTest, ImagesOnLessThanHalfTheHostsPagesStayContent) {
  const std::string shared = "https://www.example.org/photo.jpg";
  // 3 pages with the photo, 5 more of the same host showing another image: 3 of 8 pages.
  write_host_shard(dir_ / "a.h5", "/a.warc", "www.example.org", 0, 3, shared);
  write_host_shard(dir_ / "b.h5", "/b.warc", "www.example.org", 10, 5, "https://www.example.org/other.jpg");
  Database db(dir_ / "w.sqlite");
  db.merge_shard(dir_ / "a.h5");
  Query q(dir_ / "w.sqlite");
  const std::string sql = "SELECT DISTINCT k.kind FROM image_kinds k JOIN images i USING (image_id) "
                          "WHERE i.url = '" + shared + "'";
  EXPECT_EQ(q.text(sql), "chrome");  // 3 of 3
  db.merge_shard(dir_ / "b.h5");
  EXPECT_EQ(q.text(sql), "content");  // 3 of 8
}

TEST_F(StoreTest, SameBytesForManyUrlsArePlaceholders) {
  write_synthetic_shard(dir_ / "a.h5", "/a.warc", 4);  // 12 images
  {
    ShardWriter w(dir_ / "score-1-12.h5", "score");
    for (int64_t id = 1; id <= 12; ++id) {
      ScoreRecord r;  // a downloaded image; only its URL and bytes' hash matter here
      r.image = id;
      r.url = "https://img.example.org/" + std::to_string(id) + ".jpg";
      r.outcome = "ok";
      r.attempts = 1;
      r.width = 640, r.height = 480;
      r.sha256 = id <= 5 ? "aaaa" : id <= 9 ? "bbbb" : "c" + std::to_string(id);  // 5 URLs, 4 URLs
      w.add_score(r);
    }
    w.commit();
  }
  Database db(dir_ / "w.sqlite");
  db.merge_shard(dir_ / "a.h5");
  db.merge_shard(dir_ / "score-1-12.h5");
  Query q(dir_ / "w.sqlite");
  EXPECT_EQ(q.text("SELECT group_concat(image_id) FROM image_kinds WHERE kind = 'placeholder'"), "1,2,3,4,5");
  EXPECT_EQ(q.text("SELECT kind_reason FROM image_kinds WHERE image_id = 2"), "same bytes:5 urls");
  EXPECT_EQ(q.count("SELECT count(*) FROM image_kinds WHERE kind = 'placeholder' AND image_id > 5"), 0);
}

TEST_F(StoreTest, AVersionSixDatabaseIsMigrated) {
  const std::string shared = "https://cdn.example.net/banner.jpg";
  write_host_shard(dir_ / "a.h5", "/a.warc", "WWW.Example.org:8080", 0, 4, shared);
  { Database(dir_ / "w.sqlite").merge_shard(dir_ / "a.h5"); }
  Query(dir_ / "w.sqlite").exec(std::string(kDropSchemaV7) + "PRAGMA user_version = 6;");
  { Database reopened(dir_ / "w.sqlite"); }
  Query q(dir_ / "w.sqlite");
  EXPECT_EQ(q.count("PRAGMA user_version"), kSchemaVersion);
  EXPECT_EQ(q.text("SELECT DISTINCT host FROM pages"), "www.example.org");  // as merge has it
  // Extracted before kinds: unknown, with the reason saying so; repetition still counts.
  EXPECT_EQ(q.text("SELECT DISTINCT kind_reason FROM images WHERE url <> '" + shared + "'"),
            "extracted before image kinds");
  EXPECT_EQ(q.text("SELECT DISTINCT k.kind FROM image_kinds k JOIN images i USING (image_id) "
                   "WHERE i.url = '" + shared + "'"), "chrome");
}

}  // namespace
}  // namespace warcpairs::store::testing
