// Export writers: the registry (unique names, lookup, the order --help lists), and each
// format's files for two pairs written out next to the expected bytes: CSV quoting and empty
// unknowns, JSON lines, WebDataset member order, imagefolder parts and metadata.jsonl; the
// columns: every one in pair_json, the CSV header and the card's table; a list pair's key.
#include "../../../../src/stages/export/export_writer.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cmath>
#include <fstream>
#include <set>
#include <sstream>

#include "../../../../src/stages/export/export_card.h"
#include "warcpairs/core/error.h"
#include "warcpairs/io/tar_writer.h"
#include "warcpairs/parquet/reader.h"

namespace warcpairs::stages {
namespace {
namespace fs = std::filesystem;

std::string slurp(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

// Member names of a ustar file in archive order (TarReader indexes by name only).
std::vector<std::string> member_names(const fs::path& path) {
  const std::string tar = slurp(path);
  std::vector<std::string> names;
  for (std::size_t at = 0; at + 512 <= tar.size() && tar[at] != '\0';) {
    names.emplace_back(tar.c_str() + at);
    const uint64_t size = std::stoull(tar.substr(at + 124, 11), nullptr, 8);
    at += 512 + (size + 511) / 512 * 512;
  }
  return names;
}

// A scratch folder removed at the end of the test.
class ExportWriters : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("export_writers_" + std::to_string(::getpid()));
    fs::remove_all(dir_);
    fs::create_directories(dir_ / "images");
    // The run's image tar: the JPEGs of pairs 7 and 12.
    io::TarWriter run_tar(dir_ / "images" / "images-0.tar");
    run_tar.add("000000007.jpg", std::string_view("JPEG seven"));
    run_tar.add("000000012.jpg", std::string_view("JPEG twelve"));
    run_tar.commit();
  }
  void TearDown() override { fs::remove_all(dir_); }
  fs::path dir_;
};

// Two pairs: a scored train pair whose texts need CSV quoting, and an unscored validation pair
// that a person edited (every unknown: size, hashes, CLIP).
std::vector<PlannedPair> two_pairs() {
  PlannedPair a;
  a.row.image_id = 7;
  a.row.url = "http://a.test/x.jpg";
  a.row.page_url = "http://a.test/";
  a.row.text = "a \"quoted\", text";
  a.row.text_source = "model";
  a.row.alt = "alt\nline";
  a.row.language = "en";
  a.row.crawl_date = "2024-01-02T03:04:05Z";
  a.row.width = 320, a.row.height = 240;
  a.row.sha256 = "ab12";
  a.row.phash = 0x0123456789abcdefull, a.row.has_phash = true;
  a.row.clip_caption = 0.25, a.row.clip_alt = 0.125;
  a.row.key = "000000007", a.row.tar = "images-0.tar";
  a.row.review = "accept";
  a.row.detected_language = "de", a.row.unsafe = 0.0625;
  PlannedPair b;
  b.validation = true;
  b.row.image_id = 12;
  b.row.url = "http://b.test/y.png";
  b.row.page_url = "http://b.test/p";
  b.row.text = "edited";
  b.row.text_source = "review";
  b.row.alt = "plain";
  b.row.machine_text = "machine";
  b.row.review = "edit";
  return {a, b};
}

TEST(ExportFormats, RegistryNamesAreUniqueAndFound) {
  std::set<std::string> names;
  for (const auto& w : export_writers()) {
    const std::string name(w->name());
    EXPECT_TRUE(names.insert(name).second) << "two formats are called " << name;
    EXPECT_EQ(name.find_first_not_of("abcdefghijklmnopqrstuvwxyz0123456789_-"), std::string::npos) << name;
    EXPECT_EQ(&export_writer(name), w.get());
    EXPECT_FALSE(w->summary().empty()) << name;
    EXPECT_FALSE(w->card_layout().empty()) << name;
  }
  EXPECT_THROW(export_writer("tsv"), UsageError);
  // --help, the card and the refusal of unscored runs list the formats in this order.
  std::vector<std::string> listed;
  for (const auto& f : export_formats()) listed.push_back(f.name + (f.needs_images ? "+images" : ""));
  EXPECT_EQ(listed, (std::vector<std::string>{"webdataset+images", "imagefolder+images", "csv", "jsonl", "parquet"}));
}

TEST(ExportFormats, WordList) {
  EXPECT_EQ(word_list({}, "or"), "");
  EXPECT_EQ(word_list({"csv"}, "or"), "csv");
  EXPECT_EQ(word_list({"csv", "jsonl"}, "and"), "csv and jsonl");
  EXPECT_EQ(word_list({"a", "b", "c"}, "or"), "a, b or c");
}

TEST_F(ExportWriters, Csv) {
  const auto pairs = two_pairs();
  export_writer("csv").write_tables(dir_, {pairs[0]}, {pairs[1]}, 10);
  EXPECT_EQ(slurp(dir_ / "pairs.csv"),
            "key,image_id,list_row,url,page_url,text,description_source,alt,language,crawl_date,width,height,"
            "sha256,phash,clip_caption,clip_alt,split,tar,review,machine_text,detected_language,unsafe\r\n"
            "000000007,7,,http://a.test/x.jpg,http://a.test/,\"a \"\"quoted\"\", text\",model,\"alt\nline\",en,"
            "2024-01-02T03:04:05Z,320,240,ab12,0123456789abcdef,0.25,0.125,train,images-0.tar,accepted,,de,0.0625\r\n"
            "000000012,12,,http://b.test/y.png,http://b.test/p,edited,review,plain,,,,,,,,,validation,,edited,"
            "machine,,\r\n");
  EXPECT_FALSE(fs::exists(dir_ / "pairs.csv.tmp"));
}

const char* const kJson7 =
    R"({"alt":"alt\nline","clip_alt":0.125,"clip_caption":0.25,"crawl_date":"2024-01-02T03:04:05Z",)"
    R"("description_source":"model","detected_language":"de","height":240,"image_id":7,"key":"000000007","language":"en",)"
    R"("list_row":null,"machine_text":null,)"
    R"("page_url":"http://a.test/","phash":"0123456789abcdef","review":"accepted","sha256":"ab12",)"
    R"("split":"train","tar":"images-0.tar","text":"a \"quoted\", text","unsafe":0.0625,"url":"http://a.test/x.jpg",)"
    R"("width":320})";
