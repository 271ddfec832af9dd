// Database: schema creation and version refusal, exactly-once merge, NULL mapping, integrity.
#include "warcpairs/store/database.h"

#include <hdf5.h>

#include "db_query.h"
#include "shard_damage.h"
#include "store_fixture.h"
#include "warcpairs/core/error.h"

namespace warcpairs::store::testing {
namespace fs = std::filesystem;

void expect_consistent(const Query& q) {
  EXPECT_EQ(q.text("PRAGMA integrity_check"), "ok");
  EXPECT_EQ(q.text("PRAGMA foreign_key_check"), "");  // no violating row
}

TEST_F(StoreTest, FreshDatabaseHasSchemaVersionAndTables) {
  { Database db(dir_ / "w.sqlite"); }
  Query q(dir_ / "w.sqlite");
  EXPECT_EQ(q.count("PRAGMA user_version"), kSchemaVersion);
  for (const char* t : {"shards", "files", "pages", "images", "skips"})
    EXPECT_EQ(q.count(std::string("SELECT count(*) FROM sqlite_master WHERE name='") + t + "'"), 1) << t;
  EXPECT_EQ(q.text("PRAGMA journal_mode"), "delete");
  { Database again(dir_ / "w.sqlite"); }  // reopening an existing database is fine
}

TEST_F(StoreTest, MergeTwiceTakesNothingTwice) {
  write_synthetic_shard(dir_ / "a.h5", "/a.warc", 250);
  Database db(dir_ / "w.sqlite");
  EXPECT_FALSE(db.has_shard("a.h5"));
  MergeCounts c = db.merge_shard(dir_ / "a.h5");
  EXPECT_EQ(c.files, 1);
  EXPECT_EQ(c.pages, 250);
  EXPECT_EQ(c.images, 750);
  EXPECT_EQ(c.skips, 3);
  EXPECT_TRUE(db.has_shard("a.h5"));
  MergeCounts again = db.merge_shard(dir_ / "a.h5");
  EXPECT_EQ(again.files + again.pages + again.images + again.skips, 0);
  // The ledger keys on the file name: the same shard under another directory is the same shard.
  fs::create_directories(dir_ / "copy");
  fs::copy_file(dir_ / "a.h5", dir_ / "copy" / "a.h5");
  EXPECT_EQ(db.merge_shard(dir_ / "copy" / "a.h5").pages, 0);
  Query q(dir_ / "w.sqlite");
  EXPECT_EQ(q.count("SELECT count(*) FROM pages"), 250);
  EXPECT_EQ(q.count("SELECT count(*) FROM images"), 750);
  EXPECT_EQ(q.count("SELECT count(*) FROM skips"), 3);
  EXPECT_EQ(q.text("SELECT stage || ' ' || files || ' ' || pages || ' ' || images || ' ' || skips "
                   "FROM shards WHERE name = 'a.h5'"), "extract 1 250 750 3");
  expect_consistent(q);
}

TEST_F(StoreTest, TwoShardsGetDistinctIdsAndImagesPointAtTheirPages) {
  write_synthetic_shard(dir_ / "a.h5", "/a.warc", 40);
  write_synthetic_shard(dir_ / "b.h5", "/b.warc", 5000);  // more than one merge batch
  {
    Database db(dir_ / "w.sqlite");
    db.merge_shard(dir_ / "a.h5");
    db.merge_shard(dir_ / "b.h5");
  }
  Query q(dir_ / "w.sqlite");
  EXPECT_EQ(q.count("SELECT count(*) FROM pages"), 5040);
  EXPECT_EQ(q.count("SELECT count(*) FROM images"), 3 * 5040);
  // Page row 4999 of b is page_id 40 + 4999 + 1; its images are rows 14997..14999 of b.
  EXPECT_EQ(q.text("SELECT p.url FROM pages p JOIN files f USING(file_id) "
                   "WHERE f.path = '/b.warc' AND p.page_id = 5040"),
            "https://example.org/page/4999");
  EXPECT_EQ(q.text("SELECT group_concat(i.url, ' ') FROM images i JOIN pages p USING(page_id) "
                   "JOIN files f USING(file_id) WHERE f.path='/b.warc' AND p.warc_offset=4999007"),
            "https://img.example.org/14997.jpg https://img.example.org/14998.jpg "
            "https://img.example.org/14999.jpg");
  // Schema 6: the page text and the image regions go through shard and merge.
  EXPECT_EQ(q.text("SELECT text FROM pages WHERE page_id = 5040"), "Haupttext 4999\nzweiter Block");
  EXPECT_EQ(q.text("SELECT text FROM pages WHERE page_id = 5039"), "");
  EXPECT_EQ(q.text("SELECT group_concat(i.region, ' ') FROM images i JOIN pages p USING(page_id) "
                   "WHERE p.page_id = 5040"),
            "footer aside other");
  // Every image's url number n belongs to page n/3 of its file: no image crossed pages.
  EXPECT_EQ(q.count("SELECT count(*) FROM images i JOIN pages p USING(page_id) WHERE "
                    "CAST(substr(i.url, 25) AS INTEGER) / 3 * 1000 + 7 != p.warc_offset"), 0);
  EXPECT_EQ(q.count("SELECT count(*) FROM skips s JOIN files f USING(file_id) WHERE f.path='/b.warc'"), 50);
  expect_consistent(q);
}

TEST_F(StoreTest, AbsentLabelsAndSizesAreNullNotMinusOne) {
  {
    ShardWriter w(dir_ / "l.h5", "extract");
    w.add_page(page_row(0));
    html::ImageRecord labelled = image_row(1, 0), unlabelled = image_row(2, 0);
    labelled.label_start = 0;  // a label at offset 0 must not be mistaken for "none"
    labelled.label_end = 5;
    unlabelled.label_start = unlabelled.label_end = -1;
    unlabelled.width = unlabelled.height = -1;
    labelled.width = 0;
    w.add_image(labelled);
    w.add_image(unlabelled);
    w.set_file(file_summary("/l.warc", 1, 2));
    w.commit();
    Database db(dir_ / "w.sqlite");
    db.merge_shard(dir_ / "l.h5");
  }
  Query q(dir_ / "w.sqlite");
  EXPECT_EQ(q.text("SELECT label_start || ',' || label_end || ',' || width FROM images WHERE idx=1"), "0,5,0");
  EXPECT_EQ(q.text("SELECT label_start FROM images WHERE idx = 2"), "<null>");
  EXPECT_EQ(q.text("SELECT label_end FROM images WHERE idx = 2"), "<null>");
  EXPECT_EQ(q.text("SELECT width FROM images WHERE idx = 2"), "<null>");
  EXPECT_EQ(q.text("SELECT height FROM images WHERE idx = 2"), "<null>");
  EXPECT_EQ(q.count("SELECT count(*) FROM images WHERE label_start IS NOT NULL"), 1);
}

TEST_F(StoreTest, RefusesNewerSchemaAndForeignDatabases) {
  { Database db(dir_ / "new.sqlite"); }
  Query(dir_ / "new.sqlite").exec("PRAGMA user_version = " + std::to_string(kSchemaVersion + 1));
  try {
    Database db(dir_ / "new.sqlite");
    FAIL() << "expected Error";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("newer"), std::string::npos) << e.what();
    EXPECT_EQ(e.file(), (dir_ / "new.sqlite").string());
  }
  {
    sqlite3* raw = nullptr;
    sqlite3_open((dir_ / "other.sqlite").c_str(), &raw);
    sqlite3_exec(raw, "CREATE TABLE t(x)", nullptr, nullptr, nullptr);
    sqlite3_close(raw);
  }
  EXPECT_THROW(Database(dir_ / "other.sqlite"), Error);
  std::ofstream(dir_ / "garbage.sqlite") << real_warc_text();
  EXPECT_THROW(Database(dir_ / "garbage.sqlite"), Error);
}

