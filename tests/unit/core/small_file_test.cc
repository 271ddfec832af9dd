// read_small_file: the whole file, or an error of the right kind naming it.
#include "warcpairs/core/small_file.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include <unistd.h>

#include "warcpairs/core/error.h"

namespace warcpairs {
namespace fs = std::filesystem;

class SmallFile : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("small_file_test_" + std::to_string(::getpid()));
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }
  fs::path write(const std::string& name, const std::string& bytes) {
    std::ofstream(dir_ / name, std::ios::binary) << bytes;
    return dir_ / name;
  }
  fs::path dir_;
};

TEST_F(SmallFile, ReadsEveryByte) {
  std::string bytes(200000, 'x');
  bytes[0] = '\0';
  bytes[199999] = '\n';
  EXPECT_EQ(read_small_file(write("a.bin", bytes), "cannot read a"), bytes);
  EXPECT_EQ(read_small_file(write("empty", ""), "cannot read empty"), "");
}

TEST_F(SmallFile, AMissingFileIsBlamedAsAsked) {
  const fs::path missing = dir_ / "missing.json";
  try {
    read_small_file(missing, "cannot read the vocabulary");
    FAIL();
  } catch (const UsageError&) {
    FAIL() << "a run error, not a usage error";
  } catch (const Error& e) {
    EXPECT_EQ(std::string(e.what()), "cannot read the vocabulary (" + missing.string() + ")");
  }
  try {
    read_small_file(missing, "cannot open CLIP config", ReadBlame::usage);
    FAIL();
  } catch (const UsageError& e) {
    EXPECT_EQ(std::string(e.what()), "cannot open CLIP config " + missing.string());
  }
}

TEST_F(SmallFile, AFileOverTheLimitIsAnErrorNamingIt) {
  const fs::path big = write("big", std::string(1001, 'b'));
  EXPECT_EQ(read_small_file(big, "cannot read big", ReadBlame::run, 1001).size(), 1001u);
  try {
    read_small_file(big, "cannot read big", ReadBlame::usage, 1000);
    FAIL();
  } catch (const UsageError&) {
    FAIL() << "too large is a run error";
  } catch (const Error& e) {
    EXPECT_EQ(e.file(), big.string());
    EXPECT_NE(std::string(e.what()).find("larger than 1000 bytes"), std::string::npos) << e.what();
  }
}

}  // namespace warcpairs
