// io layer: byte window reuse, gzip members decoded one call each or streamed when huge,
// member offsets, corrupt/truncated members, discard and seek.
#include "warcpairs/io/decoded_stream.h"

#include <gtest/gtest.h>
#include <zlib.h>

#include <cstring>
#include <string>

#include "warcpairs/core/error.h"

namespace warcpairs::io {
namespace {

std::string gzip(std::string_view data, int level = 1) {
  z_stream z{};
  deflateInit2(&z, level, Z_DEFLATED, 31, 8, Z_DEFAULT_STRATEGY);
  std::string out(deflateBound(&z, data.size()) + 64, '\0');
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
  z.avail_in = static_cast<uInt>(data.size());
  z.next_out = reinterpret_cast<Bytef*>(out.data());
  z.avail_out = static_cast<uInt>(out.size());
  EXPECT_EQ(deflate(&z, Z_FINISH), Z_STREAM_END);
  out.resize(z.total_out);
  deflateEnd(&z);
  return out;
}

// Text that compresses but not to nothing: n bytes of numbered lines.
std::string lines(std::size_t n, char tag) {
  std::string s;
  for (std::size_t i = 0; s.size() < n; ++i) s += tag + std::to_string(i * 7919 % 100003) + "\n";
  s.resize(n);
  return s;
}

std::string drain(DecodedStream& s, std::size_t step = 1 << 16) {
  std::string out;
  while (s.fill(step) || s.size() > 0) {
    out.append(s.data(), s.size());
    s.consume(s.size());
  }
  return out;
}

TEST(ByteWindow, ReusesTheFrontWhenEmptyAndKeepsUnconsumedBytes) {
  ByteWindow w;
  char* p = w.reserve_tail(100);
  std::memcpy(p, "hello world", 11);
  w.commit(11);
  w.consume(6);
  EXPECT_EQ(std::string(w.data(), w.size()), "world");
  w.reserve_tail(1000);  // grows, keeping "world" at the front
  EXPECT_EQ(std::string(w.data(), w.size()), "world");
  w.consume(5);
  EXPECT_EQ(w.size(), 0u);
  EXPECT_EQ(w.reserve_tail(10), w.data());  // empty: writes start at the front again
}

TEST(DecodedStream, PlainFileIsPassedThroughWithFileOffsets) {
  SkipLog skips;
  std::string text = lines(5'000'000, 'p');
  DecodedStream s(std::make_unique<MemorySource>(text), skips);
  EXPECT_FALSE(s.gzip());
  ASSERT_TRUE(s.fill(10));
  s.consume(10);
  EXPECT_EQ(s.offset_at(5), 15);
  EXPECT_EQ(s.discard(3'000'000), 3'000'000u);  // a seek, not a read
  EXPECT_EQ(s.offset_at(0), 3'000'010);
  EXPECT_EQ(drain(s), text.substr(3'000'010));
  EXPECT_FALSE(s.next_segment());
  s.seek(100);
  ASSERT_TRUE(s.fill(4));
  EXPECT_EQ(std::string(s.data(), 4), text.substr(100, 4));
  EXPECT_EQ(skips.total(), 0u);
}

TEST(DecodedStream, MembersKeepTheirFileOffsetsAndEnds) {
  SkipLog skips;
  std::string a = gzip("first member\n"), b = gzip("second\n"), c = gzip("third\n");
  DecodedStream s(std::make_unique<MemorySource>(a + b + c), skips);
  ASSERT_TRUE(s.gzip());
  ASSERT_TRUE(s.fill(13 + 7));  // spans two members
  EXPECT_EQ(s.offset_at(0), 0);
  EXPECT_EQ(s.offset_at(12), 0);
  EXPECT_EQ(s.offset_at(13), int64_t(a.size()));
  EXPECT_TRUE(s.member_starts_at(13));
  EXPECT_TRUE(s.member_ends_at(13));
  EXPECT_FALSE(s.member_ends_at(12));
  s.consume(20);
  EXPECT_TRUE(s.member_ends_at(0));
  EXPECT_EQ(drain(s), "third\n");
  EXPECT_EQ(s.compressed_consumed(), a.size() + b.size() + c.size());
  s.seek(a.size());
  EXPECT_EQ(drain(s), "second\nthird\n");
  EXPECT_EQ(skips.total(), 0u);
}

TEST(DecodedStream, HugeMemberIsStreamedInBoundedSteps) {
  // Larger than GzipMemberReader::kOneShotMaxOut: decoded by zlib in steps, never whole.
  std::string text = lines(GzipMemberReader::kOneShotMaxOut * 2 + 12345, 'h');
  std::string gz = gzip(text) + gzip("tail\n");
  SkipLog skips;
  DecodedStream s(std::make_unique<MemorySource>(gz), skips);
  std::string out;
  std::size_t max_window = 0;
  while (s.fill(1 << 20) || s.size() > 0) {
    max_window = std::max(max_window, s.size());
    out.append(s.data(), s.size());
    s.consume(s.size());
  }
  EXPECT_TRUE(out == text + "tail\n");  // not EXPECT_EQ: gtest would diff 32 MB
  EXPECT_LT(max_window, GzipMemberReader::kOneShotMaxOut * 2);
  EXPECT_EQ(skips.total(), 0u);
}

TEST(DecodedStream, CorruptHugeMemberKeepsBytesBeforeTheBreakAndResumes) {
  std::string text = lines(GzipMemberReader::kOneShotMaxOut + 4'000'000, 'c');
  std::string bad = gzip(text);
  for (std::size_t i = bad.size() * 3 / 4; i < bad.size() * 3 / 4 + 64; ++i) bad[i] = char(0xff);
  std::string good = gzip("after the break\n");
  SkipLog skips;
  DecodedStream s(std::make_unique<MemorySource>(bad + good), skips);
  std::string first = drain(s);
  // Bytes before the damaged region are exact; the damaged region itself may decode to some
  // garbage before zlib notices, so only the first half is compared.
  ASSERT_GT(first.size(), text.size() / 2);
  EXPECT_LT(first.size(), text.size() + text.size() / 8);
  EXPECT_TRUE(first.compare(0, text.size() / 2, text, 0, text.size() / 2) == 0);
  ASSERT_TRUE(s.next_segment());
  ASSERT_TRUE(s.fill(1));
  EXPECT_EQ(s.offset_at(0), int64_t(bad.size()));
  EXPECT_EQ(drain(s), "after the break\n");
  EXPECT_FALSE(s.next_segment());
  ASSERT_EQ(skips.counts().count("gzip_corrupt"), 1u);
  EXPECT_EQ(skips.entries()[0].offset, 0);
}

TEST(DecodedStream, TruncatedMemberReportsAndEnds) {
  std::string gz = gzip(lines(300'000, 't'));
  SkipLog skips;
  DecodedStream s(std::make_unique<MemorySource>(gzip("ok\n") + gz.substr(0, gz.size() / 2)),
                  skips);
  std::string out = drain(s);
  EXPECT_EQ(out.substr(0, 3), "ok\n");
  EXPECT_GT(out.size(), 3u);
  EXPECT_FALSE(s.next_segment());
  EXPECT_EQ(skips.counts().at("gzip_truncated"), 1u);
}

TEST(FileSource, MissingFileThrowsAndRealFileReads) {
  EXPECT_THROW(FileSource("/nonexistent/file"), Error);
  FileSource f(std::string(WARCPAIRS_SHARED_DIR) + "/data/warc/wac-mutliple-headers.warc");
  EXPECT_EQ(f.size(), 1661u);
  char buf[8];
  ASSERT_EQ(f.read(buf, 8), 8u);
  EXPECT_EQ(std::string(buf, 8), "WARC/1.0");
}

}  // namespace
}  // namespace warcpairs::io
