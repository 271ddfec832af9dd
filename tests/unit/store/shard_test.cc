// ShardWriter/ShardReader: round trips (unicode, empty, large, zero, many rows) and failure paths.
#include <hdf5.h>

#include "../html/expect.h"
#include "shard_damage.h"
#include "store_fixture.h"
#include "warcpairs/core/error.h"
#include "warcpairs/store/shard.h"

namespace warcpairs::store::testing {
namespace fs = std::filesystem;

void expect_page_eq(const PageRecord& a, const PageRecord& b) {
  EXPECT_EQ(a.warc_offset, b.warc_offset);
  EXPECT_EQ(a.member_offset, b.member_offset);
  EXPECT_EQ(a.record_id, b.record_id);
  EXPECT_EQ(a.url, b.url);
  EXPECT_EQ(a.crawl_date, b.crawl_date);
  EXPECT_EQ(a.http_status, b.http_status);
  EXPECT_EQ(a.content_type, b.content_type);
  EXPECT_EQ(a.charset, b.charset);
  EXPECT_EQ(a.language, b.language);
  EXPECT_EQ(a.title, b.title);
  EXPECT_EQ(a.image_count, b.image_count);
}

using html::testing::expect_same_image;

TEST_F(StoreTest, RoundTripKeepsUnicodeEmptyAndLargeStrings) {
  const fs::path path = dir_ / "a.h5";
  PageRecord page = page_row(0);
  page.title = "Ünïcödé — 日本語 🚀 ﷽";
  page.language = "";
  html::ImageRecord big = image_row(1, 0);
  big.context = real_warc_text();
  ASSERT_GT(big.context.size(), 10000u);
  html::ImageRecord empty;  // every string empty, every number at its "absent" value
  empty.page_row = 0;
  SkipEntry skip{"ignored", 42, "gzip_corrupt", "détail ✓"};
  FileSummary file = file_summary("/data/ÄÖÜ.warc.gz", 1, 2);
  file.status = "partial";
  file.skipped = 1;
  {
    ShardWriter w(path, "extract");
    EXPECT_EQ(w.add_page(page), 0);
    w.add_image(big);
    w.add_image(empty);
    w.add_skip(skip);
    w.set_file(file);
    w.commit();
  }
  ShardReader r(path);
  EXPECT_EQ(r.stage(), "extract");
  ASSERT_EQ(r.page_count(), 1);
  ASSERT_EQ(r.image_count(), 2);
  ASSERT_EQ(r.skip_count(), 1);
  std::vector<PageRecord> pages;
  r.read_pages(0, 10, pages);
  ASSERT_EQ(pages.size(), 1u);
  expect_page_eq(pages[0], page);
  std::vector<html::ImageRecord> images;
  r.read_images(0, 10, images);
  ASSERT_EQ(images.size(), 2u);
  expect_same_image(images[0], big);
  expect_same_image(images[1], empty);
  std::vector<SkipEntry> skips;
  r.read_skips(0, 10, skips);
  ASSERT_EQ(skips.size(), 1u);
  EXPECT_EQ(skips[0].offset, 42);
  EXPECT_EQ(skips[0].reason, "gzip_corrupt");
  EXPECT_EQ(skips[0].detail, "détail ✓");
  EXPECT_EQ(skips[0].file, file.path);  // not stored: filled from /file
  FileSummary back = r.file();
  EXPECT_EQ(back.path, file.path);
  EXPECT_EQ(back.status, "partial");
  EXPECT_EQ(back.size, file.size);
  EXPECT_EQ(back.records, file.records);
  EXPECT_EQ(back.skipped, 1);
}

TEST_F(StoreTest, ZeroRowShardAndShardWithoutFile) {
  const fs::path with_file = dir_ / "unreadable.h5", bare = dir_ / "bare.h5";
  {
    ShardWriter w(with_file, "extract");
    FileSummary f = file_summary("/x.warc", 0, 0);
    f.status = "unreadable";
    f.error = "not a WARC file";
    w.set_file(f);
    w.commit();
    ShardWriter b(bare, "predict");
    b.commit();
  }
  ShardReader r(with_file);
  EXPECT_EQ(r.page_count(), 0);
  EXPECT_EQ(r.image_count(), 0);
  EXPECT_EQ(r.skip_count(), 0);
  EXPECT_EQ(r.file().error, "not a WARC file");
  std::vector<PageRecord> pages(5);
  r.read_pages(0, 100, pages);
  EXPECT_TRUE(pages.empty());
  ShardReader rb(bare);
  EXPECT_EQ(rb.stage(), "predict");
  EXPECT_TRUE(rb.file().path.empty());
}

TEST_F(StoreTest, ManyRowsAcrossChunksReadInOddBatches) {
  const fs::path path = dir_ / "many.h5";
  const int64_t n_pages = 5000;  // 15000 images: several 4096-row chunks and flushes
  write_synthetic_shard(path, "/many.warc", n_pages);
  ShardReader r(path);
  ASSERT_EQ(r.page_count(), n_pages);
  ASSERT_EQ(r.image_count(), 3 * n_pages);
  std::vector<html::ImageRecord> batch;
  int64_t seen = 0;
  for (int64_t first = 0; first < r.image_count(); first += 777) {
    r.read_images(first, 777, batch);
    for (std::size_t k = 0; k < batch.size(); ++k)
      expect_same_image(batch[k], image_row(first + k, (first + k) / 3));
    seen += batch.size();
  }
  EXPECT_EQ(seen, 3 * n_pages);
  std::vector<PageRecord> pages;
  r.read_pages(n_pages - 3, 100, pages);  // clipped at the end
  ASSERT_EQ(pages.size(), 3u);
  expect_page_eq(pages[2], page_row(n_pages - 1));
  r.read_pages(n_pages + 10, 100, pages);
  EXPECT_TRUE(pages.empty());
}

// Text is stored as bytes + offsets: a NUL inside a string survives (C strings ended it),
// and offsets that point outside the bytes or go backwards are refused, not followed.
TEST_F(StoreTest, TextColumnsKeepNulAndRefuseCorruptOffsets) {
  const fs::path path = dir_ / "text.h5";
  write_synthetic_shard(path, "/text.warc", 2000);  // 6000 images: two flushes
  {
    ShardWriter w(dir_ / "nul.h5", "extract");
    PageRecord p = page_row(0);
    p.title = std::string("a\0b", 3);
    w.add_page(p);
    w.commit();
  }
  ShardReader nul(dir_ / "nul.h5");
  std::vector<PageRecord> pages;
  nul.read_pages(0, 1, pages);
  ASSERT_EQ(pages.size(), 1u);
  EXPECT_EQ(pages[0].title, std::string("a\0b", 3));
  overwrite_int64(path, "/images/context.offsets", 5000, int64_t{1} << 40);  // past the end
  {
    ShardReader r(path);
    std::vector<html::ImageRecord> images;
    r.read_images(0, 4096, images);  // rows before the damage read fine
    EXPECT_EQ(images.size(), 4096u);
    try {
      r.read_images(4096, 4096, images);
      ADD_FAILURE() << "offsets past the end were followed";
    } catch (const Error& e) {
      EXPECT_NE(std::string(e.what()).find("corrupt offsets in text column context at row 4999"),
                std::string::npos) << e.what();
    }
  }
  overwrite_int64(path, "/images/context.offsets", 5000, 0);  // backwards
  ShardReader r(path);
  std::vector<html::ImageRecord> images;
  EXPECT_THROW(r.read_images(4990, 20, images), Error);
}

TEST_F(StoreTest, InvisibleUntilCommitAndUncommittedLeavesNothing) {
  const fs::path path = dir_ / "s.h5";
  const fs::path tmp = dir_ / "s.h5.tmp";
  {
    ShardWriter w(path, "extract");
    for (int i = 0; i < 5000; ++i) w.add_page(page_row(i));
    EXPECT_FALSE(fs::exists(path));
    EXPECT_TRUE(fs::exists(tmp));
  }
  EXPECT_FALSE(fs::exists(path));
  EXPECT_FALSE(fs::exists(tmp));
  {
    ShardWriter w(path, "extract");
    w.add_page(page_row(0));
    w.commit();
    EXPECT_TRUE(fs::exists(path));
    EXPECT_FALSE(fs::exists(tmp));
    EXPECT_THROW(w.commit(), Error);
  }
  EXPECT_TRUE(fs::exists(path));  // a committed writer's destructor keeps the shard
  EXPECT_EQ(ShardReader(path).page_count(), 1);
}

TEST_F(StoreTest, WriterRejectsImageOfUnknownPage) {
  ShardWriter w(dir_ / "x.h5", "extract");
  w.add_page(page_row(0));
  EXPECT_THROW(w.add_image(image_row(0, 1)), Error);
  EXPECT_THROW(w.add_image(image_row(0, -1)), Error);
}

TEST_F(StoreTest, WriterFailsClearlyWhenDirectoryIsMissing) {
  try {
    ShardWriter w(dir_ / "no" / "such" / "dir" / "s.h5", "extract");
    FAIL() << "expected Error";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("s.h5.tmp"), std::string::npos) << e.what();
  }
}