const char* const kJson12 =
    R"({"alt":"plain","clip_alt":null,"clip_caption":null,"crawl_date":"","description_source":"review",)"
    R"("detected_language":"",)"
    R"("height":null,"image_id":12,"key":"000000012","language":"","list_row":null,"machine_text":"machine",)"
    R"("page_url":"http://b.test/p","phash":null,)"
    R"("review":"edited","sha256":null,"split":"validation","tar":null,"text":"edited","unsafe":null,)"
    R"("url":"http://b.test/y.png","width":null})";

// A pair of a `score --pairs` list: no image_id, no page; the key names the list row.
TEST_F(ExportWriters, ListPairKeyAndColumns) {
  PlannedPair p;
  p.row.list_row = 3;
  p.row.url = "http://c.test/z.jpg";
  p.row.text = "a caption";
  p.row.text_source = "pairs-list";
  EXPECT_EQ(pair_key(p.row), "row000000003");
  const nlohmann::json j = pair_json(p);
  EXPECT_TRUE(j["image_id"].is_null());
  EXPECT_EQ(j["list_row"], 3);
  EXPECT_EQ(j["description_source"], "pairs-list");
  export_writer("csv").write_tables(dir_, {p}, {}, 10);
  const std::string csv = slurp(dir_ / "pairs.csv");
  EXPECT_EQ(csv.substr(csv.find("\r\n") + 2),
            "row000000003,,3,http://c.test/z.jpg,,a caption,pairs-list,,,,,,,,,,train,,,,,\r\n");
}

// Every column has a meaning for the card, and pair_json has exactly the columns.
TEST(ExportColumns, PairJsonHasEveryColumn) {
  std::set<std::string> names;
  for (const auto& column : export_columns()) {
    EXPECT_TRUE(names.insert(std::string(column.name)).second) << column.name;
    EXPECT_FALSE(column.meaning.empty()) << column.name;
  }
  std::set<std::string> keys;
  const nlohmann::json j = pair_json(two_pairs()[0]);
  for (const auto& [key, value] : j.items()) keys.insert(key);
  EXPECT_EQ(keys, names);
}

