// Predictions: the optional /predictions shard group, its merge for extract shards (by image
// row) and predict shards (by image_id), conflicts, bad references, migration from version 1,
// ImageQuery reading images back, score reruns superseding rows.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include "db_query.h"
#include "store_fixture.h"
#include "warcpairs/core/error.h"
#include "warcpairs/store/database.h"
#include "warcpairs/store/image_query.h"
#include "warcpairs/store/score_query.h"

namespace warcpairs::store::testing {
namespace fs = std::filesystem;

PredictionRecord prediction(int64_t image, int32_t start, int32_t end, std::string text,
                            double score) {
  PredictionRecord p;
  p.image = image;
  p.start = start;
  p.end = end;
  p.text = std::move(text);
  p.score = score;
  return p;
}

// An extract shard of `pages` pages × 3 images with a prediction for every other image row.
void write_shard_with_predictions(const fs::path& path, const std::string& warc, int64_t pages) {
  ShardWriter w(path, "extract");
  w.set_model("fnv1a64:00000000000000aa");
  for (int64_t p = 0; p < pages; ++p) {
    const int64_t row = w.add_page(page_row(p));
    for (int k = 0; k < 3; ++k) {
      const int64_t image_row_index = w.add_image(image_row(3 * p + k, row));
      EXPECT_EQ(image_row_index, 3 * p + k);
      if (image_row_index % 2 == 0)
        w.add_prediction(prediction(image_row_index, 4, 9, "image", 1.5 + double(image_row_index)));
    }
  }
  w.set_file(file_summary(warc, pages, 3 * pages));
  w.commit();
}

TEST_F(StoreTest, ShardsWithoutPredictionsReadAsNone) {
  write_synthetic_shard(dir_ / "a.h5", "/a.warc", 3);
  ShardReader r(dir_ / "a.h5");
  EXPECT_EQ(r.prediction_count(), 0);
  EXPECT_EQ(r.model(), "");
  std::vector<PredictionRecord> out{PredictionRecord{}};
  r.read_predictions(0, 10, out);
  EXPECT_TRUE(out.empty());
}

TEST_F(StoreTest, ExtractShardPredictionsFindTheirImagesByRow) {
  write_synthetic_shard(dir_ / "a.h5", "/a.warc", 7);  // image ids 1..21 go first
  write_shard_with_predictions(dir_ / "b.h5", "/b.warc", 5000);  // > one batch of predictions
  {
    ShardReader r(dir_ / "b.h5");
    EXPECT_EQ(r.prediction_count(), 7500);
    EXPECT_EQ(r.model(), "fnv1a64:00000000000000aa");
    std::vector<PredictionRecord> out;
    r.read_predictions(7499, 5, out);
    ASSERT_EQ(out.size(), 1u);
    EXPECT_EQ(out[0].image, 14998);
    EXPECT_DOUBLE_EQ(out[0].score, 1.5 + 14998);
  }
  Database db(dir_ / "w.sqlite");
  db.merge_shard(dir_ / "a.h5");
  const MergeCounts c = db.merge_shard(dir_ / "b.h5");
  EXPECT_EQ(c.predictions, 7500);
  Query q(dir_ / "w.sqlite");
  EXPECT_EQ(q.count("SELECT count(*) FROM predictions"), 7500);
  // Image row 4 of b is image_id 21 + 4 + 1; its context is image_row(4)'s.
  EXPECT_EQ(q.text("SELECT i.context || '|' || p.span_start || '|' || p.span_end || '|' || p.text || "
                   "'|' || p.score || '|' || p.model FROM predictions p JOIN images i USING(image_id) "
                   "WHERE image_id = 26"),
            image_row(4, 0).context + "|4|9|image|5.5|fnv1a64:00000000000000aa");
  EXPECT_EQ(q.count("SELECT count(*) FROM predictions WHERE (image_id - 22) % 2 != 0"), 0);
  EXPECT_EQ(q.text("PRAGMA foreign_key_check"), "");
}

TEST_F(StoreTest, PredictShardsNameImageIdsAndKeepTheFirstAnswer) {
  write_synthetic_shard(dir_ / "a.h5", "/a.warc", 4);  // image ids 1..12
  auto predict_shard = [&](const std::string& name, std::vector<PredictionRecord> rows) {
    ShardWriter w(dir_ / name, "predict");
    w.set_model("fnv1a64:00000000000000bb");
    for (const auto& p : rows) w.add_prediction(p);
    w.commit();
  };
  predict_shard("p1.h5", {prediction(1, 0, 6, "before", 2.0), prediction(12, -1, -1, "", -0.5)});
  predict_shard("p2.h5", {prediction(1, 7, 10, "the", 9.0), prediction(2, 0, 6, "before", 1.0)});
  predict_shard("bad.h5", {prediction(13, 0, 1, "x", 1.0)});
  Database db(dir_ / "w.sqlite");
  db.merge_shard(dir_ / "a.h5");
  EXPECT_EQ(db.merge_shard(dir_ / "p1.h5").predictions, 2);
  const MergeCounts again = db.merge_shard(dir_ / "p2.h5");
  EXPECT_EQ(again.predictions, 1);
  EXPECT_EQ(again.predictions_present, 1);
  EXPECT_THROW(db.merge_shard(dir_ / "bad.h5"), Error);  // image 13 does not exist
  EXPECT_FALSE(db.has_shard("bad.h5"));
  Query q(dir_ / "w.sqlite");
  EXPECT_EQ(q.text("SELECT text FROM predictions WHERE image_id = 1"), "before");
  EXPECT_EQ(q.text("SELECT span_start FROM predictions WHERE image_id = 12"), "<null>");
  EXPECT_EQ(q.text("SELECT stage FROM shards WHERE name = 'p1.h5'"), "predict");
}

TEST_F(StoreTest, PredictionsWithoutAModelNameAreRefused) {
  write_synthetic_shard(dir_ / "a.h5", "/a.warc", 1);
  {
    ShardWriter w(dir_ / "p.h5", "predict");
    w.add_prediction(prediction(1, 0, 1, "b", 1.0));
    w.commit();
  }
  Database db(dir_ / "w.sqlite");
  db.merge_shard(dir_ / "a.h5");
  EXPECT_THROW(db.merge_shard(dir_ / "p.h5"), Error);
}

TEST_F(StoreTest, VersionOneDatabaseIsMigrated) {
  write_synthetic_shard(dir_ / "a.h5", "/a.warc", 2);
  {  // a version-1 database: this schema without the predictions table, with rows
    { Database db(dir_ / "old.sqlite"); db.merge_shard(dir_ / "a.h5"); }
    Query q(dir_ / "old.sqlite");
    q.exec(std::string(kDropSchemaV7) + "DROP VIEW review_current; DROP TABLE review_decisions; DROP TABLE predictions; "
           "DROP TABLE scores; ALTER TABLE images DROP COLUMN region; "
           "ALTER TABLE pages DROP COLUMN text; PRAGMA user_version = 1;");
  }
  { Database db(dir_ / "old.sqlite"); }
  Query q(dir_ / "old.sqlite");
  EXPECT_EQ(q.count("PRAGMA user_version"), kSchemaVersion);
  EXPECT_EQ(q.count("SELECT count(*) FROM sqlite_master WHERE name = 'predictions'"), 1);
  EXPECT_EQ(q.count("SELECT count(*) FROM sqlite_master WHERE name = 'scores'"), 1);
  EXPECT_EQ(q.count("SELECT count(*) FROM sqlite_master WHERE name = 'review_decisions'"), 1);
  EXPECT_EQ(q.count("SELECT count(*) FROM images"), 6);  // rows kept
  // Version 6: rows from before it have no region and no page text.
  EXPECT_EQ(q.count("SELECT count(*) FROM images WHERE region = ''"), 6);
  EXPECT_EQ(q.count("SELECT count(*) FROM pages WHERE text = ''"), 2);
}

ScoreRecord score(int64_t image, std::string outcome) {
  ScoreRecord r;
  r.image = image;
  r.url = "https://img.example.org/" + std::to_string(image) + ".jpg";
  r.caption = "a caption";
  r.alt = "";
  r.outcome = std::move(outcome);
  r.attempts = 1;
  if (r.outcome == "ok") {
    r.http_status = 200;
    r.bytes = 1234;
    r.mime = "image/jpeg";
    r.width = 640;
    r.height = 480;
    r.sha256 = std::string(64, 'a');
    r.phash = -5;  // all 64 bits are kept (stored as a signed integer)
    r.clip_caption = 0.25;
    r.key = "000000001";
    r.tar = "000000.tar";
  } else {
    r.http_status = 404;
    r.detail = "HTTP 404";
  }
  return r;
}

TEST_F(StoreTest, ScoreShardsMergeWithNullsForTheUnknown) {
  write_synthetic_shard(dir_ / "a.h5", "/a.warc", 2);  // image ids 1..6
  {
    ShardWriter w(dir_ / "score-c000000.h5", "score");
    w.set_clip_model("fnv1a64:00000000000000cc");
    w.add_score(score(1, "ok"));
    w.add_score(score(2, "http_error"));
    w.commit();
  }
  {
    ShardWriter w(dir_ / "list.h5", "score_list");
    w.add_score(score(1, "ok"));  // list row 1: no image behind it
    w.commit();
  }
  {
    ShardWriter w(dir_ / "bad.h5", "score");
    w.add_score(score(7, "ok"));
    w.commit();
  }
  {
    ShardReader r(dir_ / "score-c000000.h5");
    EXPECT_EQ(r.score_count(), 2);
    EXPECT_EQ(r.clip_model(), "fnv1a64:00000000000000cc");
    std::vector<ScoreRecord> out;
    r.read_scores(1, 5, out);
    ASSERT_EQ(out.size(), 1u);
    EXPECT_EQ(out[0].outcome, "http_error");
    EXPECT_TRUE(std::isnan(out[0].clip_caption));
  }
  Database db(dir_ / "w.sqlite");
  db.merge_shard(dir_ / "a.h5");
  EXPECT_EQ(db.merge_shard(dir_ / "score-c000000.h5").scores, 2);
  EXPECT_EQ(db.merge_shard(dir_ / "list.h5").scores, 1);
  EXPECT_THROW(db.merge_shard(dir_ / "bad.h5"), Error);
  Query q(dir_ / "w.sqlite");
  EXPECT_EQ(q.text("SELECT outcome || ' ' || width || ' ' || phash || ' ' || clip_caption || ' ' || "
                   "ifnull(clip_alt, 'null') || ' ' || clip_model FROM scores WHERE image_id = 1"),
            "ok 640 -5 0.25 null fnv1a64:00000000000000cc");
  EXPECT_EQ(q.text("SELECT ifnull(width, 'null') || ' ' || ifnull(clip_model, 'null') || ' ' || "
                   "http_status FROM scores WHERE image_id = 2"),
            "null null 404");
  EXPECT_EQ(q.text("SELECT ifnull(image_id, 'null') || ' ' || list_row FROM scores WHERE list_row IS NOT NULL"),
            "null 1");
  EXPECT_EQ(q.text("PRAGMA foreign_key_check"), "");
}

// A score rerun's shard (a higher revision) replaces the stored rows of its images; a shard of
// a lower or equal revision changes nothing, and scores keeps one row per image.
TEST_F(StoreTest, ScoreRedoShardsReplaceOlderRevisions) {
  write_synthetic_shard(dir_ / "a.h5", "/a.warc", 2);  // image ids 1..6
  auto write = [&](const char* name, int revision, bool refetched, std::vector<ScoreRecord> rows) {
    ShardWriter w(dir_ / name, "score");
    if (revision > 0) w.set_score_revision(revision, refetched);
    for (const auto& r : rows) w.add_score(r);
    w.commit();
  };
  ScoreRecord unclipped = score(1, "ok");
  unclipped.clip_caption = std::numeric_limits<double>::quiet_NaN();
  ScoreRecord failed = score(2, "http_error");
  failed.http_status = 503;
  write("score-c000000.h5", 0, true, {unclipped, failed});
  ScoreRecord clipped = unclipped;
  clipped.clip_caption = 0.5;
  write("score-r002-clip-c000000.h5", 2, false, {clipped});
  write("score-r002-c000000.h5", 2, true, {score(2, "ok")});
  write("score-old.h5", 1, true, {failed});
  {
    ShardReader r(dir_ / "score-r002-clip-c000000.h5");
    EXPECT_EQ(r.score_revision(), 2);
    EXPECT_FALSE(r.score_refetched());
    EXPECT_EQ(ShardReader(dir_ / "score-c000000.h5").score_revision(), 1);
  }
  Database db(dir_ / "w.sqlite");
  db.merge_shard(dir_ / "a.h5");
  EXPECT_EQ(db.merge_shard(dir_ / "score-c000000.h5").scores, 2);
  {
    ScoreQuery sq(dir_ / "w.sqlite");
    EXPECT_EQ(sq.max_revision(), 1);
    std::vector<std::string> got;
    sq.for_each_redo_candidate(1, 6, true, [&](const StoredScore& s) {
      got.push_back(std::to_string(s.record.image) + s.record.outcome + std::to_string(s.tries));
    });
    EXPECT_EQ(got, (std::vector<std::string>{"1ok1", "2http_error1"}));
    got.clear();
    sq.for_each_redo_candidate(1, 6, false, [&](const StoredScore& s) { got.push_back(s.record.outcome); });
    EXPECT_EQ(got, (std::vector<std::string>{"http_error"}));
  }
  EXPECT_EQ(db.merge_shard(dir_ / "score-r002-clip-c000000.h5").scores, 1);
  EXPECT_EQ(db.merge_shard(dir_ / "score-r002-c000000.h5").scores, 1);
  EXPECT_EQ(db.merge_shard(dir_ / "score-old.h5").scores_present, 1);  // revision 1 < 2: ignored
  Query q(dir_ / "w.sqlite");
  EXPECT_EQ(q.text("SELECT group_concat(image_id || ' ' || outcome || ' ' || tries || ' ' || "
                   "revision || ' ' || clip_caption, ', ') FROM (SELECT * FROM scores ORDER BY image_id)"),
            "1 ok 1 2 0.5, 2 ok 2 2 0.25");
  EXPECT_EQ(ScoreQuery(dir_ / "w.sqlite").max_revision(), 2);
}

TEST_F(StoreTest, ImageQueryStreamsLabelledAndRangedImages) {
  write_synthetic_shard(dir_ / "a.h5", "/a.warc", 10);  // 30 images, odd rows labelled
  { Database db(dir_ / "w.sqlite"); db.merge_shard(dir_ / "a.h5"); }
  ImageQuery iq(dir_ / "w.sqlite");
  EXPECT_EQ(iq.max_image_id(), 30);
  std::vector<int64_t> ids;
  EXPECT_EQ(iq.for_each_labelled([&](const ContextRow& r) {
    ids.push_back(r.image_id);
    EXPECT_EQ(r.label_start, 20);
    EXPECT_EQ(r.page_url, page_row((r.image_id - 1) / 3).url);
  }), 15);
  EXPECT_EQ(ids.front(), 2);
  int64_t n = 0;
  iq.for_each_in_range(5, 9, [&](const ContextRow& r) {
    EXPECT_EQ(r.context, image_row(r.image_id - 1, 0).context);
    EXPECT_EQ(r.label_start, r.image_id % 2 == 0 ? 20 : -1);
    ++n;
  });
  EXPECT_EQ(n, 5);
  EXPECT_EQ(iq.count_predicted(1, 30, "m"), 0);
  EXPECT_THROW(ImageQuery(dir_ / "missing.sqlite"), Error);
}

}  // namespace warcpairs::store::testing
