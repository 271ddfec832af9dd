// TarReader: archives written by Python's tarfile (an independent writer, ustar and GNU/pax
// formats, directories, prefix names) and by TarWriter read back byte for byte; corrupt headers.
#include "warcpairs/io/tar_reader.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>

#include "warcpairs/core/error.h"
#include "warcpairs/io/tar_writer.h"

namespace warcpairs::io {
namespace {
namespace fs = std::filesystem;

class TarReaderTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("warcpairs_tarreader_" + std::to_string(::getpid()));
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }
  // Python's tarfile writes `dir_/py.tar` in `format` with the members the test expects.
  void python_tar(const std::string& format) {
    const std::string code =
        "import io, tarfile\n"
        "t = tarfile.open('" + (dir_ / "py.tar").string() + "', 'w', format=tarfile." + format + ")\n"
        "def add(name, data):\n"
        "    i = tarfile.TarInfo(name); i.size = len(data); t.addfile(i, io.BytesIO(data))\n"
        "d = tarfile.TarInfo('sub'); d.type = tarfile.DIRTYPE; t.addfile(d)\n"
        "add('000001.jpg', bytes(range(256)) * 3)\n"
        "add('000001.txt', 'caf\\u00e9'.encode())\n"
        "add('empty.json', b'')\n"
        "add('a' * 120 + '/deep.txt', b'x' * 512)\n"
        "t.close()\n";
    std::ofstream(dir_ / "make.py") << code;
    ASSERT_EQ(std::system(("/usr/bin/python3 " + (dir_ / "make.py").string()).c_str()), 0);
  }
  fs::path dir_;
};

void expect_python_members(TarReader& tar) {
  std::string out;
  ASSERT_TRUE(tar.read("000001.jpg", out));
  ASSERT_EQ(out.size(), 768u);
  for (std::size_t i = 0; i < out.size(); ++i) ASSERT_EQ(static_cast<uint8_t>(out[i]), i % 256) << i;
  ASSERT_TRUE(tar.read("000001.txt", out));
  EXPECT_EQ(out, "caf\xc3\xa9");
  ASSERT_TRUE(tar.read("empty.json", out));
  EXPECT_EQ(out, "");
  ASSERT_TRUE(tar.read(std::string(120, 'a') + "/deep.txt", out));
  EXPECT_EQ(out, std::string(512, 'x'));
  EXPECT_FALSE(tar.contains("sub"));  // a directory is not a member to read
  EXPECT_FALSE(tar.read("missing.jpg", out));
}

TEST_F(TarReaderTest, ReadsPythonUstarArchive) {
  python_tar("USTAR_FORMAT");  // 120-byte directory goes to the prefix field
  TarReader tar(dir_ / "py.tar");
  EXPECT_EQ(tar.members(), 4u);
  expect_python_members(tar);
}

TEST_F(TarReaderTest, ReadsPythonPaxArchiveSkippingExtensionHeaders) {
  python_tar("PAX_FORMAT");  // the long name and the é member get pax headers
  TarReader tar(dir_ / "py.tar");
  EXPECT_GE(tar.members(), 3u);
  std::string out;
  ASSERT_TRUE(tar.read("000001.jpg", out));
  EXPECT_EQ(out.size(), 768u);
  ASSERT_TRUE(tar.read("000001.txt", out));
  EXPECT_EQ(out, "caf\xc3\xa9");
}

TEST_F(TarReaderTest, ReadsWhatTarWriterWrote) {
  {
    TarWriter w(dir_ / "w.tar");
    w.add("k1.jpg", std::string_view("\xff\xd8jpeg"));
    w.add("k1.txt", std::string_view(std::string(1024, 't')));
    w.commit();
  }
  TarReader tar(dir_ / "w.tar");
  EXPECT_EQ(tar.members(), 2u);
  std::string out;
  ASSERT_TRUE(tar.read("k1.jpg", out));
  EXPECT_EQ(out, "\xff\xd8jpeg");
  ASSERT_TRUE(tar.read("k1.txt", out));
  EXPECT_EQ(out, std::string(1024, 't'));
}

TEST_F(TarReaderTest, CorruptChecksumAndTruncationAreErrors) {
  {
    TarWriter w(dir_ / "w.tar");
    w.add("k1.jpg", std::string_view(std::string(2000, 'j')));
    w.commit();
  }
  const fs::path bad = dir_ / "bad.tar";
  fs::copy_file(dir_ / "w.tar", bad);
  {
    std::fstream f(bad, std::ios::in | std::ios::out | std::ios::binary);
    f.seekp(0);
    f.put('X');  // the name changes, the stored checksum does not
  }
  EXPECT_THROW(TarReader{bad}, Error);
  const fs::path cut = dir_ / "cut.tar";
  fs::copy_file(dir_ / "w.tar", cut);
  fs::resize_file(cut, 1024);  // header + 512 of 2000 data bytes
  EXPECT_THROW(TarReader{cut}, Error);
  EXPECT_THROW(TarReader{dir_ / "none.tar"}, Error);
}

// OnDamage::stop keeps the members before the damage and says where it is.
TEST_F(TarReaderTest, StopAtDamageKeepsWhatCameBefore) {
  {
    TarWriter w(dir_ / "w.tar");
    w.add("a.jpg", std::string_view("first"));
    w.add("b.jpg", std::string_view(std::string(2000, 'b')));
    w.add("c.jpg", std::string_view("third"));
    w.commit();
  }
  const fs::path bad = dir_ / "bad.tar";
  fs::copy_file(dir_ / "w.tar", bad);
  {
    std::fstream f(bad, std::ios::in | std::ios::out | std::ios::binary);
    f.seekp(2 * 512 + 3);  // b.jpg's header
    f.put('X');
  }
  EXPECT_THROW(TarReader{bad}, Error);
  TarReader lenient(bad, TarReader::OnDamage::stop);
  EXPECT_EQ(lenient.members(), 1u);
  EXPECT_EQ(lenient.damaged_at(), 2 * 512);
  std::string out;
  ASSERT_TRUE(lenient.read("a.jpg", out));
  EXPECT_EQ(out, "first");
  EXPECT_EQ(lenient.size("a.jpg"), 5);
  EXPECT_EQ(lenient.size("c.jpg"), -1);

  const fs::path cut = dir_ / "cut.tar";
  fs::copy_file(dir_ / "w.tar", cut);
  fs::resize_file(cut, 3 * 512 + 100);  // inside b.jpg's data
  TarReader truncated(cut, TarReader::OnDamage::stop);
  EXPECT_EQ(truncated.members(), 1u);
  EXPECT_EQ(truncated.damaged_at(), 2 * 512);
  TarReader whole(dir_ / "w.tar", TarReader::OnDamage::stop);
  EXPECT_EQ(whole.members(), 3u);
  EXPECT_EQ(whole.damaged_at(), -1);
  EXPECT_THROW(TarReader(dir_ / "none.tar", TarReader::OnDamage::stop), Error);
}

}  // namespace
}  // namespace warcpairs::io
