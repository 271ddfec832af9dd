// Part names round-trip; a folder scan finds complete, partial and broken sequences.
#include "warcpairs/stages/common/shard_ledger.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <fstream>

namespace warcpairs::stages {
namespace fs = std::filesystem;

TEST(PartName, RoundTripsAndSortsInPartOrder) {
  EXPECT_EQ(part_file_name("extract-a.warc-00ff", 0, false), "extract-a.warc-00ff.p00000.h5");
  EXPECT_EQ(part_file_name("extract-a.warc-00ff", 12, true), "extract-a.warc-00ff.p00012.last.h5");
  auto p = parse_part_name("extract-a.warc-00ff.p00012.last.h5");
  ASSERT_TRUE(p);
  EXPECT_EQ(p->prefix, "extract-a.warc-00ff");
  EXPECT_EQ(p->part, 12);
  EXPECT_TRUE(p->last);
  EXPECT_LT(part_file_name("x", 9, false), part_file_name("x", 10, true));
  for (auto bad : {"x.h5", "x.p0001.h5", "x.p0000a.h5", ".p00000.h5", "x.p00000.h5.tmp",
                   "x.p00000.last", "notes.txt"})
    EXPECT_FALSE(parse_part_name(bad)) << bad;
}

TEST(ScanParts, CompletePartialAndGappedFiles) {
  const fs::path dir = fs::temp_directory_path() / ("ledger_test_" + std::to_string(getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir);
  for (auto name : {"done.p00000.h5", "done.p00001.last.h5", "half.p00000.h5", "half.p00001.h5",
                    "gap.p00000.h5", "gap.p00002.last.h5", "half.p00002.h5.tmp", "readme.txt"})
    std::ofstream(dir / name) << "x";
  auto parts = scan_parts(dir);
  ASSERT_EQ(parts.size(), 3u);
  EXPECT_TRUE(parts["done"].complete);
  EXPECT_EQ(parts["done"].names, (std::vector<std::string>{"done.p00000.h5", "done.p00001.last.h5"}));
  EXPECT_FALSE(parts["half"].complete);
  EXPECT_EQ(parts["half"].next_part(), 2);
  EXPECT_FALSE(parts["gap"].complete);
  EXPECT_EQ(parts["gap"].next_part(), 1) << "part 1 is missing: resume there";
  EXPECT_EQ(remove_stale_temporaries(dir), 1);
  EXPECT_FALSE(fs::exists(dir / "half.p00002.h5.tmp"));
  fs::remove_all(dir);
}

}  // namespace warcpairs::stages