void expect_error_naming(const fs::path& path, const std::string& words) {
  try {
    ShardReader r(path);
    std::vector<html::ImageRecord> images;
    for (int64_t first = 0; first < r.image_count(); first += 4096) r.read_images(first, 4096, images);
    FAIL() << "expected Error for " << path;
  } catch (const Error& e) {
    EXPECT_EQ(e.file(), path.string());
    EXPECT_NE(std::string(e.what()).find(words), std::string::npos) << e.what();
  }
}

TEST_F(StoreTest, ReaderRejectsMissingGarbageAndTruncatedFiles) {
  expect_error_naming(dir_ / "missing.h5", "does not exist");
  const fs::path garbage = dir_ / "garbage.h5";
  std::ofstream(garbage) << real_warc_text();
  expect_error_naming(garbage, "not an HDF5 file");
  const fs::path truncated = dir_ / "truncated.h5";
  write_synthetic_shard(truncated, "/t.warc", 3000);
  fs::resize_file(truncated, fs::file_size(truncated) / 2);
  expect_error_naming(truncated, "");
}

// Writes root attributes with the HDF5 C API, as another tool (or a newer warcpairs) would.
void write_hdf5_with_attrs(const fs::path& path, const char* format, int version) {
  hid_t f = H5Fcreate(path.c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT);
  hid_t space = H5Screate(H5S_SCALAR);
  if (format) {
    hid_t type = H5Tcopy(H5T_C_S1);
    H5Tset_size(type, H5T_VARIABLE);
    hid_t a = H5Acreate2(f, "format", type, space, H5P_DEFAULT, H5P_DEFAULT);
    H5Awrite(a, type, &format);
    H5Aclose(a);
    H5Tclose(type);
  }
  hid_t a = H5Acreate2(f, "version", H5T_STD_I32LE, space, H5P_DEFAULT, H5P_DEFAULT);
  H5Awrite(a, H5T_NATIVE_INT, &version);
  H5Aclose(a);
  H5Sclose(space);
  H5Fclose(f);
}

TEST_F(StoreTest, ReaderRejectsOtherHdf5FilesAndNewerVersions) {
  write_hdf5_with_attrs(dir_ / "plain.h5", nullptr, 1);
  expect_error_naming(dir_ / "plain.h5", "not a warcpairs shard");
  write_hdf5_with_attrs(dir_ / "other.h5", "netcdf", 1);
  expect_error_naming(dir_ / "other.h5", "format is 'netcdf'");
  write_hdf5_with_attrs(dir_ / "newer.h5", "warcpairs-shard", kShardFormatVersion + 1);
  expect_error_naming(dir_ / "newer.h5", "version " + std::to_string(kShardFormatVersion + 1));
  // Version 1 (variable-length strings) is refused with a message that says what to do.
  write_hdf5_with_attrs(dir_ / "v1.h5", "warcpairs-shard", 1);
  expect_error_naming(dir_ / "v1.h5", "version 1 (variable-length strings) is no longer read");
  expect_error_naming(dir_ / "v1.h5", "run the stage that wrote it again");
}

}  // namespace warcpairs::store::testing