// Typed formats (Parquet) trust each column's kind: pair_json's value is null or of that kind,
// for a database pair, an unscored pair and a list pair. A new numeric column must say so.
TEST(ExportColumns, PairJsonValuesAreOfTheDeclaredKind) {
  auto pairs = two_pairs();
  PlannedPair list;
  list.row.list_row = 3, list.row.url = "u", list.row.text = "t";
  pairs.push_back(list);
  for (const auto& p : pairs) {
    const nlohmann::json j = pair_json(p);
    for (const auto& c : export_columns()) {
      const auto& v = j.at(std::string(c.name));
      if (v.is_null()) continue;
      switch (c.kind) {
        case ColumnKind::integer: EXPECT_TRUE(v.is_number_integer()) << c.name << ": " << v; break;
        case ColumnKind::real: EXPECT_TRUE(v.is_number()) << c.name << ": " << v; break;
        default: EXPECT_TRUE(v.is_string()) << c.name << " holds " << v << ": declare its kind in export_columns()";
      }
    }
  }
}

// The card's column table lists the CSV header's columns, in its order.
TEST_F(ExportWriters, CardColumnsAreTheCsvHeader) {
  const auto pairs = two_pairs();
  const auto& csv = export_writer("csv");
  csv.write_tables(dir_, {pairs[0]}, {pairs[1]}, 10);
  ExportConfig config;
  config.run_dir = dir_;
  write_card(dir_ / "README.md", csv, config, ExportTotals{}, "");
  const std::string card = slurp(dir_ / "README.md");
  const auto table = card.find("| column | meaning |\n|---|---|\n");
  ASSERT_NE(table, std::string::npos) << card;
  std::istringstream rows(card.substr(table));
  std::string line, listed;
  std::getline(rows, line), std::getline(rows, line);
  // Appended in two steps: GCC 12 warns falsely (-Wrestrict) on `"," + substr` once inlined.
  while (std::getline(rows, line) && line.starts_with("| ")) {
    if (!listed.empty()) listed += ',';
    listed += line.substr(2, line.find(" |", 2) - 2);
  }
  const std::string table_csv = slurp(dir_ / "pairs.csv");
  EXPECT_EQ(listed, table_csv.substr(0, table_csv.find("\r\n")));
}

TEST_F(ExportWriters, JsonLines) {
  const auto pairs = two_pairs();
  export_writer("jsonl").write_tables(dir_, {pairs[0]}, {pairs[1]}, 10);
  EXPECT_EQ(slurp(dir_ / "pairs.jsonl"), std::string(kJson7) + "\n" + kJson12 + "\n");
}

// One Parquet file per shard under data/, every column typed and equal to pair_json (read back
// with the parquet layer's reader; tests/e2e/parquet_peers_test.sh reads them with hyparquet),
// the images in an `image` struct with --embed-images.
TEST_F(ExportWriters, ParquetShard) {
  auto pairs = two_pairs();
  pairs[1].row.key = "000000012", pairs[1].row.tar = "images-0.tar";
  for (bool embed : {false, true}) {
    ImageSource images(embed ? dir_ / "images" : fs::path());
    export_writer("parquet").write_shard(dir_, "train", 3, pairs, images);
    parquet::Reader rd(dir_ / "data" / "train-000003.parquet");
    ASSERT_EQ(rd.num_rows(), 2);
    const auto& columns = export_columns();
    ASSERT_EQ(rd.columns().size(), columns.size() + (embed ? 2 : 0));
    EXPECT_NE(rd.metadata("huggingface").find(embed ? "\"Image\"" : "\"features\""), std::string::npos);
    for (std::size_t k = 0; k < columns.size(); ++k) {
      const std::string name(columns[k].name);
      ASSERT_EQ(rd.columns()[k].path, name);
      const auto values = rd.read(0, k);
      for (std::size_t r = 0; r < 2; ++r) {
        const nlohmann::json want = pair_json(pairs[r])[name];
        ASSERT_EQ(values.valid[r] != 0, !want.is_null()) << name << " row " << r;
        if (want.is_null()) continue;
        if (columns[k].kind == ColumnKind::integer) EXPECT_EQ(values.ints[r], want.get<int64_t>()) << name;
        else if (columns[k].kind == ColumnKind::real) EXPECT_EQ(values.doubles[r], want.get<double>()) << name;
        else EXPECT_EQ(values.bytes[r], want.get<std::string>()) << name;
      }
    }
    if (embed) {
      const auto bytes = rd.read(0, columns.size()), path = rd.read(0, columns.size() + 1);
      EXPECT_EQ(rd.columns()[columns.size()].path, "image.bytes");
      EXPECT_EQ(bytes.bytes, (std::vector<std::string>{"JPEG seven", "JPEG twelve"}));
      EXPECT_EQ(path.bytes, (std::vector<std::string>{"000000007.jpg", "000000012.jpg"}));
    }
  }
}

