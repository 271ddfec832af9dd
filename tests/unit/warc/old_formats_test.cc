// Older formats on real files of other projects (tests/data/warc-old, SOURCES.md): WARC/0.17
// (Heritrix 1.14), WARC/0.18 (ClueWeb09 layout) and ARC v1 (plain and gzip per record), read
// as WARC records; malformed ARC header lines counted with their offsets. Expected values
// come from a separate Python scan of the files (split on the header lines, Content-Length
// or Archive-length framing), written next to each check.
#include <gtest/gtest.h>

#include <map>

#include "test_warc.h"
#include "warcpairs/warc/http.h"

namespace warcpairs::warc {
namespace {
using testing::count;
using testing::read_bytes;

std::string path_of(const char* file) {
  return std::string(WARCPAIRS_SOURCE_DIR) + "/tests/data/warc-old/" + file;
}

std::string types_of(const std::vector<testing::Seen>& recs) {
  std::map<std::string, int> types;
  for (const auto& r : recs) ++types[std::string(to_string(r.type))];
  std::string out;
  for (const auto& [t, n] : types) out += (out.empty() ? "" : ",") + t + "=" + std::to_string(n);
  return out;
}

std::string arc_record(std::string_view url, std::string_view block,
                       std::string_view date = "20080430204825") {
  return std::string(url) + " 10.0.0.1 " + std::string(date) + " text/html " +
         std::to_string(block.size()) + "\n" + std::string(block) + "\n";
}

TEST(OldFormats, Warc017FromHeritrix) {
  SkipLog skips;
  WarcReader reader(path_of("aut-example-first40.warc.gz"), Limits{}, skips);
  const WarcRecord* r = reader.next();
  ASSERT_NE(r, nullptr);
  EXPECT_EQ(r->version, "WARC/0.17");
  EXPECT_EQ(r->type, RecordType::warcinfo);
  EXPECT_EQ(r->block.size(), 483u);
  auto recs = testing::read_all(reader);
  ASSERT_EQ(recs.size(), 39u);
  EXPECT_EQ(types_of(recs), "metadata=12,request=12,response=15");
  EXPECT_EQ(recs[0].uri, "dns:www.archive.org");
  EXPECT_EQ(recs[0].offset, 463);  // gzip member starts
  EXPECT_EQ(recs[4].uri, "http://www.archive.org/");
  EXPECT_EQ(recs[4].offset, 2052);
  EXPECT_EQ(recs.back().offset, 47428);
  EXPECT_EQ(skips.total(), 0u);
  EXPECT_EQ(reader.file_bytes_consumed(), reader.file_size());
  // The page with 52 <img> tags: its HTTP response parses, body and all.
  WarcReader again(path_of("aut-example-first40.warc.gz"), Limits{}, skips);
  again.seek(3380);
  r = again.next();
  ASSERT_NE(r, nullptr);
  EXPECT_EQ(r->target_uri(), "http://www.archive.org/index.php");
  EXPECT_EQ(r->date(), "2008-04-30T20:48:26Z");
  HttpParser http{Limits{}};
  HttpResponse resp;
  std::string error;
  ASSERT_TRUE(http.parse(r->block, resp, error));
  EXPECT_EQ(resp.status, 200);
  std::size_t imgs = 0;
  for (std::size_t p = resp.body.find("<img"); p != std::string_view::npos;
       p = resp.body.find("<img", p + 1))
    ++imgs;
  EXPECT_EQ(imgs, 52u);
}

TEST(OldFormats, Warc018InClueWeb09Layout) {
  SkipLog skips;
  WarcReader reader(path_of("anserini-cw09-segment1.warc.gz"), Limits{}, skips);
  const WarcRecord* info = reader.next();
  ASSERT_NE(info, nullptr);
  EXPECT_EQ(info->version, "WARC/0.18");
  EXPECT_EQ(info->type, RecordType::warcinfo);
  EXPECT_EQ(info->block.size(), 219u);  // the next record follows its block directly
  const WarcRecord* r = reader.next();
  ASSERT_NE(r, nullptr);
  EXPECT_EQ(r->version, "WARC/0.18");
  EXPECT_EQ(r->type, RecordType::response);
  EXPECT_EQ(r->target_uri(), "http://clueweb09.test.com/");
  EXPECT_EQ(r->date(), "2009-03-65T08:43:19-0800");  // as ClueWeb09 wrote it: kept, not judged
  EXPECT_EQ(r->header("WARC-TREC-ID"), "clueweb09-az0000-00-00000");
  EXPECT_EQ(r->block.size(), 345u);
  HttpParser http{Limits{}};
  HttpResponse resp;
  std::string error;
  ASSERT_TRUE(http.parse(r->block, resp, error));
  EXPECT_EQ(resp.body, "<html>\nwhatever here will be included\n</html>\n");
  EXPECT_EQ(reader.next(), nullptr);
  EXPECT_EQ(skips.total(), 0u);
}

TEST(OldFormats, ArcV1FromHeritrix) {
  SkipLog skips;
  WarcReader reader(path_of("wac-IAH-20080430204825-00000-blackbook-truncated.arc"), Limits{},
                    skips);
  auto recs = testing::read_all(reader);
  ASSERT_EQ(recs.size(), 9u);
  EXPECT_EQ(types_of(recs), "resource=1,response=7,warcinfo=1");
  const std::vector<int64_t> offsets{0, 1399, 1515, 2376, 3124, 32203, 34252, 35773, 36420};
  const std::vector<std::size_t> sizes{1300, 56, 782, 680, 29000, 1963, 1424, 564, 50832};
  for (std::size_t i = 0; i < recs.size(); ++i) {
    EXPECT_EQ(recs[i].offset, offsets[i]) << i;
    EXPECT_EQ(recs[i].block.size(), sizes[i]) << i;
  }
  EXPECT_EQ(recs[0].uri, "filedesc://IAH-20080430204825-00000-blackbook-truncated.arc");
  EXPECT_EQ(recs[1].uri, "dns:www.archive.org");
  EXPECT_EQ(recs[1].type, RecordType::resource);
  EXPECT_EQ(recs[4].uri, "http://www.archive.org/index.php");
  EXPECT_EQ(recs[4].type, RecordType::response);
  EXPECT_EQ(recs[4].block.substr(0, 15), "HTTP/1.1 200 OK");
  EXPECT_EQ(skips.total(), 0u);
  EXPECT_EQ(reader.file_bytes_consumed(), reader.file_size());

  // The synthesized WARC fields, and a seek to a record found earlier (a resumed file).
  WarcReader again(path_of("wac-IAH-20080430204825-00000-blackbook-truncated.arc"), Limits{},
                   skips);
  again.set_type_filter({RecordType::response});
  again.seek(35773);
  const WarcRecord* r = again.next();
  ASSERT_NE(r, nullptr);
  EXPECT_EQ(r->version, "ARC");
  EXPECT_EQ(r->target_uri(), "http://www.archive.org/images/star.png");
  EXPECT_EQ(r->date(), "2008-04-30T20:48:30Z");
  EXPECT_EQ(r->header("WARC-Type"), "response");
  EXPECT_EQ(r->header("WARC-IP-Address"), "207.241.229.39");
  EXPECT_EQ(r->content_type(), "application/http; msgtype=response");
  EXPECT_EQ(r->header("Content-Length"), "564");
  EXPECT_EQ(r->record_id(), "");  // ARC has none
  r = again.next();
  ASSERT_NE(r, nullptr);
  EXPECT_EQ(r->offset, 36420);
  EXPECT_EQ(again.next(), nullptr);
  EXPECT_EQ(skips.total(), 0u);
}

TEST(OldFormats, ArcPlainAndGzipPerRecordFromWarcio) {
  for (const char* file : {"wio-example.arc", "wio-example.arc.gz"}) {
    SkipLog skips;
    WarcReader reader(path_of(file), Limits{}, skips);
    auto recs = testing::read_all(reader);
    ASSERT_EQ(recs.size(), 2u) << file;
    EXPECT_EQ(recs[0].type, RecordType::warcinfo);
    EXPECT_EQ(recs[0].block.size(), 75u);
    EXPECT_EQ(recs[1].type, RecordType::response);
    EXPECT_EQ(recs[1].uri, "http://example.com/");
    EXPECT_EQ(recs[1].block.size(), 1591u);
    EXPECT_EQ(recs[1].offset, std::string(file).ends_with(".gz") ? 171 : 151);  // member / line
    HttpParser http{Limits{}};
    HttpResponse resp;
    std::string error;
    ASSERT_TRUE(http.parse(recs[1].block, resp, error));
    EXPECT_EQ(resp.body.size(), 1270u);  // its Content-Length
    EXPECT_EQ(resp.header("Content-Type"), "text/html");
    EXPECT_EQ(skips.total(), 0u) << file;
  }
  // Spaces inside the URL; this file is also cut 12 bytes short of its Archive-length (1873
  // bytes, the record's block starts at 294 and declares 1591).
  SkipLog skips;
  WarcReader space(path_of("wio-example-space-in-url.arc"), Limits{}, skips);
  auto recs = testing::read_all(space);
  ASSERT_EQ(recs.size(), 1u);
  ASSERT_EQ(count(skips, "record_truncated"), 1u);
  EXPECT_EQ(skips.entries()[0].offset, 151);
  const std::string spaced =
      arc_record("http://a.example/?q=two words&x=1", "HTTP/1.0 200 OK\r\n\r\n");
  SkipLog whole;
  recs = read_bytes(arc_record("filedesc://x.arc", "1 0 T\n") + spaced, whole);
  ASSERT_EQ(recs.size(), 2u);
  EXPECT_EQ(recs[1].uri, "http://a.example/?q=two words&x=1");
  EXPECT_EQ(recs[1].type, RecordType::response);
  EXPECT_EQ(whole.total(), 0u);
  SkipLog headless;  // no version block first: not taken for ARC
  EXPECT_TRUE(read_bytes(spaced, headless).empty());
  EXPECT_EQ(count(headless, "not_warc"), 1u);
}

TEST(OldFormats, MalformedArcHeadersAreCountedWithOffsets) {
  // warcio's bad.arc: lengths -1 and "abc", an 18-digit date; one good record between.
  SkipLog skips;
  WarcReader reader(path_of("wio-bad.arc"), Limits{}, skips);
  auto recs = testing::read_all(reader);
  ASSERT_EQ(recs.size(), 1u);
  EXPECT_EQ(recs[0].uri, "http://example.com/");
  EXPECT_EQ(recs[0].block, "\n");
  ASSERT_EQ(count(skips, "arc_header_malformed"), 2u);  // once per run of bad lines
  EXPECT_EQ(skips.entries()[0].offset, 0);
  EXPECT_EQ(skips.entries()[1].offset, 262);
  EXPECT_EQ(skips.total(), 2u);
}

TEST(OldFormats, ArcDamageIsCountedAndTheNextRecordRecovered) {
  const std::string desc = arc_record("filedesc://x.arc", "1 0 Test\nURL IP-address Archive-date "
                                      "Content-type Archive-length\n\n");
  const std::string page = arc_record("http://a.example/", "HTTP/1.0 200 OK\r\n\r\n<img src=a>");
  const std::string other = arc_record("http://b.example/", "HTTP/1.0 404 Not Found\r\n\r\n");
  // Garbage lines between records, then a header with a date that is not one.
  SkipLog skips;
  auto recs = read_bytes(desc + page + "garbage line\nmore of it\n" + other +
                             arc_record("http://c.example/", "x", "2008-04-30") + page,
                         skips);
  ASSERT_EQ(recs.size(), 4u);
  EXPECT_EQ(recs[1].uri, "http://a.example/");
  EXPECT_EQ(recs[2].uri, "http://b.example/");
  EXPECT_EQ(recs[3].uri, "http://a.example/");
  EXPECT_EQ(count(skips, "arc_header_malformed"), 2u);  // garbage; bad date (its block "x" quiet)
  EXPECT_EQ(skips.entries()[0].offset, int64_t(desc.size() + page.size()));
  // A block cut short by the end of the file.
  SkipLog cut;
  std::string whole = desc + page;
  recs = read_bytes(whole.substr(0, whole.size() - 5), cut);
  EXPECT_EQ(recs.size(), 1u);
  EXPECT_EQ(count(cut, "record_truncated"), 1u);
  // gzip per record with one member damaged: that record is lost, the next one read.
  SkipLog gz;
  std::string bad = testing::gzip(page);
  bad[bad.size() / 2] ^= 0x55;
  recs = read_bytes(testing::gzip(desc) + bad + testing::gzip(other), gz);
  ASSERT_GE(recs.size(), 2u);
  EXPECT_EQ(recs.back().uri, "http://b.example/");
  EXPECT_GE(gz.total(), 1u);
  // A header line longer than the header cap, and a record over the record cap.
  Limits small;
  small.max_warc_header_bytes = 256;
  small.max_record_bytes = 100;
  SkipLog caps;
  recs = read_bytes(desc + std::string(1000, 'u') + "\n" +
                        arc_record("http://big.example/", std::string(500, 'b')) + other,
                    caps, small);
  ASSERT_EQ(recs.size(), 2u);
  EXPECT_EQ(recs[1].uri, "http://b.example/");
  EXPECT_EQ(count(caps, "warc_header_too_large"), 1u);
  EXPECT_EQ(count(caps, "record_too_large"), 1u);
}

TEST(OldFormats, DraftVersionsInWarcFilesAndResync) {
  // WARC/0.17 and 0.18 records mixed with 1.0 in one file; garbage resyncs on any of them.
  std::string block = "HTTP/1.1 200 OK\r\n\r\nhi";
  SkipLog skips;
  auto recs = read_bytes(testing::record("response", "http://a/", block, "WARC/0.17") +
                             "junk junk\r\n" +
                             testing::record("response", "http://b/", block, "WARC/0.18") +
                             testing::record("response", "http://c/", block, "WARC/1.0"),
                         skips);
  ASSERT_EQ(recs.size(), 3u);
  EXPECT_EQ(recs[1].uri, "http://b/");
  EXPECT_EQ(count(skips, "content_length_mismatch") + count(skips, "warc_garbage"), 1u);
  // "WARC/" alone, or a version that is no number, is no record start.
  SkipLog not_warc;
  EXPECT_TRUE(read_bytes("WARC/x.1\r\nContent-Length: 0\r\n\r\n", not_warc).empty());
  EXPECT_EQ(count(not_warc, "not_warc"), 1u);
}

}  // namespace
}  // namespace warcpairs::warc