TEST_F(StoreTest, FailedMergeLeavesNoTraceOfTheShard) {
  write_synthetic_shard(dir_ / "a.h5", "/same.warc", 20);
  write_synthetic_shard(dir_ / "b.h5", "/same.warc", 30);  // same WARC file, other shard name
  std::ofstream(dir_ / "bad.h5") << "not hdf5";
  Database db(dir_ / "w.sqlite");
  db.merge_shard(dir_ / "a.h5");
  EXPECT_THROW(db.merge_shard(dir_ / "b.h5"), Error);
  EXPECT_THROW(db.merge_shard(dir_ / "bad.h5"), Error);
  EXPECT_FALSE(db.has_shard("b.h5"));
  EXPECT_FALSE(db.has_shard("bad.h5"));
  write_synthetic_shard(dir_ / "c.h5", "/c.warc", 10);
  EXPECT_EQ(db.merge_shard(dir_ / "c.h5").pages, 10);  // the connection is usable after failures
  Query q(dir_ / "w.sqlite");
  EXPECT_EQ(q.count("SELECT count(*) FROM pages"), 30);
  EXPECT_EQ(q.count("SELECT count(*) FROM shards"), 2);
  expect_consistent(q);
}

// The bad row sits in a late batch, so the reader thread is still decoding ahead when the
// merging thread throws: the merge must stop it, roll back, and leave the connection usable.
TEST_F(StoreTest, CorruptRowInALateBatchRollsBackTheWholeShard) {
  const int64_t kPages = 6000;
  const hsize_t kBad = 14000;  // image 14000 is in the 4th image batch of 4096
  write_synthetic_shard(dir_ / "bad_row.h5", "/bad_row.warc", kPages);
  // the writer refuses such a row, so damage the committed file as a foreign tool might
  overwrite_int64(dir_ / "bad_row.h5", "/images/page_row", kBad, kPages);
  write_synthetic_shard(dir_ / "ok.h5", "/ok.warc", 10);
  Database db(dir_ / "w.sqlite");
  try {
    db.merge_shard(dir_ / "bad_row.h5");
    ADD_FAILURE() << "a shard with an image of page row " << kPages << " was merged";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("page row 6000"), std::string::npos) << e.what();
  }
  EXPECT_FALSE(db.has_shard("bad_row.h5"));
  EXPECT_EQ(db.merge_shard(dir_ / "ok.h5").images, 30);
  Query q(dir_ / "w.sqlite");
  EXPECT_EQ(q.count("SELECT count(*) FROM pages"), 10);
  EXPECT_EQ(q.count("SELECT count(*) FROM images"), 30);
  EXPECT_EQ(q.count("SELECT min(page_id) FROM pages"), 1);  // the rolled-back ids are reused
  expect_consistent(q);
}

TEST_F(StoreTest, ShardWithoutFileRowMergesAsLedgerOnly) {
  { ShardWriter w(dir_ / "p.h5", "predict"); w.commit(); }
  Database db(dir_ / "w.sqlite");
  MergeCounts c = db.merge_shard(dir_ / "p.h5");
  EXPECT_EQ(c.files, 0);
  EXPECT_TRUE(db.has_shard("p.h5"));
}

}  // namespace warcpairs::store::testing
