// ReviewStore: pages of pairs with their prediction, scores and current decision; decisions
// appended with the expected-current check (conflicts write nothing); concurrent writers on
// separate connections never lose a decision; migration from schema 3.
#include "warcpairs/store/review_store.h"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include "db_query.h"
#include "store_fixture.h"
#include "warcpairs/core/error.h"
#include "warcpairs/store/database.h"
#include "warcpairs/store/export_query.h"

namespace warcpairs::store::testing {
namespace fs = std::filesystem;
using Status = DecisionResult::Status;

constexpr const char* kModel = "fnv1a64:00000000000000aa";

ScoreRecord scored(int64_t image, double clip) {
  return stored_score(image, clip, 300 + static_cast<int32_t>(image), 200);
}

// 2 pages × 3 images (ids 1..6, alt "alt 0".."alt 5"); image 1 has the predicted span
// "image" (code points 11..16 of "before the image 0 alt 0 after"); images 1 and 2 are scored
// (CLIP 0.1 and 0.3), image 3 failed to download.
class ReviewStoreTest : public StoreTest {
 protected:
  void SetUp() override {
    StoreTest::SetUp();
    {
      ShardWriter w(dir_ / "a.h5", "extract");
      w.set_model(kModel);
      for (int64_t p = 0; p < 2; ++p) {
        const int64_t row = w.add_page(page_row(p));
        for (int k = 0; k < 3; ++k) w.add_image(image_row(3 * p + k, row));
      }
      PredictionRecord pr;
      pr.image = 0, pr.start = 11, pr.end = 16, pr.text = "image", pr.score = 2.5;
      w.add_prediction(pr);
      w.set_file(file_summary("/a.warc", 2, 6));
      w.commit();
    }
    {
      ShardWriter w(dir_ / "score-c000000.h5", "score");
      w.set_clip_model("fnv1a64:00000000000000cc");
      w.add_score(scored(1, 0.1));
      w.add_score(scored(2, 0.3));
      ScoreRecord failed = scored(3, NAN);
      failed.outcome = "http_error", failed.key.clear(), failed.tar.clear(), failed.width = -1;
      w.add_score(failed);
      w.commit();
    }
    Database db(db_path());
    db.merge_shard(dir_ / "a.h5");
    db.merge_shard(dir_ / "score-c000000.h5");
  }
  fs::path db_path() const { return dir_ / "warcpairs.sqlite"; }
  static DecisionRequest request(int64_t image, std::string action, int64_t expected, std::string text = "") {
    return {image, std::move(action), std::move(text), "tester", expected};
  }
};

TEST_F(ReviewStoreTest, ListsPairsWithPredictionScoresAndSizes) {
  ReviewStore store(db_path(), kModel);
  const auto page = store.list(ReviewFilter::all, ReviewOrder::image_id, 0, 100);
  ASSERT_EQ(page.total, 6);
  ASSERT_EQ(page.pairs.size(), 6u);
  const ReviewPair& first = page.pairs[0];
  EXPECT_EQ(first.image_id, 1);
  EXPECT_EQ(first.machine_text, "image");  // the prediction wins over the alt text
  EXPECT_EQ(first.alt, "alt 0");
  EXPECT_EQ(first.context.substr(11, 5), "image");
  EXPECT_EQ(first.span_start, 11);
  EXPECT_EQ(first.span_end, 16);
  EXPECT_DOUBLE_EQ(first.prediction_score, 2.5);
  EXPECT_NEAR(first.clip_caption, 0.1, 1e-6);
  EXPECT_EQ(first.width, 301);  // the downloaded image's size, not the HTML attribute
  EXPECT_TRUE(first.has_image);
  EXPECT_EQ(first.page_title, "Seite 0 — Größe");
  EXPECT_EQ(first.decision.decision_id, 0);
  EXPECT_EQ(page.pairs[1].machine_text, "alt 1");
  EXPECT_EQ(page.pairs[1].span_start, -1);
  EXPECT_FALSE(page.pairs[2].has_image);  // http_error
  EXPECT_EQ(page.pairs[2].outcome, "http_error");
  EXPECT_TRUE(std::isnan(page.pairs[3].clip_caption));
  EXPECT_EQ(page.pairs[3].outcome, "");
  const auto next = store.list(ReviewFilter::all, ReviewOrder::image_id, 4, 100);
  ASSERT_EQ(next.pairs.size(), 2u);
  EXPECT_EQ(next.pairs[0].image_id, 5);
  EXPECT_EQ(next.total, 6);
}

TEST_F(ReviewStoreTest, OrdersByClipWithUnscoredLast) {
  ReviewStore store(db_path(), kModel);
  auto ids = [&](ReviewOrder o) {
    std::vector<int64_t> out;
    for (const auto& p : store.list(ReviewFilter::all, o, 0, 100).pairs) out.push_back(p.image_id);
    return out;
  };
  EXPECT_EQ(ids(ReviewOrder::clip_descending), (std::vector<int64_t>{2, 1, 3, 4, 5, 6}));
  EXPECT_EQ(ids(ReviewOrder::clip_ascending), (std::vector<int64_t>{1, 2, 3, 4, 5, 6}));
  // Pages across the end of the scored pairs: the offset counts through both parts.
  auto page = [&](int64_t offset, int64_t limit) {
    std::vector<int64_t> out;
    for (const auto& p : store.list(ReviewFilter::all, ReviewOrder::clip_descending, offset, limit).pairs)
      out.push_back(p.image_id);
    return out;
  };
  EXPECT_EQ(page(1, 2), (std::vector<int64_t>{1, 3}));
  EXPECT_EQ(page(2, 2), (std::vector<int64_t>{3, 4}));
  EXPECT_EQ(page(4, 10), (std::vector<int64_t>{5, 6}));
  EXPECT_EQ(page(6, 10), (std::vector<int64_t>{}));
  // Filters apply in both parts.
  ASSERT_EQ(store.decide({2, "reject", "", "t", 0}).status, DecisionResult::Status::saved);
  std::vector<int64_t> undecided;
  for (const auto& p : store.list(ReviewFilter::undecided, ReviewOrder::clip_descending, 0, 10).pairs)
    undecided.push_back(p.image_id);
  EXPECT_EQ(undecided, (std::vector<int64_t>{1, 3, 4, 5, 6}));
}

TEST_F(ReviewStoreTest, EqualClipScoresKeepOneDirection) {
  {
    ShardWriter w(dir_ / "more.h5", "score");
    w.add_score(scored(4, 0.3));  // ties with image 2
    w.add_score(scored(5, 0.3));
    w.commit();
    Database(db_path()).merge_shard(dir_ / "more.h5");
  }
  ReviewStore store(db_path(), kModel);
  std::vector<int64_t> desc, asc;
  for (const auto& p : store.list(ReviewFilter::all, ReviewOrder::clip_descending, 0, 4).pairs) desc.push_back(p.image_id);
  for (const auto& p : store.list(ReviewFilter::all, ReviewOrder::clip_ascending, 0, 4).pairs) asc.push_back(p.image_id);
  EXPECT_EQ(desc, (std::vector<int64_t>{5, 4, 2, 1}));  // ties by image_id, descending too
  EXPECT_EQ(asc, (std::vector<int64_t>{1, 2, 4, 5}));
}

TEST_F(ReviewStoreTest, WithoutASpanModelTheAltTextIsShown) {
  ReviewStore store(db_path(), "");
  EXPECT_EQ(store.prediction_models(), std::vector<std::string>{kModel});
  const auto page = store.list(ReviewFilter::all, ReviewOrder::image_id, 0, 1);
  EXPECT_EQ(page.pairs.at(0).machine_text, "alt 0");
  EXPECT_EQ(page.pairs.at(0).span_start, -1);
}

TEST_F(ReviewStoreTest, DecisionsAppendAndTheLatestIsCurrent) {
  ReviewStore store(db_path(), kModel);
  auto a = store.decide(request(1, "accept", 0));
  ASSERT_EQ(a.status, Status::saved);
  EXPECT_EQ(a.current.action, "accept");
  EXPECT_EQ(a.current.text, "image");  // what was accepted is recorded
  EXPECT_EQ(a.current.machine_text, "image");
  EXPECT_EQ(a.current.reviewer, "tester");
  EXPECT_EQ(a.current.replaces, 0);
  EXPECT_EQ(a.current.decided_at.size(), 24u);  // 2026-11-26T10:00:00.000Z
  auto e = store.decide(request(1, "edit", a.current.decision_id, "a red ferry"));
  ASSERT_EQ(e.status, Status::saved);
  EXPECT_EQ(e.current.replaces, a.current.decision_id);
  ASSERT_EQ(store.decide(request(2, "reject", 0)).status, Status::saved);
  ASSERT_EQ(store.decide(request(4, "accept", 0)).status, Status::saved);

  const auto pairs = store.list(ReviewFilter::all, ReviewOrder::image_id, 0, 10).pairs;
  EXPECT_EQ(pairs[0].decision.action, "edit");
  EXPECT_EQ(pairs[0].decision.text, "a red ferry");
  EXPECT_EQ(pairs[0].machine_text, "image");  // the machine's output is kept
  EXPECT_EQ(store.history(1).size(), 2u);
  const auto counts = store.counts();
  EXPECT_EQ(counts.at("accept"), 1);
  EXPECT_EQ(counts.at("edit"), 1);
  EXPECT_EQ(counts.at("reject"), 1);
  EXPECT_EQ(counts.at("undecided"), 3);
  EXPECT_EQ(counts.at("total"), 6);
  EXPECT_EQ(store.list(ReviewFilter::edited, ReviewOrder::image_id, 0, 10).pairs.at(0).image_id, 1);
  EXPECT_EQ(store.list(ReviewFilter::rejected, ReviewOrder::image_id, 0, 10).pairs.at(0).image_id, 2);
  EXPECT_EQ(store.list(ReviewFilter::accepted, ReviewOrder::image_id, 0, 10).total, 1);
  EXPECT_EQ(store.list(ReviewFilter::undecided, ReviewOrder::image_id, 0, 10).total, 3);

  // reset: undecided again, the log keeps all three rows
  ASSERT_EQ(store.decide(request(1, "reset", e.current.decision_id)).status, Status::saved);
  EXPECT_EQ(store.list(ReviewFilter::undecided, ReviewOrder::image_id, 0, 10).total, 4);
  const ReviewPair reset = store.list(ReviewFilter::all, ReviewOrder::image_id, 0, 1).pairs.at(0);
  EXPECT_EQ(reset.decision.decision_id, 0);
  EXPECT_GT(reset.latest_decision_id, e.current.decision_id);  // the reset row: expected next
  EXPECT_EQ(store.decide(request(1, "accept", reset.latest_decision_id)).status, Status::saved);
  EXPECT_EQ(store.decide(request(1, "reject", 0)).status, Status::conflict);
  EXPECT_EQ(store.history(1).size(), 4u);
  Query q(db_path());
  EXPECT_EQ(q.count("SELECT count(*) FROM review_current"), 3);  // images 1, 2 and 4
  EXPECT_EQ(q.count("SELECT count(*) FROM predictions WHERE text = 'image'"), 1);  // untouched
}

TEST_F(ReviewStoreTest, AStaleDecisionIsAConflictAndWritesNothing) {
  ReviewStore store(db_path(), kModel);
  const auto first = store.decide(request(5, "accept", 0));
  ASSERT_EQ(first.status, Status::saved);
  const auto late = store.decide(request(5, "reject", 0));  // saw "undecided", someone accepted
  EXPECT_EQ(late.status, Status::conflict);
  EXPECT_EQ(late.current.decision_id, first.current.decision_id);
  EXPECT_EQ(late.current.action, "accept");
  EXPECT_EQ(store.history(5).size(), 1u);
}

TEST_F(ReviewStoreTest, BadRequestsAreRefused) {
  ReviewStore store(db_path(), kModel);
  EXPECT_THROW(store.decide(request(1, "delete", 0)), UsageError);
  EXPECT_THROW(store.decide(request(1, "edit", 0, " \n")), UsageError);
  EXPECT_EQ(store.decide(request(999, "accept", 0)).status, Status::no_such_pair);
  Query q(db_path());
  EXPECT_EQ(q.count("SELECT count(*) FROM review_decisions"), 0);
}

TEST_F(ReviewStoreTest, ImageLocationOnlyForStoredImages) {
  ReviewStore store(db_path(), kModel);
  std::string tar, key;
  ASSERT_TRUE(store.image_location(2, tar, key));
  EXPECT_EQ(tar, "000000.tar");
  EXPECT_EQ(key, "000000002");
  EXPECT_FALSE(store.image_location(3, tar, key));  // the download failed
  EXPECT_FALSE(store.image_location(4, tar, key));  // never scored
}

// Four writers on their own connections race for the same three pairs, each re-reading the
// current decision before it writes. Every saved decision must replace exactly the one before
// it (an unbroken chain per pair): no write lost, none applied over a stale state.
TEST_F(ReviewStoreTest, ConcurrentWritersNeverLoseADecision) {
  { ReviewStore migrate(db_path(), kModel); }
  std::atomic<int> saved{0}, conflicts{0};
  std::vector<std::thread> writers;
  for (int w = 0; w < 4; ++w)
    writers.emplace_back([&, w] {
      ReviewStore store(db_path(), kModel);
      for (int i = 0; i < 40; ++i) {
        const int64_t image = 1 + (i + w) % 3;
        const auto h = store.history(image);
        const int64_t seen = h.empty() ? 0 : h.back().decision_id;
        const auto r = store.decide(request(image, i % 2 ? "reject" : "accept", seen));
        (r.status == Status::saved ? saved : conflicts)++;
      }
    });
  for (auto& t : writers) t.join();
  ReviewStore store(db_path(), kModel);
  int64_t rows = 0;
  for (int64_t image = 1; image <= 3; ++image) {
    int64_t previous = 0;
    for (const auto& d : store.history(image)) {
      EXPECT_EQ(d.replaces, previous) << "image " << image << " decision " << d.decision_id;
      previous = d.decision_id;
      ++rows;
    }
  }
  EXPECT_EQ(rows, saved.load());
  EXPECT_EQ(saved + conflicts, 160);
  EXPECT_GT(saved.load(), 3);
}

// What export reads: the decision in force up to a bound, edits replacing the description.
TEST_F(ReviewStoreTest, ExportQueryAppliesDecisionsUpToTheBound) {
  int64_t bound = 0;
  {
    ReviewStore store(db_path(), kModel);
    const auto a = store.decide(request(1, "edit", 0, "a ferry at dusk"));
    store.decide(request(2, "reject", 0));
    store.decide(request(3, "accept", 0));
    const auto r = store.decide(request(4, "reject", 0));
    store.decide(request(4, "reset", r.current.decision_id));
    bound = store.decide(request(5, "accept", 0)).current.decision_id;
    store.decide(request(6, "reject", 0));  // after the bound: not applied
    ASSERT_GT(a.current.decision_id, 0);
  }
  ExportQuery q(db_path());
  EXPECT_EQ(q.last_review_decision(), bound + 1);
  std::map<int64_t, ExportRow> rows;
  q.for_each(kModel, bound, [&](const ExportRow& r) { rows[r.image_id] = r; });
  ASSERT_EQ(rows.size(), 6u);
  EXPECT_EQ(rows[1].text, "a ferry at dusk");
  EXPECT_EQ(rows[1].review, "edit");
  EXPECT_EQ(rows[1].machine_text, "image");
  EXPECT_EQ(rows[2].review, "reject");
  EXPECT_EQ(rows[3].review, "accept");
  EXPECT_EQ(rows[3].text, "alt 2");
  EXPECT_EQ(rows[4].review, "");  // reset
  EXPECT_EQ(rows[5].review, "accept");
  EXPECT_EQ(rows[6].review, "");  // decided after the bound
  rows.clear();
  q.for_each(kModel, 0, [&](const ExportRow& r) { rows[r.image_id] = r; });
  EXPECT_EQ(rows[1].text, "image");  // decisions ignored
  EXPECT_EQ(rows[1].review, "");
}

// A `score --pairs` list merged into the run: its pairs follow the database's (id = -list_row),
// take decisions (schema 9: review_decisions.list_row) and export applies them.
TEST_F(ReviewStoreTest, ListPairsAreListedDecidedAndExported) {
  {
    ShardWriter w(dir_ / "score-feed-000000001-000000003.h5", "score_list");
    for (int64_t row = 1; row <= 3; ++row) {
      ScoreRecord r = scored(row, 0.2 + 0.1 * static_cast<double>(row));
      r.caption = "list caption " + std::to_string(row);
      w.add_score(r);
    }
    w.commit();
    Database(db_path()).merge_shard(dir_ / "score-feed-000000001-000000003.h5");
  }
  ReviewStore store(db_path(), kModel);
  const auto page = store.list(ReviewFilter::all, ReviewOrder::image_id, 0, 100);
  ASSERT_EQ(page.total, 9);
  ASSERT_EQ(page.pairs.size(), 9u);
  EXPECT_EQ(page.pairs[6].image_id, -1);
  EXPECT_EQ(page.pairs[6].machine_text, "list caption 1");
  EXPECT_TRUE(page.pairs[6].has_image);
  // Paging across the two sources: offset 5, limit 3 = image 6, rows 1 and 2.
  const auto mid = store.list(ReviewFilter::all, ReviewOrder::image_id, 5, 3);
  ASSERT_EQ(mid.pairs.size(), 3u);
  EXPECT_EQ(mid.pairs[0].image_id, 6);
  EXPECT_EQ(mid.pairs[2].image_id, -2);
  const auto tail = store.list(ReviewFilter::all, ReviewOrder::image_id, 7, 10);
  ASSERT_EQ(tail.pairs.size(), 2u);
  EXPECT_EQ(tail.pairs[0].image_id, -2);
  // CLIP order, descending: list row 3 (0.5) first, then row 2 (0.4), image 2 (0.3), ...
  const auto clip = store.list(ReviewFilter::all, ReviewOrder::clip_descending, 0, 3);
  ASSERT_EQ(clip.pairs.size(), 3u);
  EXPECT_EQ(clip.pairs[0].image_id, 2);  // the database's scored pairs come first
  const auto clip_lists = store.list(ReviewFilter::all, ReviewOrder::clip_descending, 6, 3);
  ASSERT_EQ(clip_lists.pairs.size(), 3u);
  EXPECT_EQ(clip_lists.pairs[0].image_id, -3);
  std::string tar, key;
  ASSERT_TRUE(store.image_location(-2, tar, key));
  EXPECT_EQ(key, "000000002");
  const auto edit = store.decide(request(-1, "edit", 0, "a person's caption"));
  ASSERT_EQ(edit.status, Status::saved);
  EXPECT_EQ(edit.current.image_id, -1);
  EXPECT_EQ(edit.current.machine_text, "list caption 1");
  const auto reject = store.decide(request(-2, "reject", 0));
  EXPECT_EQ(store.decide(request(-2, "accept", 0)).status, Status::conflict);
  EXPECT_EQ(store.decide(request(-9, "accept", 0)).status, Status::no_such_pair);
  EXPECT_EQ(store.history(-2).size(), 1u);
  EXPECT_EQ(store.counts().at("edit"), 1);
  EXPECT_EQ(store.counts().at("reject"), 1);
  EXPECT_EQ(store.counts().at("undecided"), 7);
  EXPECT_EQ(store.list(ReviewFilter::rejected, ReviewOrder::image_id, 0, 10).pairs.at(0).image_id, -2);
  ExportQuery q(db_path());
  std::map<int64_t, ExportRow> rows;
  q.for_each(kModel, reject.current.decision_id, [&](const ExportRow& r) {
    if (r.list_row > 0) rows[r.list_row] = r;
  });
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_EQ(rows[1].text, "a person's caption");
  EXPECT_EQ(rows[1].text_source, "review");
  EXPECT_EQ(rows[1].machine_text, "list caption 1");
  EXPECT_EQ(rows[2].review, "reject");
  EXPECT_EQ(rows[3].text, "list caption 3");
  EXPECT_EQ(rows[3].text_source, "pairs-list");
}

// Decisions made before schema 9 keep their ids, texts and chain through the table rebuild.
TEST_F(ReviewStoreTest, DecisionsSurviveTheVersionNineRebuild) {
  int64_t first = 0;
  {
    ReviewStore store(db_path(), kModel);
    first = store.decide(request(1, "accept", 0)).current.decision_id;
    store.decide(request(1, "edit", first, "second thought"));
  }
  // Back to schema 8's table, as a version-8 database has it, then reopen (migrates again).
  Query(db_path()).exec(
      "PRAGMA foreign_keys = OFF; DROP VIEW review_current; DROP INDEX review_decisions_list; "
      "DROP INDEX review_decisions_image; ALTER TABLE review_decisions RENAME TO v8;"
      "CREATE TABLE review_decisions (decision_id INTEGER PRIMARY KEY AUTOINCREMENT, image_id INTEGER NOT NULL "
      "REFERENCES images(image_id), action TEXT NOT NULL, text TEXT, machine_text TEXT NOT NULL, reviewer TEXT "
      "NOT NULL, decided_at TEXT NOT NULL, replaces INTEGER REFERENCES review_decisions(decision_id));"
      "INSERT INTO review_decisions SELECT decision_id, image_id, action, text, machine_text, reviewer, "
      "decided_at, replaces FROM v8; DROP TABLE v8;"
      "CREATE INDEX review_decisions_image ON review_decisions(image_id, decision_id);"
      "CREATE VIEW review_current AS SELECT d.* FROM review_decisions d WHERE d.decision_id = (SELECT "
      "max(x.decision_id) FROM review_decisions x WHERE x.image_id = d.image_id) AND d.action <> 'reset';"
      "PRAGMA user_version = 8;");
  ReviewStore store(db_path(), kModel);
  const auto h = store.history(1);
  ASSERT_EQ(h.size(), 2u);
  EXPECT_EQ(h[1].replaces, first);
  EXPECT_EQ(h[1].text, "second thought");
  EXPECT_EQ(Query(db_path()).count("PRAGMA user_version"), kSchemaVersion);
  EXPECT_EQ(store.decide(request(2, "accept", 0)).current.decision_id, h[1].decision_id + 1);
}

TEST_F(ReviewStoreTest, ThePairCountFollowsMerges) {
  ReviewStore store(db_path(), kModel);
  EXPECT_EQ(store.counts().at("total"), 6);
  write_synthetic_shard(dir_ / "b.h5", "/b.warc", 2);  // 6 more images, all with alt text
  Database(db_path()).merge_shard(dir_ / "b.h5");
  EXPECT_EQ(store.counts().at("total"), 12);
  EXPECT_EQ(store.list(ReviewFilter::undecided, ReviewOrder::image_id, 0, 100).total, 12);
}

TEST_F(ReviewStoreTest, AVersionThreeDatabaseIsMigrated) {
  {
    Query q(db_path());
    q.exec(std::string(kDropSchemaV7) + "DROP VIEW review_current; DROP TABLE review_decisions; ALTER TABLE scores DROP COLUMN "
           "tries; ALTER TABLE scores DROP COLUMN revision; ALTER TABLE images DROP COLUMN region; "
           "ALTER TABLE pages DROP COLUMN text; PRAGMA user_version = 3;");
  }
  ReviewStore store(db_path(), kModel);
  EXPECT_EQ(store.decide(request(1, "accept", 0)).status, Status::saved);
  Query q(db_path());
  EXPECT_EQ(q.count("PRAGMA user_version"), kSchemaVersion);
  EXPECT_EQ(q.count("SELECT count(*) FROM images"), 6);
}

TEST_F(ReviewStoreTest, ShowsOnlyTheKindsAskedForAndCountsTheRest) {
  // The synthetic images carry no kind: stored 'unknown'. Make images 2 and 5 content.
  Query(db_path()).exec("UPDATE images SET kind = 'content' WHERE image_id IN (2, 5)");
  ReviewStore content(db_path(), kModel, {"content"});
  for (ReviewOrder order : {ReviewOrder::image_id, ReviewOrder::clip_descending}) {
    const auto page = content.list(ReviewFilter::all, order, 0, 100);
    EXPECT_EQ(page.total, 2);
    ASSERT_EQ(page.pairs.size(), 2u);
    for (const ReviewPair& p : page.pairs) EXPECT_TRUE(p.image_id == 2 || p.image_id == 5) << p.image_id;
  }
  EXPECT_EQ(content.skipped_kinds(), (std::map<std::string, int64_t>{{"unknown", 4}}));
  ReviewStore all(db_path(), kModel);
  EXPECT_EQ(all.list(ReviewFilter::all, ReviewOrder::image_id, 0, 100).total, 6);
  EXPECT_TRUE(all.skipped_kinds().empty());
  EXPECT_THROW(ReviewStore(db_path(), kModel, {"content'; DROP TABLE images; --"}), UsageError);
}

TEST_F(ReviewStoreTest, AMissingDatabaseSaysToMerge) {
  try {
    ReviewStore store(dir_ / "none.sqlite", "");
    FAIL() << "opened a missing database";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("warcpairs merge"), std::string::npos);
  }
  EXPECT_FALSE(fs::exists(dir_ / "none.sqlite"));
}

}  // namespace warcpairs::store::testing
