// Every real WARC file in shared/data/warc: records per type, target URIs, HTTP statuses,
// decoded body bytes. Expectations come from an independent Python scan (gzip module +
// Content-Length framing, line-anchored header regexes), written next to each file name.
#include <gtest/gtest.h>

#include <map>
#include <sstream>

#include "test_warc.h"
#include "warcpairs/warc/http.h"

namespace warcpairs::warc {
namespace {

struct Expected {
  const char* file;
  int records;
  const char* types;        // "type=count,..." sorted by type name
  const char* first_uri;    // first non-empty WARC-Target-URI, brackets removed
  const char* statuses;     // HTTP status of every response record, in order
  uint64_t body_bytes;      // sum of decoded response bodies (chunked, gzip removed)
  int chunked_malformed;    // responses declaring chunked whose body is not chunked
  int not_http = 0;         // response records whose block is not an HTTP response
};

const Expected kFiles[] = {
    {"jwarc-cc.warc.gz", 1, "response=1", "http://commoncrawl.org/", "200", 20289, 0},
    {"jwarc-gzip_extra_sl.warc.gz", 1, "warcinfo=1", "", "", 0, 0},
    {"nw-parseMe.warc.gz", 30, "metadata=1,request=14,response=14,warcinfo=1",
     "http://stringjs.com/", "200,301,200,200,200,301,301,200,200,307,200,404,307,200", 173979, 4},
    {"pywb-example-extra.warc", 6, "request=2,response=2,revisit=2",
     "http://example.com?example=2", "200", 1270, 0, 1},  // one block starts "HTTPX/1.1"
    {"pywb-example-url-agnostic-revisit.warc.gz", 2, "revisit=1,warcinfo=1",
     "http://test@example.com/", "", 0, 0},
    {"pywb-example-wpull.warc.gz", 4, "request=1,resource=1,response=1,warcinfo=1",
     "http://example.com/", "200", 1270, 0},
    {"pywb-iana.warc.gz", 343, "request=171,response=48,revisit=123,warcinfo=1",
     "http://www.iana.org/",
     "200,200,200,200,200,200,200,200,200,200,200,200,200,200,200,200,200,200,200,200,200,302,"
     "200,200,302,200,200,200,200,200,200,200,302,200,200,200,200,200,200,200,200,200,200,200,"
     "200,302,200,200",
     2069892, 25},
    {"rp-block-sized-records.warc.gz", 3, "unknown=3", "", "", 0, 0},
    {"rp-warcfile.warc.gz", 50, "metadata=16,request=17,response=16,warcinfo=1",
     "http://003338.cn/l41/481397.html", "200,200,200,200,200,200,200,200,200,200,200,200,200,200,"
     "200,200", 513225, 0},
    {"wac-link-extraction-test.warc", 8, "response=7,warcinfo=1",
     "http://www.example.com/html4.html", "200,200,200,200,200,200,200", 9430, 0},
    {"wac-mutliple-headers.warc", 1, "response=1", "https://www.example.com/index.html/", "200",
     108, 0},
    {"wio-example-bad-non-chunked.warc.gz", 6, "request=2,response=1,revisit=1,warcinfo=2",
     "http://example.com/", "200", 1270, 0},
    {"wio-example-digest.warc", 4, "request=4", "http://example.com/", "", 0, 0},
    {"wio-example-iana.org-chunked.warc", 3, "request=1,response=1,warcinfo=1",
     "http://www.iana.org/", "200", 7223, 0},
    {"wio-example-resource.warc.gz", 3, "resource=1,warcinfo=2", "http://example.com/", "", 0, 0},
    {"wio-example-space-in-target-uri.warc.gz", 2, "resource=1,warcinfo=1",
     "file:///example with spaces.png", "", 0, 0},
    {"wio-example-wget-bad-target-uri.warc.gz", 6,
     "metadata=1,request=1,resource=2,response=1,warcinfo=1", "http://example.com/", "200", 1270,
     0},
    {"wio-example.warc.gz", 6, "request=2,response=1,revisit=1,warcinfo=2", "http://example.com/",
     "200", 1270, 0},
    {"wio-post-test.warc.gz", 6, "request=3,response=3", "http://httpbin.org/post", "200,200,200",
     1648, 0},
};

std::string path_of(const char* file) {
  return std::string(WARCPAIRS_SHARED_DIR) + "/data/warc/" + file;
}

class RealFile : public ::testing::TestWithParam<Expected> {};

TEST_P(RealFile, RecordsStatusesAndBodiesMatchTheIndependentScan) {
  const Expected& e = GetParam();
  SkipLog skips;
  Limits limits;
  WarcReader reader(path_of(e.file), limits, skips);
  HttpParser http(limits);
  HttpResponse resp;
  std::map<std::string, int> types;
  std::string first_uri, statuses, error;
  uint64_t body_bytes = 0;
  int records = 0, chunked_malformed = 0, not_http = 0;
  while (const WarcRecord* r = reader.next()) {
    ++records;
    ++types[std::string(to_string(r->type))];
    if (first_uri.empty()) first_uri = r->target_uri();
    if (r->type != RecordType::response) continue;
    if (!http.parse(r->block, resp, error)) {
      EXPECT_EQ(error, "http_not_response");
      ++not_http;
      continue;
    }
    statuses += (statuses.empty() ? "" : ",") + std::to_string(resp.status);
    body_bytes += resp.body.size();
    if (resp.problem == "chunked_malformed") ++chunked_malformed;
    else EXPECT_EQ(resp.problem, "") << e.file << " at " << r->offset;
  }
  std::string type_list;
  for (const auto& [t, n] : types) type_list += (type_list.empty() ? "" : ",") + t + "=" + std::to_string(n);
  EXPECT_EQ(records, e.records);
  EXPECT_EQ(reader.records_seen(), uint64_t(e.records));
  EXPECT_EQ(type_list, e.types);
  EXPECT_EQ(first_uri, e.first_uri);
  EXPECT_EQ(statuses, e.statuses);
  EXPECT_EQ(body_bytes, e.body_bytes);
  EXPECT_EQ(chunked_malformed, e.chunked_malformed);
  EXPECT_EQ(not_http, e.not_http);
  EXPECT_EQ(skips.total(), 0u) << (skips.entries().empty() ? "" : skips.entries()[0].reason);
  EXPECT_EQ(reader.file_bytes_consumed(), reader.file_size());
}

INSTANTIATE_TEST_SUITE_P(SharedData, RealFile, ::testing::ValuesIn(kFiles),
                         [](const auto& info) {
                           std::string n = info.param.file;
                           for (char& c : n)
                             if (!isalnum(static_cast<unsigned char>(c))) c = '_';
                           return n;
                         });

// Record offsets are gzip member starts (Python zlib walk of the members) or, for plain
// files, the byte where "WARC/1.0" starts.
TEST(RealFileOffsets, GzipMemberStartsAndPlainRecordStarts) {
  SkipLog skips;
  Limits limits;
  auto offsets = [&](const char* file) {
    WarcReader reader(path_of(file), limits, skips);
    std::vector<int64_t> out;
    for (const auto& s : testing::read_all(reader)) out.push_back(s.offset);
    return out;
  };
  auto nw = offsets("nw-parseMe.warc.gz");
  ASSERT_EQ(nw.size(), 30u);
  EXPECT_EQ(std::vector<int64_t>(nw.begin(), nw.begin() + 4), (std::vector<int64_t>{0, 459, 1394, 1956}));
  EXPECT_EQ(nw.back(), 70872);
  EXPECT_EQ(offsets("pywb-example-wpull.warc.gz"), (std::vector<int64_t>{0, 1619, 2031, 3181}));
  EXPECT_EQ(offsets("pywb-example-extra.warc"),
            (std::vector<int64_t>{0, 1991, 2701, 3207, 5199, 5910}));
  EXPECT_EQ(offsets("wac-link-extraction-test.warc"),
            (std::vector<int64_t>{0, 258, 1696, 2807, 3595, 5119, 8486, 10562}));
  // One member holding six records: every record reports the member's start.
  EXPECT_EQ(offsets("wio-example-bad-non-chunked.warc.gz"), std::vector<int64_t>(6, 0));
  EXPECT_EQ(skips.total(), 0u);
}

TEST(RealFileDetails, BracketsStrippedSpacesKeptFoldedCaseInsensitive) {
  SkipLog skips;
  Limits limits;
  WarcReader wget(path_of("wio-example-wget-bad-target-uri.warc.gz"), limits, skips);
  auto recs = testing::read_all(wget);
  ASSERT_EQ(recs.size(), 6u);
  EXPECT_EQ(recs[3].uri, "metadata://gnu.org/software/wget/warc/MANIFEST.txt");
  WarcReader space(path_of("wio-example-space-in-target-uri.warc.gz"), limits, skips);
  const WarcRecord* r = space.next();
  r = space.next();
  ASSERT_NE(r, nullptr);
  EXPECT_EQ(r->target_uri(), "file:///example with spaces.png");
  EXPECT_EQ(r->header("content-length"), r->header("CONTENT-LENGTH"));
  EXPECT_EQ(r->version, "WARC/1.0");
  WarcReader rp(path_of("rp-block-sized-records.warc.gz"), limits, skips);
  r = rp.next();
  ASSERT_NE(r, nullptr);
  EXPECT_EQ(r->version, "WARC/1.1");
  EXPECT_EQ(r->block.size(), 16229u);
  EXPECT_EQ(r->block.find_first_not_of('a'), std::string_view::npos);
  EXPECT_EQ(skips.total(), 0u);
}

TEST(RealFileDetails, RepeatedHttpHeaderNamesAreAllKept) {
  SkipLog skips;
  Limits limits;
  WarcReader reader(path_of("wac-mutliple-headers.warc"), limits, skips);
  const WarcRecord* r = reader.next();
  ASSERT_NE(r, nullptr);
  HttpParser http(limits);
  HttpResponse resp;
  std::string error;
  ASSERT_TRUE(http.parse(r->block, resp, error));
  std::map<std::string, int> names;
  for (const auto& h : resp.headers) ++names[std::string(h.name)];
  EXPECT_EQ(names["link"], 3);  // grep -c of the file: three link:, two x-powered-by:
  EXPECT_EQ(names["x-powered-by"], 2);
  int protocols = 0;
  for (const auto& h : r->headers) protocols += h.name == "WARC-Protocol";
  EXPECT_EQ(protocols, 2);
}

}  // namespace
}  // namespace warcpairs::warc
