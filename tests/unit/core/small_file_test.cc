// read_small_file: the whole file, or an error of the right kind naming it.
#include "warcpairs/core/small_file.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include <unistd.h>

#include "warcpairs/core/error.h"

namespace warcpairs {
namespace fs = std::filesystem;

// A file of `bytes` in the temporary folder, removed at the end of the scope.
struct ScratchFile {
  ScratchFile(const std::string& name, const std::string& bytes)
      : path(fs::temp_directory_path() / (name + "." + std::to_string(::getpid()))) {
    std::ofstream(path, std::ios::binary) << bytes;
  }
  ~ScratchFile() { fs::remove(path); }
  fs::path path;
};

TEST(SmallFile, ReadsEveryByte) {
  std::string bytes(200000, 'x');
  bytes[0] = '\0';
  bytes[199999] = '\n';
  const ScratchFile a("small_file_test_a", bytes), empty("small_file_test_empty", "");
  EXPECT_EQ(read_small_file(a.path, "cannot read a"), bytes);
  EXPECT_EQ(read_small_file(empty.path, "cannot read empty"), "");
}

TEST(SmallFile, AMissingFileIsBlamedAsAsked) {
  const fs::path missing = fs::temp_directory_path() / "small_file_test_missing" / "config.json";
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

TEST(SmallFile, AFileOverTheLimitIsAnErrorNamingIt) {
  const ScratchFile file("small_file_test_big", std::string(1001, 'b'));
  const fs::path& big = file.path;
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
