// The Parquet writer and reader: round trips (nulls, empty, long and non-ASCII strings, big
// binary values, many row groups and pages, dictionary fallback), the encodings' pieces, and
// malformed files (cut, garbled footer and pages) as clear errors.
#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <random>

#include "file_metadata.h"
#include "rle_hybrid.h"
#include "thrift_compact.h"
#include "warcpairs/core/error.h"
#include "warcpairs/parquet/reader.h"
#include "warcpairs/parquet/writer.h"

namespace warcpairs::parquet {
namespace {
namespace fs = std::filesystem;

fs::path temp_file(const std::string& name) {
  const fs::path dir = fs::temp_directory_path() / ("parquet_test_" + std::to_string(::getpid()));
  fs::create_directories(dir);
  return dir / name;
}

std::string slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), {}};
}
void spit(const fs::path& p, const std::string& s) { std::ofstream(p, std::ios::binary) << s; }

struct Row {
  bool has_id;
  int64_t id;
  std::string text;  // "\x01" = null
  double score;      // NaN = null
  bool flag;
  std::string blob;
};

std::vector<ColumnSpec> specs() {
  return {{"id", ColumnType::int64}, {"text", ColumnType::string}, {"score", ColumnType::float64},
          {"flag", ColumnType::boolean, false}, {"bytes", ColumnType::binary, true, "image"},
          {"path", ColumnType::string, true, "image"}};
}

std::vector<Row> sample_rows(std::size_t n, uint32_t seed) {
  std::mt19937 rng(seed);
  std::vector<Row> rows;
  const std::vector<std::string> words = {"", "a cat", "Zürich – Straße", "日本語のテキスト", "emoji 🐈‍⬛", std::string(5000, 'x')};
  for (std::size_t i = 0; i < n; ++i) {
    Row r{rng() % 5 != 0, static_cast<int64_t>(rng()) - (int64_t{1} << 31), "", NAN, rng() % 2 == 0, ""};
    const uint32_t k = rng() % 8;
    r.text = k == 7 ? "\x01" : k == 6 ? "unique " + std::to_string(i) : words[k % words.size()];
    if (rng() % 3) r.score = static_cast<double>(rng()) / 1e9;
    if (rng() % 50 == 0) r.blob.assign(200000 + rng() % 1000, static_cast<char>(rng()));
    else if (rng() % 4) r.blob = std::string("\0\xff\x10", 3) + std::to_string(i);
    rows.push_back(std::move(r));
  }
  return rows;
}

// The image.path value of a row (GCC 12 warns falsely, -Wrestrict, on "k" + to_string).
std::string path_of(const Row& r) { return std::to_string(r.id).insert(0, 1, 'k'); }

void write_rows(const fs::path& path, const std::vector<Row>& rows, WriterOptions o = {}) {
  Writer w(path, specs(), std::move(o));
  for (const Row& r : rows) {
    if (r.has_id) w.set_int64(0, r.id);
    if (r.text != "\x01") w.set_bytes(1, r.text);
    if (!std::isnan(r.score)) w.set_double(2, r.score);
    w.set_bool(3, r.flag);
    if (!r.blob.empty()) w.set_bytes(4, r.blob);
    w.set_bytes(5, path_of(r));
    w.end_row();
  }
  w.close();
}

void expect_rows(const fs::path& path, const std::vector<Row>& rows) {
  Reader rd(path);
  ASSERT_EQ(rd.num_rows(), static_cast<int64_t>(rows.size()));
  ASSERT_EQ(rd.columns().size(), 6u);
  EXPECT_EQ(rd.columns()[4].path, "image.bytes");
  EXPECT_TRUE(rd.columns()[1].text);
  EXPECT_FALSE(rd.columns()[4].text);
  std::size_t base = 0;
  for (std::size_t g = 0; g < rd.row_groups(); ++g) {
    std::vector<ColumnValues> c;
    for (std::size_t k = 0; k < 6; ++k) c.push_back(rd.read(g, k));
    for (std::size_t i = 0; i < c[0].size(); ++i) {
      const Row& r = rows[base + i];
      SCOPED_TRACE("row " + std::to_string(base + i));
      ASSERT_EQ(c[0].valid[i], r.has_id);
      if (r.has_id) {
        EXPECT_EQ(c[0].ints[i], r.id);
      }
      ASSERT_EQ(c[1].valid[i], r.text != "\x01");
      if (r.text != "\x01") {
        EXPECT_EQ(c[1].bytes[i], r.text);
      }
      ASSERT_EQ(c[2].valid[i], !std::isnan(r.score));
      if (!std::isnan(r.score)) {
        EXPECT_EQ(c[2].doubles[i], r.score);
      }
      EXPECT_EQ(c[3].ints[i], r.flag);
      ASSERT_EQ(c[4].valid[i], !r.blob.empty());
      EXPECT_EQ(c[4].bytes[i], r.blob);
      EXPECT_EQ(c[5].bytes[i], path_of(r));
    }
    base += c[0].size();
  }
  EXPECT_EQ(base, rows.size());
}

