// The embeddings store: float16, .npy files (written, mapped, damaged), the /embeddings shard
// group, and merge's part of it: files + rows once per shard, a re-score superseding a row.
#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <fstream>
#include <limits>
#include <vector>

#include "db_query.h"
#include "store_fixture.h"
#include "warcpairs/core/error.h"
#include "warcpairs/core/float16.h"
#include "warcpairs/store/database.h"
#include "warcpairs/store/embedding_query.h"
#include "warcpairs/store/npy.h"

namespace warcpairs::store::testing {
namespace {
namespace fs = std::filesystem;

TEST(Float16, KnownBitPatternsAndRoundTrip) {
  const float in[] = {1.0f, -2.0f, 0.1f, 65504.0f, 0.0f, 1e-8f, 70000.0f};
  uint16_t h[7];
  to_float16(in, 7, h);
  EXPECT_EQ(h[0], 0x3C00);
  EXPECT_EQ(h[1], 0xC000);
  EXPECT_EQ(h[2], 0x2E66);  // numpy: np.float16(0.1).view(np.uint16) == 0x2e66
  EXPECT_EQ(h[3], 0x7BFF);
  EXPECT_EQ(h[4], 0x0000);
  EXPECT_EQ(h[5], 0x0000);  // below the smallest subnormal: rounds to zero
  EXPECT_EQ(h[6], 0x7C00);  // overflow: infinity
  float back[7];
  from_float16(h, 7, back);
  EXPECT_EQ(back[0], 1.0f);
  EXPECT_NEAR(back[2], 0.1f, 1e-4);
  EXPECT_TRUE(std::isinf(back[6]));
}

// The bit-level conversions (what a compiler without _Float16 uses, e.g. the fuzz build's
// clang) equal to_float16/from_float16 on every binary16 pattern and on a sweep of floats that
// covers normal, subnormal, halfway (ties to even), overflow and non-finite inputs.
TEST(Float16, PortableConversionsEqualTheCompilers) {
  for (uint32_t b = 0; b <= 0xffff; ++b) {
    const auto h = static_cast<uint16_t>(b);
    float want;
    from_float16(&h, 1, &want);
    const float got = float_from_float16_bits_portable(h);
    if (std::isnan(want)) {
      EXPECT_TRUE(std::isnan(got)) << b;
    } else {
      ASSERT_EQ(std::memcmp(&want, &got, sizeof got), 0) << b;
    }
  }
  std::vector<float> in;
  for (uint32_t u = 0; u < 0x7f800000u; u += 0x1fffu) {  // every ~8k-th positive float
    float f;
    std::memcpy(&f, &u, sizeof f);
    in.push_back(f), in.push_back(-f);
  }
  for (uint32_t h = 0; h < 0x7c00u; ++h) {  // the halfway point above every finite binary16
    const uint16_t lo = static_cast<uint16_t>(h);
    float a;
    from_float16(&lo, 1, &a);
    const uint16_t hi = static_cast<uint16_t>(h + 1);
    float b;
    from_float16(&hi, 1, &b);
    if (std::isfinite(b)) in.push_back(static_cast<float>((static_cast<double>(a) + b) / 2));
  }
  for (float f : {65504.0f, 65519.0f, 65520.0f, 65536.0f, 1e30f, std::numeric_limits<float>::infinity()})
    in.push_back(f), in.push_back(-f);
  std::vector<uint16_t> want(in.size());
  to_float16(in.data(), in.size(), want.data());
  for (std::size_t i = 0; i < in.size(); ++i)
    ASSERT_EQ(float16_bits_portable(in[i]), want[i]) << in[i];
  EXPECT_EQ(float16_bits_portable(std::numeric_limits<float>::quiet_NaN()) & 0x7e00, 0x7e00);
}

class NpyTest : public StoreTest {};

TEST_F(NpyTest, WrittenFileMapsBackWithItsShape) {
  const std::vector<uint16_t> v = {1, 2, 3, 4, 5, 6};
  NpyWriter w(dir_ / "a.npy", "<f2", {2, 3});
  w.write(v.data(), 6 * 2);
  w.commit();
  std::ifstream in(dir_ / "a.npy", std::ios::binary);
  std::string head(128, '\0');
  in.read(head.data(), 128);
  EXPECT_EQ(head.substr(0, 6), "\x93NUMPY");
  EXPECT_NE(head.find("'descr': '<f2', 'fortran_order': False, 'shape': (2, 3)"), std::string::npos);
  NpyMap m(dir_ / "a.npy", "<f2", 2);
  ASSERT_EQ(m.shape(), (std::vector<int64_t>{2, 3}));
  EXPECT_EQ(static_cast<const uint16_t*>(m.data())[5], 6);
  EXPECT_THROW(NpyMap(dir_ / "a.npy", "<i8", 2), Error);  // dtype
  EXPECT_THROW(NpyMap(dir_ / "a.npy", "<f2", 1), Error);  // rank
}

TEST_F(NpyTest, ShortWriteIsNotCommittedAndLeavesNothing) {
  {
    NpyWriter w(dir_ / "b.npy", "<i8", {3});
    const int64_t one = 1;
    w.write(&one, 8);
    EXPECT_THROW(w.commit(), Error);
  }
  EXPECT_FALSE(fs::exists(dir_ / "b.npy"));
  EXPECT_FALSE(fs::exists(dir_ / "b.npy.tmp"));
}

TEST_F(NpyTest, DamagedFilesAreNamedWithTheOffset) {
  {
    NpyWriter w(dir_ / "c.npy", "<i8", {4});
    const int64_t v[4] = {1, 2, 3, 4};
    w.write(v, sizeof v);
    w.commit();
  }
  fs::resize_file(dir_ / "c.npy", fs::file_size(dir_ / "c.npy") - 3);
  try {
    NpyMap m(dir_ / "c.npy", "<i8", 1);
    FAIL() << "a truncated .npy was read";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("damaged .npy: 29 data bytes from offset 128"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("c.npy"), std::string::npos);
  }
  std::ofstream(dir_ / "d.npy") << "not numpy at all";
  EXPECT_THROW(NpyMap(dir_ / "d.npy", "<i8", 1), Error);
  EXPECT_THROW(parse_npy_header("{'descr': '<f2', 'fortran_order': False, 'shape': (x, 3), }", "h"), Error);
  EXPECT_EQ(parse_npy_header("{'descr': '<f4', 'fortran_order': False, 'shape': (7,), }", "h").shape,
            (std::vector<int64_t>{7}));
}

std::vector<float> unit_vector(int64_t seed, int dim) {
  std::vector<float> v(static_cast<std::size_t>(dim));
  double n = 0;
  for (int j = 0; j < dim; ++j) {
    v[j] = std::sin(float(seed * 31 + j));
    n += double(v[j]) * v[j];
  }
  for (float& x : v) x = float(x / std::sqrt(n));
  return v;
}

void write_score_shard(const fs::path& path, const std::vector<int64_t>& images, int revision,
                       int64_t seed) {
  ShardWriter w(path, "score");
  w.set_clip_model("fnv1a64:test");
  if (revision > 1) w.set_score_revision(revision, false);
  for (int64_t id : images) {
    w.add_score(stored_score(id, 0.3, 64, 64));
    w.add_embedding(id, unit_vector(id + seed, 8));
  }
  w.commit();
}

class EmbeddingMergeTest : public StoreTest {};

TEST_F(EmbeddingMergeTest, ShardGroupRoundTripsAsFloat16) {
  write_score_shard(dir_ / "s.h5", {3, 1, 2}, 1, 0);
  ShardReader r(dir_ / "s.h5");
  ASSERT_EQ(r.embedding_count(), 3);
  ASSERT_EQ(r.embedding_dim(), 8);
  std::vector<int64_t> ids;
  std::vector<uint16_t> halves;
  r.read_embeddings(1, 10, ids, halves);
  ASSERT_EQ(ids, (std::vector<int64_t>{1, 2}));
  std::vector<float> back(8);
  from_float16(halves.data(), 8, back.data());
  const auto want = unit_vector(1, 8);
  for (int j = 0; j < 8; ++j) EXPECT_NEAR(back[j], want[j], 1e-3);
}

TEST_F(EmbeddingMergeTest, MergeWritesOnePartPerShardOnceAndReScoresSupersede) {
  fs::create_directories(dir_ / "run");
  write_synthetic_shard(dir_ / "a.h5", "/a.warc", 4);  // image ids 1..12
  write_score_shard(dir_ / "score-000001-000012.h5", {1, 2, 3, 4}, 1, 0);
  write_score_shard(dir_ / "score-r002-clip-c000000.h5", {2, 5}, 2, 100);
  write_score_shard(dir_ / "score-old.h5", {3}, 1, 200);  // same revision as stored: present
  const fs::path db_path = dir_ / "run" / "warcpairs.sqlite";
  {
    Database db(db_path);
    db.merge_shard(dir_ / "a.h5");
    const auto c = db.merge_shard(dir_ / "score-000001-000012.h5");
    EXPECT_EQ(c.embeddings, 4);
    EXPECT_EQ(db.merge_shard(dir_ / "score-000001-000012.h5").embeddings, 0);  // ledger: once
    const auto redo = db.merge_shard(dir_ / "score-r002-clip-c000000.h5");
    EXPECT_EQ(redo.embeddings, 2);
    const auto old = db.merge_shard(dir_ / "score-old.h5");
    EXPECT_EQ(old.embeddings, 0);
    EXPECT_EQ(old.embeddings_present, 1);
  }
  EXPECT_FALSE(fs::exists(dir_ / "run" / "embeddings" / "score-old.npy"));
  NpyMap ids(dir_ / "run" / "embeddings" / "score-000001-000012.ids.npy", "<i8", 1);
  ASSERT_EQ(ids.shape()[0], 4);
  EXPECT_EQ(static_cast<const int64_t*>(ids.data())[3], 4);
  EmbeddingQuery q(db_path);
  const auto parts = q.parts();
  ASSERT_EQ(parts.size(), 2u);
  EXPECT_EQ(parts[0].rows, 4);
  EXPECT_EQ(parts[0].dim, 8);
  EXPECT_EQ(parts[0].clip_model, "fnv1a64:test");
  EXPECT_EQ(parts[0].superseded, (std::vector<int64_t>{1}));  // image 2's first row
  EXPECT_TRUE(parts[1].superseded.empty());
  Query sql(db_path);
  EXPECT_EQ(sql.text("SELECT part_id || ':' || row FROM image_embeddings WHERE image_id = 2"), "2:0");
  EXPECT_EQ(sql.count("SELECT count(*) FROM image_embeddings"), 5);
}

TEST_F(EmbeddingMergeTest, EmbeddingOfAnImageNotInTheDatabaseIsACorruptShard) {
  fs::create_directories(dir_ / "run");
  write_synthetic_shard(dir_ / "a.h5", "/a.warc", 1);  // image ids 1..3
  write_score_shard(dir_ / "score-x.h5", {2}, 1, 0);
  {
    ShardWriter w(dir_ / "score-bad.h5", "score");
    w.set_clip_model("m");
    w.add_score(stored_score(2, 0.1, 8, 8));
    w.add_embedding(99, unit_vector(1, 8));
    w.commit();
  }
  Database db(dir_ / "run" / "warcpairs.sqlite");
  db.merge_shard(dir_ / "a.h5");
  EXPECT_THROW(db.merge_shard(dir_ / "score-bad.h5"), Error);
  EXPECT_FALSE(db.has_shard("score-bad.h5"));
  EXPECT_EQ(db.merge_shard(dir_ / "score-x.h5").embeddings, 1);
}

TEST_F(EmbeddingMergeTest, FullTextIndexCatchesUpWithLaterMerges) {
  fs::create_directories(dir_ / "run");
  const fs::path db_path = dir_ / "run" / "warcpairs.sqlite";
  write_synthetic_shard(dir_ / "a.h5", "/a.warc", 2);  // images 1..6, alt "alt <i>"
  write_synthetic_shard(dir_ / "b.h5", "/b.warc", 1);
  { Database(db_path).merge_shard(dir_ / "a.h5"); }
  EXPECT_EQ(update_text_index(db_path), 6);
  EXPECT_EQ(update_text_index(db_path), 0);
  { Database(db_path).merge_shard(dir_ / "b.h5"); }
  EXPECT_EQ(update_text_index(db_path), 3);
  EmbeddingQuery q(db_path);
  std::vector<int64_t> found;
  q.for_each_match("alt AND 4", [&](int64_t id, double) { found.push_back(id); });
  EXPECT_EQ(found, (std::vector<int64_t>{5}));  // image_row(4): alt "alt 4"
  EXPECT_THROW(q.for_each_match("alt AND", [](int64_t, double) {}), UsageError);
  EXPECT_THROW(q.for_each_where("nonsense ==", [](int64_t) {}), UsageError);
}

}  // namespace
}  // namespace warcpairs::store::testing
