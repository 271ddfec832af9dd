// read_pair_list: the three formats, header mapping, RFC 4180 quoting, errors with line numbers.
#include "warcpairs/text/pair_list.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <fstream>

#include "warcpairs/core/error.h"
#include "warcpairs/parquet/writer.h"

namespace warcpairs::text {
namespace {
namespace fs = std::filesystem;

class PairListTest : public ::testing::Test {
 protected:
  fs::path write(const std::string& name, const std::string& text) {
    const fs::path dir = fs::temp_directory_path() / ("warcpairs_pairs_" + std::to_string(::getpid()));
    fs::create_directories(dir);
    const fs::path p = dir / name;
    std::ofstream(p, std::ios::binary) << text;
    return p;
  }
  void TearDown() override {
    fs::remove_all(fs::temp_directory_path() / ("warcpairs_pairs_" + std::to_string(::getpid())));
  }
};

TEST_F(PairListTest, CsvQuotingAndHeaderMapping) {
  const auto p = write("a.csv",
                       "id,caption,url,alt\r\n"
                       "1,\"a red fox, \"\"quick\"\"\",http://x/1.jpg,fox\r\n"
                       "2,\"two\nlines\",http://x/2.jpg,\n"
                       "3,,,\n");
  const auto rows = read_pair_list(p);
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_EQ(rows[0].url, "http://x/1.jpg");
  EXPECT_EQ(rows[0].caption, "a red fox, \"quick\"");
  EXPECT_EQ(rows[0].alt, "fox");
  EXPECT_EQ(rows[1].caption, "two\nlines");
  EXPECT_EQ(rows[1].row, 2);
  EXPECT_EQ(rows[2].url, "");  // kept: score reports it
}

TEST_F(PairListTest, TsvAndJsonLines) {
  const auto t = read_pair_list(write("a.tsv", "url\ttext\nhttp://x/1.jpg\tone \"quoted\"\n\nhttp://x/2.jpg\ttwo\n"));
  ASSERT_EQ(t.size(), 2u);
  EXPECT_EQ(t[0].caption, "one \"quoted\"");
  EXPECT_EQ(t[1].url, "http://x/2.jpg");
  const auto j = read_pair_list(write("a.jsonl", "{\"url\": \"http://x/é.jpg\", \"caption\": \"é\", \"alt\": \"a\"}\n\n"
                                                 "{\"url\": \"http://x/2.jpg\", \"description\": \"d\"}\n"));
  ASSERT_EQ(j.size(), 2u);
  EXPECT_EQ(j[0].url, "http://x/é.jpg");
  EXPECT_EQ(j[1].caption, "d");
  EXPECT_EQ(j[1].row, 2);
}

TEST_F(PairListTest, ErrorsNameTheFileAndLine) {
  try {
    read_pair_list(write("b.jsonl", "{\"url\": \"x\", \"caption\": \"c\"}\n{broken\n"));
    FAIL();
  } catch (const UsageError& e) {
    EXPECT_NE(std::string(e.what()).find("b.jsonl:2"), std::string::npos) << e.what();
  }
  EXPECT_THROW(read_pair_list(write("c.csv", "url,caption\nx,\"open\n")), UsageError);
  EXPECT_THROW(read_pair_list(write("d.csv", "link,caption\nx,y\n")), UsageError);
  EXPECT_THROW(read_pair_list(write("e.txt", "url,caption\n")), UsageError);
  EXPECT_THROW(read_pair_list(write("f.csv", "url,caption\n"), ListFormat::jsonl), UsageError);
  EXPECT_THROW(read_pair_list("/nonexistent.csv"), UsageError);
}

// Parquet lists (img2dataset's parquet input), --url-col / --caption-col in every format.
TEST_F(PairListTest, ParquetAndNamedColumns) {
  const fs::path p = write("l.parquet", "");
  {
    parquet::Writer w(p, {{"URL", parquet::ColumnType::string}, {"TEXT", parquet::ColumnType::string},
                          {"similarity", parquet::ColumnType::float64}},
                      {.row_group_rows = 2});
    for (int i = 0; i < 5; ++i) {
      w.set_bytes(0, "http://x/" + std::to_string(i) + ".jpg");
      if (i != 3) w.set_bytes(1, i == 1 ? "Straße – 猫" : "caption " + std::to_string(i));
      w.set_double(2, 0.3);
      w.end_row();
    }
    w.close();
  }
  const auto rows = read_pair_list(p, ListFormat::automatic, {.url = "URL", .caption = "TEXT"});
  ASSERT_EQ(rows.size(), 5u);
  EXPECT_EQ(rows[4].row, 5);
  EXPECT_EQ(rows[4].url, "http://x/4.jpg");
  EXPECT_EQ(rows[1].caption, "Straße – 猫");
  EXPECT_EQ(rows[3].caption, "");  // null
  try {
    read_pair_list(p);  // default names: no `url` column
    FAIL();
  } catch (const UsageError& e) {
    EXPECT_NE(std::string(e.what()).find("no `url` column (it has URL, TEXT, similarity); name it with --url-col"),
              std::string::npos) << e.what();
  }
  EXPECT_THROW(read_pair_list(p, ListFormat::parquet, {.url = "URL", .caption = "similarity"}), UsageError);
  const auto csv = write("b.csv", "U,C\nhttp://y/1.jpg,one\n");
  const auto named = read_pair_list(csv, ListFormat::automatic, {.url = "U", .caption = "C"});
  ASSERT_EQ(named.size(), 1u);
  EXPECT_EQ(named[0].caption, "one");
  const auto jsonl = write("c.jsonl", "{\"U\": \"http://z/1.jpg\", \"C\": \"two\"}\n");
  EXPECT_EQ(read_pair_list(jsonl, ListFormat::automatic, {.url = "U", .caption = "C"})[0].url, "http://z/1.jpg");
  // Not Parquet: a usage error naming the file.
  const auto fake = write("d.parquet", "url,caption\n");
  try {
    read_pair_list(fake);
    FAIL();
  } catch (const UsageError& e) {
    EXPECT_NE(std::string(e.what()).find("not a Parquet file"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find(fake.string()), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace warcpairs::text
