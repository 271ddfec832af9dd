// TarWriter: Python's tarfile (an independent reader) lists and extracts what we wrote;
// invisible until commit; name limits.
#include "warcpairs/io/tar_writer.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <sstream>

#include "warcpairs/core/error.h"

namespace warcpairs::io {
namespace {
namespace fs = std::filesystem;

class TarTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("warcpairs_tar_" + std::to_string(::getpid()));
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }
  std::string python(const std::string& code) {
    const fs::path out = dir_ / "py.out";
    const std::string cmd = "/usr/bin/python3 -c '" + code + "' > " + out.string() + " 2>&1";
    EXPECT_EQ(std::system(cmd.c_str()), 0);
    std::ifstream in(out);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
  }
  fs::path dir_;
};

TEST_F(TarTest, PythonTarfileReadsEveryMemberBackExactly) {
  std::vector<uint8_t> binary(1300);
  for (std::size_t i = 0; i < binary.size(); ++i) binary[i] = static_cast<uint8_t>(i * 7);
  {
    TarWriter w(dir_ / "000000.tar");
    w.add("000000001.jpg", binary);
    w.add("000000001.txt", std::string_view("a red fox — über"));
    w.add("000000001.json", std::string_view("{}"));
    w.add("000000002.txt", std::string_view(""));  // empty member
    w.add("000000003.bin", std::span<const uint8_t>(binary.data(), 512));  // exactly one block
    EXPECT_EQ(w.members(), 5);
    EXPECT_FALSE(fs::exists(dir_ / "000000.tar"));  // invisible until commit
    w.commit();
  }
  EXPECT_FALSE(fs::exists(dir_ / "000000.tar.tmp"));
  const std::string listing = python(
      "import tarfile, hashlib; t = tarfile.open(\"" + (dir_ / "000000.tar").string() + "\");"
      "[print(m.name, m.size, m.isreg(), hashlib.sha256(t.extractfile(m).read()).hexdigest()[:12]) for m in t]");
  EXPECT_EQ(listing,
            "000000001.jpg 1300 True " + python("import hashlib; print(hashlib.sha256(bytes((i * 7) % 256 for i in range(1300))).hexdigest()[:12], end=\"\")") + "\n"
            "000000001.txt 19 True " + python("import hashlib; print(hashlib.sha256(\"a red fox — über\".encode()).hexdigest()[:12], end=\"\")") + "\n"
            "000000001.json 2 True 44136fa355b3\n"
            "000000002.txt 0 True e3b0c44298fc\n"
            "000000003.bin 512 True " + python("import hashlib; print(hashlib.sha256(bytes((i * 7) % 256 for i in range(512))).hexdigest()[:12], end=\"\")") + "\n");
  EXPECT_EQ(fs::file_size(dir_ / "000000.tar") % 512, 0u);
}

TEST_F(TarTest, UncommittedWriterLeavesNothingAndBadNamesAreRefused) {
  {
    TarWriter w(dir_ / "x.tar");
    w.add("a.txt", std::string_view("x"));
    EXPECT_THROW(w.add("", std::string_view("x")), Error);
    EXPECT_THROW(w.add(std::string(100, 'n'), std::string_view("x")), Error);
  }
  EXPECT_TRUE(fs::is_empty(dir_));
  EXPECT_THROW(TarWriter(dir_ / "missing" / "x.tar"), Error);
}

}  // namespace
}  // namespace warcpairs::io
