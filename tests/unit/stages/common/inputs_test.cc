// expand_inputs and shard names: every input form, and the cases that must not be dropped.
#include "warcpairs/stages/common/inputs.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "warcpairs/core/error.h"

namespace warcpairs::stages {
namespace fs = std::filesystem;

class InputsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("inputs_test_" + std::to_string(getpid()));
    fs::remove_all(dir_);
    fs::create_directories(dir_ / "crawl" / "sub");
    for (auto name : {"crawl/a.warc.gz", "crawl/b.warc", "crawl/notes.txt", "crawl/sub/c.warc.gz",
                      "d.warc.gz", "crawl/e.arc", "crawl/sub/f.arc.gz", "crawl/g.marc"})
      std::ofstream(dir_ / name) << "x";
    fs::create_symlink("/nonexistent/e.warc.gz", dir_ / "crawl" / "dangling.warc.gz");
  }
  void TearDown() override { fs::remove_all(dir_); }
  std::string p(const char* rel) { return (dir_ / rel).string(); }
  fs::path dir_;
};

TEST_F(InputsTest, DirectoriesAreSearchedRecursivelyForWarcAndArcFiles) {
  auto got = expand_inputs({p("crawl")}).files;
  std::vector<std::string> want = {p("crawl/a.warc.gz"), p("crawl/b.warc"),
                                   p("crawl/dangling.warc.gz"), p("crawl/e.arc"),
                                   p("crawl/sub/c.warc.gz"), p("crawl/sub/f.arc.gz")};
  EXPECT_EQ(got, want);
}

TEST_F(InputsTest, GlobsListsAndFilesAreMergedSortedAndDeduplicated) {
  std::ofstream(dir_ / "list.txt") << "# a comment\n\n  d.warc.gz  \ncrawl/a.warc.gz\r\nmissing.warc.gz\n";
  auto got = expand_inputs({std::string("@").append(p("list.txt")), p("crawl/*.warc.gz"), p("d.warc.gz")});
  std::vector<std::string> want = {p("crawl/a.warc.gz"), p("crawl/dangling.warc.gz"), p("d.warc.gz")};
  EXPECT_EQ(got.files, want) << "list entries are relative to the list's folder";
  EXPECT_EQ(got.missing, std::vector<std::string>{p("missing.warc.gz")})
      << "a missing list entry is returned apart, to be counted, never read or marked done";
}

TEST_F(InputsTest, AMissingPathOnTheCommandLineIsAUsageErrorNamingIt) {
  try {
    expand_inputs({p("d.warc.gz"), p("late/x.warc.gz")});
    FAIL() << "no error for a path that does not exist";
  } catch (const UsageError& e) {
    EXPECT_NE(std::string(e.what()).find(p("late/x.warc.gz")), std::string::npos) << e.what();
  }
  EXPECT_THROW(expand_inputs({p("crawl/dangling.warc.gz")}), UsageError) << "a dangling link";
}

TEST_F(InputsTest, AListOfOnlyMissingEntriesIsAUsageError) {
  std::ofstream(dir_ / "late.txt") << "x.warc.gz\ny.warc.gz\n";
  EXPECT_THROW(expand_inputs({std::string("@").append(p("late.txt"))}), UsageError);
}

TEST_F(InputsTest, TwoPathsOfOneFileAreOneInputTheFirstAsGiven) {
  fs::create_symlink(p("d.warc.gz"), dir_ / "link.warc.gz");
  fs::create_hard_link(p("d.warc.gz"), dir_ / "hard.warc.gz");
  EXPECT_EQ(expand_inputs({p("d.warc.gz"), p("link.warc.gz"), p("hard.warc.gz")}).files,
            std::vector<std::string>{p("d.warc.gz")});
  EXPECT_EQ(expand_inputs({p("link.warc.gz"), p("d.warc.gz")}).files,
            std::vector<std::string>{p("link.warc.gz")});
  EXPECT_EQ(expand_inputs({p("crawl/a.warc.gz"), p("crawl/../crawl/a.warc.gz")}).files,
            std::vector<std::string>{p("crawl/a.warc.gz")});
}

TEST_F(InputsTest, PathsAreAbsoluteAndNormal) {
  ASSERT_EQ(chdir(dir_.c_str()), 0);
  EXPECT_EQ(expand_inputs({"./crawl/../d.warc.gz"}).files, std::vector<std::string>{p("d.warc.gz")});
}

TEST_F(InputsTest, NothingFoundIsAUsageError) {
  EXPECT_THROW(expand_inputs({p("crawl/*.none")}), UsageError);
  EXPECT_THROW(expand_inputs({p("crawl/sub/../../empty-dir-that-does-not-exist/*")}), UsageError);
  EXPECT_THROW(expand_inputs({std::string("@").append(p("no-list.txt"))}), UsageError);
}

TEST(ShardPrefix, StablePerPathAndDistinctForSameNames) {
  auto a = shard_prefix_for("extract", "/data/x/CC-MAIN-1.warc.gz");
  EXPECT_EQ(a, shard_prefix_for("extract", "/data/x/CC-MAIN-1.warc.gz"));
  EXPECT_NE(a, shard_prefix_for("extract", "/data/y/CC-MAIN-1.warc.gz"));
  EXPECT_EQ(a.rfind("extract-CC-MAIN-1.warc.gz-", 0), 0u) << a;
  EXPECT_EQ(a.size(), std::string("extract-CC-MAIN-1.warc.gz-").size() + 16);
  auto odd = shard_prefix_for("extract", "/d/we ird/na me;$(x).warc");
  EXPECT_EQ(odd.find_first_of(" ;$()/"), std::string::npos) << odd;
}

}  // namespace warcpairs::stages
