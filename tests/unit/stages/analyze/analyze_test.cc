// analyze's building blocks: HTML escaping (XSS strings from alt texts and URLs) and the ustar
// reader that finds the grid images in WebDataset tars written by io::TarWriter.
#include <gtest/gtest.h>

#include <fstream>

#include "warcpairs/core/error.h"
#include "warcpairs/io/tar_writer.h"
#include "warcpairs/stages/analyze/analyze.h"

namespace warcpairs::stages {
namespace {

TEST(HtmlEscape, ScriptTagsBecomeText) {
  EXPECT_EQ(html_escape("<script>alert(1)</script>"), "&lt;script&gt;alert(1)&lt;/script&gt;");
}

TEST(HtmlEscape, QuotesCannotCloseAnAttribute) {
  EXPECT_EQ(html_escape("\"><img src=x onerror=alert(1)>"),
            "&quot;&gt;&lt;img src=x onerror=alert(1)&gt;");
  EXPECT_EQ(html_escape("' onmouseover='alert(1)"), "&#39; onmouseover=&#39;alert(1)");
}

TEST(HtmlEscape, AmpersandFirstSoReferencesAreNotDoubledOrKept) {
  EXPECT_EQ(html_escape("a & b &lt; c"), "a &amp; b &amp;lt; c");
  EXPECT_EQ(html_escape("&#60;script&#62;"), "&amp;#60;script&amp;#62;");
}

TEST(HtmlEscape, Utf8AndPlainTextUnchanged) {
  EXPECT_EQ(html_escape(""), "");
  EXPECT_EQ(html_escape("Fähre über den Fluss, 港口"), "Fähre über den Fluss, 港口");
  const std::string nul("a\0b", 3);
  EXPECT_EQ(html_escape(nul), nul);
}

class TarMembers : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("analyze_test_" + std::to_string(::testing::UnitTest::GetInstance()->random_seed()) +
            "_" + ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    tar_ = dir_ / "00000.tar";
    io::TarWriter w(tar_);
    w.add("000000001.jpg", std::string_view("\xff\xd8 first jpeg"));
    w.add("000000001.txt", std::string_view("a caption"));
    std::string big(1500, 'x');  // spans three blocks: the reader must skip the padding
    big[0] = 'B', big.back() = 'E';
    w.add("000000002.jpg", std::string_view(big));
    w.add("000000003.jpg", std::string_view(""));
    w.commit();
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  std::filesystem::path dir_, tar_;
};

TEST_F(TarMembers, FindsTheWantedMembersOnly) {
  const auto m = read_tar_members(tar_, {"000000002.jpg", "000000001.jpg", "000000003.jpg", "nope.jpg"});
  ASSERT_EQ(m.size(), 3u);
  EXPECT_EQ(m.at("000000001.jpg"), "\xff\xd8 first jpeg");
  ASSERT_EQ(m.at("000000002.jpg").size(), 1500u);
  EXPECT_EQ(m.at("000000002.jpg").front(), 'B');
  EXPECT_EQ(m.at("000000002.jpg").back(), 'E');
  EXPECT_EQ(m.at("000000003.jpg"), "");
  EXPECT_EQ(m.count("000000001.txt"), 0u);
}

TEST_F(TarMembers, MembersOverTheCapAreLeftOut) {
  const auto m = read_tar_members(tar_, {"000000001.jpg", "000000002.jpg"}, 1000);
  EXPECT_EQ(m.size(), 1u);
  EXPECT_EQ(m.count("000000001.jpg"), 1u);
}

TEST_F(TarMembers, ADamagedHeaderEndsTheScan) {
  // Corrupt the third header (000000002.jpg: after two one-block members with their data).
  std::fstream f(tar_, std::ios::in | std::ios::out | std::ios::binary);
  f.seekp(4 * 512 + 10);
  f.put('Z');
  f.close();
  const auto m = read_tar_members(tar_, {"000000001.jpg", "000000002.jpg", "000000003.jpg"});
  EXPECT_EQ(m.size(), 1u);
  EXPECT_EQ(m.count("000000001.jpg"), 1u);
}

TEST_F(TarMembers, TruncatedFileReturnsWhatCameBefore) {
  std::filesystem::resize_file(tar_, 4 * 512 + 600);  // inside 000000002.jpg's data
  const auto m = read_tar_members(tar_, {"000000001.jpg", "000000002.jpg"});
  EXPECT_EQ(m.size(), 1u);
}

TEST(TarMembersFile, MissingFileThrows) {
  EXPECT_THROW(read_tar_members("/nonexistent/x.tar", {"a.jpg"}), Error);
}

}  // namespace
}  // namespace warcpairs::stages
