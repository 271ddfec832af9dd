// WarcReader on synthetic input: each corruption the reader must survive, compression
// variants giving the same records, seek(), the type filter, caps.
#include <gtest/gtest.h>

#include "test_warc.h"

namespace warcpairs::warc {
namespace {
using testing::count;
using testing::gzip;
using testing::read_bytes;
using testing::record;

const std::string kA = record("response", "http://a.example/", "HTTP/1.1 200 OK\r\n\r\nalpha");
const std::string kB = record("request", "<http://b.example/x y>", "GET /x HTTP/1.1\r\n\r\n", "WARC/1.0");
const std::string kC = record("metadata", "http://c.example/", std::string(3000, 'c'));

TEST(ReaderEdges, PlainGzipPerRecordAndWholeFileGzipGiveTheSameRecords) {
  SkipLog skips;
  auto plain = read_bytes(kA + kB + kC, skips);
  auto per_record = read_bytes(gzip(kA) + gzip(kB) + gzip(kC), skips);
  auto whole = read_bytes(gzip(kA + kB + kC), skips);
  auto two_per_member = read_bytes(gzip(kA + kB) + gzip(kC), skips);
  ASSERT_EQ(plain.size(), 3u);
  EXPECT_EQ(plain[1].uri, "http://b.example/x y");  // brackets removed, space kept
  EXPECT_EQ(plain[0].block, "HTTP/1.1 200 OK\r\n\r\nalpha");
  for (const auto* other : {&per_record, &whole, &two_per_member}) {
    ASSERT_EQ(other->size(), 3u);
    for (int i = 0; i < 3; ++i) {
      EXPECT_EQ((*other)[i].block, plain[i].block);
      EXPECT_EQ((*other)[i].type, plain[i].type);
      EXPECT_EQ((*other)[i].uri, plain[i].uri);
    }
  }
  EXPECT_EQ(plain[2].offset, int64_t(kA.size() + kB.size()));
  EXPECT_EQ(per_record[2].offset, int64_t(gzip(kA).size() + gzip(kB).size()));
  EXPECT_EQ(whole[2].offset, 0);
  EXPECT_EQ(two_per_member[1].offset, 0);
  EXPECT_EQ(two_per_member[2].offset, int64_t(gzip(kA + kB).size()));
  EXPECT_EQ(skips.total(), 0u);
}

TEST(ReaderEdges, FoldedAndLowerCaseHeaderFields) {
  std::string r = "WARC/1.0\r\nwarc-type: resource\r\nWARC-Target-URI: http://x/\r\nX-Note: one\r\n"
                  "  two\r\n\tthree\r\ncontent-length: 3\r\n\r\nabc\r\n\r\n";
  SkipLog skips;
  WarcReader reader(std::make_unique<io::MemorySource>(r), Limits{}, skips);
  const WarcRecord* rec = reader.next();
  ASSERT_NE(rec, nullptr);
  EXPECT_EQ(rec->type, RecordType::resource);
  EXPECT_EQ(rec->header("x-note"), "one two three");
  EXPECT_EQ(rec->block, "abc");
  EXPECT_EQ(reader.next(), nullptr);
  EXPECT_EQ(skips.total(), 0u);
}

TEST(ReaderEdges, GarbageBetweenRecordsIsReportedOnceAndSkipped) {
  SkipLog skips;
  auto recs = read_bytes(kA + "junk junk\r\nmore junk WARC/1.0 not at line start\r\n" + kB, skips);
  ASSERT_EQ(recs.size(), 2u);
  EXPECT_EQ(recs[1].uri, "http://b.example/x y");
  EXPECT_EQ(count(skips, "warc_garbage"), 1u);
  EXPECT_EQ(skips.entries()[0].offset, int64_t(kA.size()));
  EXPECT_EQ(skips.entries()[0].file, "mem.warc");
}

TEST(ReaderEdges, AFileThatDoesNotStartWithARecordIsNotAWarcFile) {
  const std::string png = std::string("\x89PNG\r\n\x1a\n\0\0\0\rIHDR", 16) + std::string(500, '\x7f');
  for (const std::string& bytes : {png, gzip(png)}) {
    SkipLog skips;
    EXPECT_TRUE(read_bytes(bytes, skips).empty());
    EXPECT_EQ(count(skips, "not_warc"), 1u);
    EXPECT_EQ(count(skips, "warc_garbage"), 0u);
    EXPECT_EQ(skips.entries().at(0).offset, 0);
  }
  SkipLog skips;  // records after a foreign head are still read
  EXPECT_EQ(read_bytes(png + "\n" + kA, skips).size(), 1u);
  EXPECT_EQ(count(skips, "not_warc"), 1u);
  EXPECT_EQ(skips.total(), 1u);
}

TEST(ReaderEdges, EmptyFilesHoldNoRecordsAndNoSkips) {
  for (const std::string& bytes : {std::string(), gzip(""), std::string("\r\n\r\n")}) {
    SkipLog skips;
    EXPECT_TRUE(read_bytes(bytes, skips).empty());
    EXPECT_EQ(skips.total(), 0u);
  }
}

TEST(ReaderEdges, GarbageBetweenGzipMembersIsSkippedToTheNextMember) {
  SkipLog skips;
  std::string bytes = gzip(kA) + "\x01\x02garbage\x1f\x8b" + gzip(kB) + gzip(kC);
  auto recs = read_bytes(bytes, skips);
  ASSERT_EQ(recs.size(), 3u);
  EXPECT_EQ(recs[1].offset, int64_t(gzip(kA).size() + 11));
  EXPECT_EQ(count(skips, "gzip_garbage"), 1u);
  EXPECT_EQ(skips.total(), 1u);
}

TEST(ReaderEdges, ContentLengthTooLongOrTooShortIsDetectedAndResynced) {
  std::string too_long = kA;
  too_long.replace(too_long.find("Content-Length: 24"), 18, "Content-Length: 40");
  std::string too_short = kA;
  too_short.replace(too_short.find("Content-Length: 24"), 18, "Content-Length: 10");
  for (const std::string& bad : {too_long, too_short}) {
    SkipLog skips;
    auto plain = read_bytes(bad + kB + kC, skips);
    ASSERT_EQ(plain.size(), 2u);
    EXPECT_EQ(plain[0].type, RecordType::request);
    EXPECT_EQ(count(skips, "content_length_mismatch"), 1u);
    EXPECT_EQ(skips.total(), 1u);
    auto gz = read_bytes(gzip(bad) + gzip(kB) + gzip(kC), skips);
    ASSERT_EQ(gz.size(), 2u);
    EXPECT_EQ(gz[0].offset, int64_t(gzip(bad).size()));
    EXPECT_EQ(count(skips, "content_length_mismatch"), 2u);
  }
}

TEST(ReaderEdges, BareNewlineTerminatorAndMissingTerminatorAreTolerated) {
  std::string bare = kA.substr(0, kA.size() - 4) + "\n\n";
  std::string none = kA.substr(0, kA.size() - 4);
  SkipLog skips;
  EXPECT_EQ(read_bytes(bare + kB + none + kC + none, skips).size(), 5u);
  EXPECT_EQ(read_bytes(gzip(none) + gzip(kB), skips).size(), 2u);
  EXPECT_EQ(skips.total(), 0u);
}

TEST(ReaderEdges, TruncatedFinalRecordAndTruncatedGzip) {
  std::string all = kA + kC;
  SkipLog skips;
  auto plain = read_bytes(all.substr(0, all.size() - 100), skips);
  ASSERT_EQ(plain.size(), 1u);
  EXPECT_EQ(count(skips, "record_truncated"), 1u);
  EXPECT_EQ(skips.entries()[0].offset, int64_t(kA.size()));
  SkipLog gz_skips;
  std::string gz = gzip(kA) + gzip(kC);
  auto recs = read_bytes(gz.substr(0, gz.size() - gzip(kC).size() / 2), gz_skips);
  ASSERT_EQ(recs.size(), 1u);
  EXPECT_EQ(count(gz_skips, "gzip_truncated"), 1u);
  // Whole-file gzip cut short: the records decoded before the cut are still returned.
  SkipLog whole_skips;
  std::string whole = gzip(kA + kB + kC, 0);  // stored blocks: the cut lands inside kC
  auto partial = read_bytes(whole.substr(0, whole.size() - 1000), whole_skips);
  ASSERT_EQ(partial.size(), 2u);
  EXPECT_EQ(count(whole_skips, "gzip_truncated"), 1u);
  EXPECT_EQ(count(whole_skips, "record_truncated"), 1u);
}

TEST(ReaderEdges, CorruptGzipMemberIsSkippedAndReadingGoesOn) {
  std::string a = gzip(kA), c = gzip(kC);
  std::string bad = gzip(kB);
  bad[10] = '\xff';  // first deflate block header: BTYPE 11 is reserved (RFC 1951 §3.2.3)
  SkipLog skips;
  auto recs = read_bytes(a + bad + c, skips);
  ASSERT_EQ(recs.size(), 2u);
  EXPECT_EQ(recs[1].type, RecordType::metadata);
  EXPECT_EQ(recs[1].offset, int64_t(a.size() + bad.size()));
  EXPECT_EQ(count(skips, "gzip_corrupt"), 1u);
  EXPECT_EQ(skips.entries()[0].offset, int64_t(a.size()));
}

TEST(ReaderEdges, GzipMemberWithExtraNameAndCommentFields) {
  std::string m = gzip(kA);
  // FLG = FEXTRA|FNAME|FCOMMENT (RFC 1952 §2.3.1): XLEN 4 bytes of extra, a name, a comment.
  std::string with = m.substr(0, 3) + char(0x04 | 0x08 | 0x10) + m.substr(4, 6) +
                     std::string("\x04\x00sl\x00\x00", 6) + "name.warc" + '\0' + "hi" + '\0' +
                     m.substr(10);
  SkipLog skips;
  auto recs = read_bytes(with + gzip(kB), skips);
  ASSERT_EQ(recs.size(), 2u);
  EXPECT_EQ(recs[1].offset, int64_t(with.size()));
  EXPECT_EQ(skips.total(), 0u);
}

TEST(ReaderEdges, OversizeHeaderAndRecordAreSkipped) {
  Limits limits;
  limits.max_warc_header_bytes = 200;
  limits.max_record_bytes = 1000;
  std::string big_header = "WARC/1.0\r\nWARC-Type: resource\r\nX-Pad: " + std::string(400, 'p') +
                           "\r\nContent-Length: 1\r\n\r\nz\r\n\r\n";
  SkipLog skips;
  auto recs = read_bytes(big_header + kA + kC + kB, skips, limits);
  ASSERT_EQ(recs.size(), 2u);
  EXPECT_EQ(recs[1].type, RecordType::request);
  EXPECT_EQ(count(skips, "warc_header_too_large"), 1u);
  EXPECT_EQ(count(skips, "record_too_large"), 1u);
  EXPECT_EQ(skips.total(), 2u);
  auto gz = read_bytes(gzip(big_header) + gzip(kA) + gzip(kC) + gzip(kB), skips, limits);
  EXPECT_EQ(gz.size(), 2u);
  EXPECT_EQ(count(skips, "record_too_large"), 2u);
}

TEST(ReaderEdges, MalformedHeaderIsSkipped) {
  std::string no_length = "WARC/1.0\r\nWARC-Type: resource\r\n\r\nabc\r\n\r\n";
  std::string bad_length = "WARC/1.0\r\nContent-Length: 12x\r\n\r\nabc\r\n\r\n";
  SkipLog skips;
  auto recs = read_bytes(no_length + kA + bad_length + kB, skips);
  ASSERT_EQ(recs.size(), 2u);
  EXPECT_EQ(count(skips, "warc_header_malformed"), 2u);
  EXPECT_EQ(skips.total(), 2u);
}

TEST(ReaderEdges, TypeFilterStepsOverOtherRecords) {
  for (bool gz : {false, true}) {
    SkipLog skips;
    std::string bytes = gz ? gzip(kA) + gzip(kC) + gzip(kB) + gzip(kC) : kA + kC + kB + kC;
    WarcReader reader(std::make_unique<io::MemorySource>(bytes), Limits{}, skips);
    reader.set_type_filter({RecordType::request, RecordType::response});
    auto recs = testing::read_all(reader);
    ASSERT_EQ(recs.size(), 2u);
    EXPECT_EQ(recs[1].type, RecordType::request);
    EXPECT_EQ(reader.records_seen(), 4u);
    EXPECT_EQ(skips.total(), 0u);
  }
}

TEST(ReaderEdges, SeekReturnsTheRecordAtAnEarlierOffset) {
  for (bool gz : {false, true}) {
    SkipLog skips;
    std::string bytes = gz ? gzip(kA) + gzip(kB) + gzip(kC) : kA + kB + kC;
    WarcReader reader(std::make_unique<io::MemorySource>(bytes), Limits{}, skips);
    auto all = testing::read_all(reader);
    ASSERT_EQ(all.size(), 3u);
    for (int i : {2, 0, 1}) {
      reader.seek(all[i].offset);
      const WarcRecord* r = reader.next();
      ASSERT_NE(r, nullptr);
      EXPECT_EQ(r->block, all[i].block);
      EXPECT_EQ(r->offset, all[i].offset);
    }
    EXPECT_EQ(reader.compression(), gz ? Compression::gzip : Compression::none);
  }
}

TEST(ReaderEdges, RecordsSharingOneMemberAreToldApartAndSeekable) {
  // Whole-file gzip: one member, three records. Each keeps the member's file offset (0) and
  // its own offset inside the decoded member; seek(offset, member_offset) lands on it.
  SkipLog skips;
  const std::string bytes = gzip(kA + kB + kC);
  WarcReader reader(std::make_unique<io::MemorySource>(bytes), Limits{}, skips);
  auto all = testing::read_all(reader);
  ASSERT_EQ(all.size(), 3u);
  const int64_t a = static_cast<int64_t>(kA.size()), b = static_cast<int64_t>(kB.size());
  EXPECT_EQ(all[0].member_offset, 0);
  EXPECT_EQ(all[1].member_offset, a);
  EXPECT_EQ(all[2].member_offset, a + b);
  for (const auto& r : all) EXPECT_EQ(r.offset, 0);
  for (int i : {2, 1, 0}) {
    reader.seek(all[i].offset, all[i].member_offset);
    const WarcRecord* r = reader.next();
    ASSERT_NE(r, nullptr);
    EXPECT_EQ(r->block, all[i].block);
    EXPECT_EQ(r->member_offset, all[i].member_offset);
  }
  // Gzip per record: member offsets are all 0.
  WarcReader per_record(std::make_unique<io::MemorySource>(gzip(kA) + gzip(kB)), Limits{}, skips);
  for (const auto& r : testing::read_all(per_record)) EXPECT_EQ(r.member_offset, 0);
  EXPECT_EQ(skips.total(), 0u);
}

TEST(ReaderEdges, EmptyAndTinyInputs) {
  SkipLog skips;
  EXPECT_TRUE(read_bytes("", skips).empty());
  EXPECT_TRUE(read_bytes("\r\n\r\n", skips).empty());
  EXPECT_EQ(skips.total(), 0u);
  EXPECT_TRUE(read_bytes("WAR", skips).empty());
  EXPECT_TRUE(read_bytes("\x1f\x8b", skips).empty());
  EXPECT_TRUE(read_bytes("WARC/1.0\r\nContent-Length: 5\r\n", skips).empty());
  EXPECT_GE(skips.total(), 3u);
}

TEST(ReaderEdges, MissingFileThrows) {
  SkipLog skips;
  EXPECT_THROW(WarcReader("/nonexistent/x.warc.gz", Limits{}, skips), Error);
}

}  // namespace
}  // namespace warcpairs::warc