TEST(ParquetRoundTrip, OneRowGroup) {
  const auto rows = sample_rows(3000, 1);
  const auto p = temp_file("one.parquet");
  write_rows(p, rows);
  expect_rows(p, rows);
  EXPECT_EQ(Reader(p).row_groups(), 1u);
}

TEST(ParquetRoundTrip, ManyRowGroupsAndPagesUncompressed) {
  const auto rows = sample_rows(5000, 2);
  const auto p = temp_file("many.parquet");
  write_rows(p, rows, {.row_group_rows = 333, .page_bytes = 4096, .zstd_level = 0});
  expect_rows(p, rows);
  EXPECT_EQ(Reader(p).row_groups(), 16u);
}

TEST(ParquetRoundTrip, DictionaryFallsBackToPlain) {
  // A 2 KiB dictionary limit: the "unique N" strings overflow it within each row group.
  const auto rows = sample_rows(4000, 3);
  const auto p = temp_file("fallback.parquet");
  write_rows(p, rows, {.row_group_rows = 1500, .dictionary_bytes = 2048});
  expect_rows(p, rows);
}

TEST(ParquetRoundTrip, EmptyFileAndAllNulls) {
  const auto p = temp_file("empty.parquet");
  write_rows(p, {});
  Reader rd(p);
  EXPECT_EQ(rd.num_rows(), 0);
  EXPECT_EQ(rd.row_groups(), 0u);
  std::vector<Row> nulls(100, Row{false, 0, "\x01", NAN, true, ""});
  write_rows(p, nulls);
  expect_rows(p, nulls);
}

TEST(ParquetWriter, RequiredColumnMustBeSetAndTmpRemoved) {
  const auto p = temp_file("required.parquet");
  {
    Writer w(p, specs());
    w.set_int64(0, 1);
    EXPECT_THROW(w.end_row(), Error);  // flag is required
    EXPECT_THROW(w.set_double(0, 1.0), Error);
  }
  EXPECT_FALSE(fs::exists(p));
  EXPECT_FALSE(fs::exists(p.string() + ".tmp"));
}

TEST(RleHybrid, RoundTripsRunsAndPackedValues) {
  std::mt19937 rng(7);
  for (int width : {1, 2, 3, 7, 8, 13, 20, 32}) {
    std::vector<uint32_t> v;
    for (int i = 0; i < 1000; ++i) {
      const uint32_t x = width == 32 ? rng() : rng() % (1u << width);
      const int repeat = rng() % 4 == 0 ? 1 + rng() % 30 : 1;
      v.insert(v.end(), repeat, x);
    }
    std::string enc;
    rle_hybrid_encode(v.data(), v.size(), width, enc);
    std::vector<uint32_t> dec;
    rle_hybrid_decode(reinterpret_cast<const uint8_t*>(enc.data()), enc.size(), width, v.size(), dec);
    EXPECT_EQ(dec, v) << "width " << width;
  }
}

TEST(RleHybrid, MalformedRunsAreErrors) {
  std::vector<uint32_t> out;
  const uint8_t empty_run[] = {0x00, 0x01};
  EXPECT_THROW(rle_hybrid_decode(empty_run, 2, 1, 4, out), Error);
  const uint8_t short_packed[] = {0x03};  // one group of 8 at width 2 needs 2 bytes
  EXPECT_THROW(rle_hybrid_decode(short_packed, 1, 2, 8, out), Error);
  EXPECT_THROW(rle_hybrid_decode(short_packed, 1, 33, 8, out), Error);
  const uint8_t runs_end[] = {0x04, 0x01};  // a run of 2, 5 wanted
  EXPECT_THROW(rle_hybrid_decode(runs_end, 2, 1, 5, out), Error);
}

TEST(ThriftCompact, WritesAndSkipsNestedStructs) {
  std::string out;
  thrift::Writer w(out);
  w.i32(1, -5);
  w.begin_struct(20);  // a long id delta
  w.binary(1, "x");
  w.boolean(2, true);
  w.end_struct();
  w.begin_list(21, thrift::kI32, 20);
  for (int i = 0; i < 20; ++i) w.element_i32(i);
  w.i64(22, int64_t{1} << 40);
  w.end_struct();
  thrift::Reader r(reinterpret_cast<const uint8_t*>(out.data()), out.size());
  r.begin_struct();
  auto f = r.next_field();
  EXPECT_EQ(f.id, 1);
  EXPECT_EQ(r.read_i32(), -5);
  f = r.next_field();
  EXPECT_EQ(f.id, 20);
  r.skip(f.type);
  f = r.next_field();
  EXPECT_EQ(f.id, 21);
  r.skip(f.type);
  f = r.next_field();
  EXPECT_EQ(f.id, 22);
  EXPECT_EQ(r.read_i64(), int64_t{1} << 40);
  EXPECT_EQ(r.next_field().type, thrift::kStop);
}

