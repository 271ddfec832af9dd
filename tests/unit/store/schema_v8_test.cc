// Schema 8: detected languages, page robots directives and the unsafe score, from shards to the
// database (merge computes the predictions' languages), and the migration of a version-7 file.
#include <gtest/gtest.h>

#include <cmath>

#include "db_query.h"
#include "store_fixture.h"
#include "warcpairs/store/database.h"

namespace warcpairs::store::testing {
namespace {

TEST_F(StoreTest, LanguagesRobotsAndUnsafeReachTheDatabase) {
  {
    ShardWriter w(dir_ / "a.h5", "extract");
    w.set_model("fnv1a64:00000000000000aa");
    PageRecord page = page_row(0);
    page.text_language = "de", page.text_language_reliable = true, page.text_language_percent = 97;
    page.robots = "index,noai";
    const int64_t row = w.add_page(page);
    html::ImageRecord im = image_row(0, row);
    im.context_language = "pl", im.context_language_reliable = true;
    w.add_image(im);
    w.add_image(image_row(1, row));
    PredictionRecord p;
    p.image = 0, p.start = 0, p.end = 5;
    p.text = "Der Ausschuss wird seinen Abschlussbericht über die neue Bahnstrecke im nächsten "
             "Frühjahr veröffentlichen.";
    w.add_prediction(p);
    p.image = 1, p.start = p.end = -1, p.text = "";
    w.add_prediction(p);
    w.set_file(file_summary("/a.warc", 1, 2));
    w.commit();
  }
  {
    ShardWriter w(dir_ / "score-c000000.h5", "score");
    w.set_clip_model("fnv1a64:00000000000000cc");
    ScoreRecord s;
    s.image = 1, s.url = std::string("https://img.example.org/1.jpg"), s.outcome = std::string("ok");
    s.unsafe = 0.125;
    w.add_score(s);
    s.image = 2, s.unsafe = NAN;  // not scored for it
    w.add_score(s);
    w.commit();
  }
  {
    Database db(dir_ / "w.sqlite");
    db.merge_shard(dir_ / "a.h5");
    db.merge_shard(dir_ / "score-c000000.h5");
  }
  Query q(dir_ / "w.sqlite");
  EXPECT_EQ(q.text("SELECT text_language || ' ' || text_language_reliable || ' ' || text_language_percent "
                   "|| ' ' || robots FROM pages"), "de 1 97 index,noai");
  EXPECT_EQ(q.text("SELECT group_concat(context_language || ':' || context_language_reliable, ',') FROM "
                   "(SELECT * FROM images ORDER BY image_id)"), "pl:1,:0");
  // merge detected the descriptions' languages: German, and nothing for "no span".
  EXPECT_EQ(q.text("SELECT group_concat(language || ':' || language_reliable, ',') FROM "
                   "(SELECT * FROM predictions ORDER BY image_id)"), "de:1,:0");
  EXPECT_EQ(q.text("SELECT group_concat(coalesce(unsafe, 'NULL'), ',') FROM (SELECT * FROM scores ORDER BY image_id)"),
            "0.125,NULL");
}

TEST_F(StoreTest, AVersionSevenDatabaseIsMigrated) {
  write_synthetic_shard(dir_ / "a.h5", "/a.warc", 2);
  { Database(dir_ / "w.sqlite").merge_shard(dir_ / "a.h5"); }
  Query(dir_ / "w.sqlite").exec(std::string(kDropSchemaV8) + "PRAGMA user_version = 7;");
  { Database reopened(dir_ / "w.sqlite"); }
  Query q(dir_ / "w.sqlite");
  EXPECT_EQ(q.count("PRAGMA user_version"), kSchemaVersion);
  EXPECT_EQ(q.count("SELECT count(*) FROM pages WHERE text_language = '' AND robots = '' AND "
                    "text_language_reliable = 0"), 2);
  EXPECT_EQ(q.count("SELECT count(*) FROM images WHERE context_language = ''"), 6);
  EXPECT_EQ(q.count("SELECT count(*) FROM pragma_table_info('scores') WHERE name = 'unsafe'"), 1);
  EXPECT_EQ(q.count("SELECT count(*) FROM pragma_table_info('predictions') WHERE name = 'language'"), 1);
}

}  // namespace
}  // namespace warcpairs::store::testing