TEST_F(ExportWriters, WebDatasetShard) {
  auto pairs = two_pairs();
  pairs[1].row.key = "000000012", pairs[1].row.tar = "images-0.tar";
  ImageSource images(dir_ / "images");
  const auto& wds = export_writer("webdataset");
  ASSERT_TRUE(wds.needs_images());
  wds.write_shard(dir_, "train", 3, pairs, images);
  const fs::path shard = dir_ / "train-000003.tar";
  EXPECT_EQ(member_names(shard), (std::vector<std::string>{"000000007.jpg", "000000007.txt", "000000007.json",
                                                           "000000012.jpg", "000000012.txt", "000000012.json"}));
  io::TarReader tar(shard);
  std::string bytes;
  ASSERT_TRUE(tar.read("000000007.jpg", bytes));
  EXPECT_EQ(bytes, "JPEG seven");
  ASSERT_TRUE(tar.read("000000007.txt", bytes));
  EXPECT_EQ(bytes, "a \"quoted\", text");
  ASSERT_TRUE(tar.read("000000007.json", bytes));
  EXPECT_EQ(bytes, kJson7);
  // The shards are the whole export: no tables.
  wds.write_tables(dir_, {pairs[0]}, {}, 1);
  EXPECT_EQ(std::distance(fs::directory_iterator(dir_), fs::directory_iterator()), 2);  // images/, the shard
  // A pair whose image is not in the run's tar is an error, not a skip.
  pairs[0].row.key = "000000099";
  EXPECT_THROW(wds.write_shard(dir_, "train", 4, pairs, images), Error);
}

TEST_F(ExportWriters, ImageFolderPartsAndMetadata) {
  auto pairs = two_pairs();
  pairs[1].validation = false;
  pairs[1].row.key = "000000012", pairs[1].row.tar = "images-0.tar";
  ImageSource images(dir_ / "images");
  const auto& hf = export_writer("imagefolder");
  ASSERT_TRUE(hf.needs_images());
  // --shard-size 1: one pair per part.
  hf.write_shard(dir_, "train", 0, std::span(pairs).first(1), images);
  hf.write_shard(dir_, "train", 1, std::span(pairs).subspan(1), images);
  EXPECT_EQ(slurp(dir_ / "train/000000/000000007.jpg"), "JPEG seven");
  EXPECT_EQ(slurp(dir_ / "train/000001/000000012.jpg"), "JPEG twelve");
  hf.write_tables(dir_, pairs, {}, 1);
  const std::string meta = slurp(dir_ / "train/metadata.jsonl");
  const std::string first = R"({"alt":"alt\nline","clip_alt":0.125,)";
  ASSERT_EQ(meta.substr(0, first.size()), first);  // keys in nlohmann's (sorted) order
  EXPECT_NE(meta.find(R"("file_name":"000000/000000007.jpg")"), std::string::npos) << meta;
  EXPECT_NE(meta.find(R"("file_name":"000001/000000012.jpg")"), std::string::npos) << meta;
  EXPECT_EQ(std::count(meta.begin(), meta.end(), '\n'), 2);
  EXPECT_EQ(slurp(dir_ / "validation/metadata.jsonl"), "");
}

}  // namespace
}  // namespace warcpairs::stages
