// read_pair_list: the three formats, header mapping, RFC 4180 quoting, errors with line numbers.
#include "warcpairs/text/pair_list.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <fstream>

#include "warcpairs/core/error.h"

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

}  // namespace
}  // namespace warcpairs::text