TEST(ThriftCompact, DeepNestingAndCutInputAreErrors) {
  std::string deep(200, static_cast<char>(0x1c));  // field 1, struct, again and again
  thrift::Reader r(reinterpret_cast<const uint8_t*>(deep.data()), deep.size());
  r.begin_struct();
  const auto f = r.next_field();
  EXPECT_THROW(r.skip(f.type), Error);
  const std::string cut = "\x18\x7f";  // binary of 127 bytes, 0 present
  thrift::Reader c(reinterpret_cast<const uint8_t*>(cut.data()), cut.size());
  c.begin_struct();
  c.next_field();
  EXPECT_THROW(c.read_binary(), Error);
}

// Reads every column of every row group; an Error is fine, anything else fails the test.
std::string read_all_or_error(const fs::path& p) {
  try {
    Reader rd(p);
    for (std::size_t g = 0; g < rd.row_groups(); ++g)
      for (std::size_t k = 0; k < rd.columns().size(); ++k) rd.read(g, k);
    return "";
  } catch (const Error& e) {
    return std::string(e.what()) + " [" + e.file() + "]";
  }
}

TEST(ParquetMalformed, NotParquetAndCutFiles) {
  const auto good = temp_file("good.parquet");
  write_rows(good, sample_rows(500, 4), {.row_group_rows = 100});
  const std::string bytes = slurp(good);
  const auto bad = temp_file("bad.parquet");
  spit(bad, "id,text\n1,a\n");
  EXPECT_NE(read_all_or_error(bad).find("not a Parquet file"), std::string::npos);
  EXPECT_NE(read_all_or_error(bad).find(bad.string()), std::string::npos);
  for (std::size_t cut : {bytes.size() - 1, bytes.size() - 9, bytes.size() / 2, std::size_t{13}, std::size_t{4}}) {
    spit(bad, bytes.substr(0, cut));
    EXPECT_NE(read_all_or_error(bad), "") << "cut at " << cut;
  }
}

TEST(ParquetMalformed, GarbledFooterAndPagesNeverCrash) {
  const auto good = temp_file("good2.parquet");
  write_rows(good, sample_rows(300, 5), {.row_group_rows = 100, .page_bytes = 2048});
  const std::string bytes = slurp(good);
  uint32_t footer_len;
  std::memcpy(&footer_len, bytes.data() + bytes.size() - 8, 4);
  const std::size_t footer = bytes.size() - 8 - footer_len;
  const auto bad = temp_file("garbled.parquet");
  std::mt19937 rng(11);
  int errors = 0;
  for (int trial = 0; trial < 400; ++trial) {
    std::string b = bytes;
    // Half the trials in the footer, half anywhere in the pages.
    const std::size_t lo = trial % 2 ? footer : 4, hi = trial % 2 ? bytes.size() - 8 : footer;
    for (int k = 0; k < 1 + trial % 4; ++k) b[lo + rng() % (hi - lo)] = static_cast<char>(rng());
    spit(bad, b);
    errors += !read_all_or_error(bad).empty();
  }
  EXPECT_GT(errors, 100);  // most garbles are noticed (zstd frames check their sizes)
  // A named error for a footer of nonsense.
  std::string b = bytes;
  for (std::size_t i = footer; i < footer + 16; ++i) b[i] = '\xff';
  spit(bad, b);
  EXPECT_NE(read_all_or_error(bad).find("malformed footer"), std::string::npos);
}

// The fuzz target's seeds, the files it once crashed on among them
// (regression_*: a v2 page whose levels were longer than its uncompressed size): errors only.
TEST(ParquetMalformed, FuzzSeedsAndFindingsAreErrorsOrRead) {
  int n = 0;
  for (const auto& e : fs::directory_iterator(fs::path(WARCPAIRS_SOURCE_DIR) / "tests/fuzz/parquet_fuzz/seeds")) {
    const std::string err = read_all_or_error(e.path());
    if (e.path().filename().string().starts_with("regression_")) {
      EXPECT_NE(err, "") << e.path();
    }
    ++n;
  }
  EXPECT_GE(n, 5);
}

}  // namespace
}  // namespace warcpairs::parquet
