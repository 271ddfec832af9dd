// Shards are plain HDF5: h5dump lists the documented datasets, h5py decodes UTF-8 strings.
#include <cstdio>
#include <memory>

#include "store_fixture.h"

namespace warcpairs::store::testing {
namespace fs = std::filesystem;

// Runs a command and returns its stdout and its exit status.
std::pair<std::string, int> run_command(const std::string& cmd) {
  std::string out;
  FILE* pipe = ::popen(cmd.c_str(), "r");
  if (!pipe) return {out, -1};
  char buf[4096];
  std::size_t n;
  while ((n = std::fread(buf, 1, sizeof buf, pipe)) > 0) out.append(buf, n);
  int status = ::pclose(pipe);
  return {out, status};
}

TEST_F(StoreTest, H5dumpListsTheDocumentedDatasets) {
  const fs::path path = dir_ / "dump.h5";
  write_synthetic_shard(path, "/d.warc", 10);
  auto [out, status] = run_command("h5dump -H " + path.string());
  ASSERT_EQ(status, 0) << out;
  for (const char* name : {"GROUP \"pages\"", "GROUP \"images\"", "GROUP \"skips\"",
                           "GROUP \"file\"", "DATASET \"warc_offset\"", "DATASET \"context.bytes\"",
                           "DATASET \"context.offsets\"", "H5T_STD_U8LE",
                           "DATASET \"page_row\"", "DATASET \"label_start\"",
                           "ATTRIBUTE \"format\"", "ATTRIBUTE \"version\"", "ATTRIBUTE \"stage\"",
                           "CSET H5T_CSET_UTF8", "H5T_STD_I64LE", "H5S_UNLIMITED"})
    EXPECT_NE(out.find(name), std::string::npos) << name;
  // Datasets hold 10 pages and 30 images; text offsets one more than rows.
  EXPECT_NE(out.find("( 30 ) / ( H5S_UNLIMITED )"), std::string::npos);
  EXPECT_NE(out.find("( 31 ) / ( H5S_UNLIMITED )"), std::string::npos);
}

TEST_F(StoreTest, H5pyReadsCountsAndNonAsciiStrings) {
  if (!fs::exists("/usr/bin/python3")) GTEST_SKIP() << "no /usr/bin/python3";
  const fs::path path = dir_ / "py.h5";
  {
    ShardWriter w(path, "extract");
    for (int i = 0; i < 5000; ++i) {
      PageRecord p = page_row(i);
      if (i == 4321) p.title = "Ünïcödé — 日本語 🚀";
      w.add_page(p);
    }
    html::ImageRecord im = image_row(0, 4321);
    im.alt = "Ein Bär im Schnee";
    w.add_image(im);
    w.set_file(file_summary("/p.warc", 5000, 1));
    w.commit();
  }
  // The expected strings are written with \u escapes, so this checks decoding, not echo.
  const std::string script =
      "import h5py, sys\n"
      "f = h5py.File(sys.argv[1], 'r')\n"
      "assert f.attrs['format'] == 'warcpairs-shard', f.attrs['format']\n"
      "assert int(f.attrs['version']) == 2\n"
      "def text(col, i):  # the two lines docs/storage.md shows\n"
      "    buf = f[col + '.bytes'][:].tobytes(); off = f[col + '.offsets'][:]\n"
      "    return buf[off[i]:off[i + 1]].decode()\n"
      "t = text('pages/title', 4321)\n"
      "assert t == '\\u00dcn\\u00efc\\u00f6d\\u00e9 \\u2014 \\u65e5\\u672c\\u8a9e \\U0001F680', repr(t)\n"
      "assert text('pages/title', 4320) == 'Seite 4320 \\u2014 Gr\\u00f6\\u00dfe', text('pages/title', 4320)\n"
      "assert text('images/alt', 0) == 'Ein B\\u00e4r im Schnee'\n"
      "assert int(f['images/page_row'][0]) == 4321\n"
      "print(len(f['pages/url.offsets']) - 1, len(f['images/url.offsets']) - 1,\n"
      "      len(f['file/path.offsets']) - 1,\n"
      "      f['pages/warc_offset'].dtype, f['images/has_alt'].dtype)\n";
  const fs::path script_path = dir_ / "check.py";
  std::ofstream(script_path) << script;
  auto [out, status] =
      run_command("/usr/bin/python3 " + script_path.string() + " " + path.string() + " 2>&1");
  ASSERT_EQ(status, 0) << out;
  EXPECT_EQ(out, "5000 1 1 int64 uint8\n");
}

}  // namespace warcpairs::store::testing
