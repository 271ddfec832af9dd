// CDXJ lines against cdxj-indexer's documented output (test/test_indexer.py), timestamps
// against warcio's timeutils doctests, and the in-memory index: nearest capture, revisits.
#include "warcpairs/warc/cdxj.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>

#include "warcpairs/warc/writer.h"

namespace fs = std::filesystem;
using namespace warcpairs;
using namespace warcpairs::warc;

// The two lines cdxj-indexer's test_warc_cdxj expects for warcio's example.warc.gz.
TEST(Cdxj, LineBytesAsCdxjIndexerWritesThem) {
  CdxjEntry e;
  e.urlkey = "com,example)/";
  e.timestamp = "20170306040206";
  e.url = "http://example.com/";
  e.mime = "text/html";
  e.status = "200";
  e.digest = "G7HRM7BGOKSKMSXZAHMUQTTV53QOFSMK";
  e.length = 1242;
  e.offset = 784;
  e.filename = "example.warc.gz";
  EXPECT_EQ(format_cdxj_line(e),
            "com,example)/ 20170306040206 {\"url\": \"http://example.com/\", \"mime\": "
            "\"text/html\", \"status\": \"200\", \"digest\": \"G7HRM7BGOKSKMSXZAHMUQTTV53QOFSMK\", "
            "\"length\": \"1242\", \"offset\": \"784\", \"filename\": \"example.warc.gz\"}");
  // test_warc_all_cdxj: a warcinfo line has no url, status or digest keys.
  CdxjEntry info;
  info.urlkey = "-";
  info.timestamp = "20170306040353";
  info.mime = "application/warc-fields";
  info.length = 353;
  info.filename = "example.warc.gz";
  EXPECT_EQ(format_cdxj_line(info),
            "- 20170306040353 {\"mime\": \"application/warc-fields\", \"length\": \"353\", "
            "\"offset\": \"0\", \"filename\": \"example.warc.gz\"}");
}

// Python's json.dumps(ensure_ascii=True): non-ASCII as \uXXXX (surrogate pairs), controls
// escaped, '/' not.
TEST(Cdxj, JsonEscapesAsPython) {
  static const char kUrl[] = "http://b\xc3\xbc" "cher.ch/\xf0\x9f\x98\x80\"q\\\t\x7f";
  CdxjEntry e{"k", "20240101000000", std::string(kUrl, sizeof kUrl - 1), {}, {}, {}, 0, 0, "f"};
  EXPECT_EQ(format_cdxj_line(e),
            "k 20240101000000 {\"url\": \"http://b\\u00fccher.ch/\\ud83d\\ude00\\\"q\\\\\\t\\u007f\", "
            "\"length\": \"0\", \"offset\": \"0\", \"filename\": \"f\"}");
  CdxjEntry back;
  std::string err;
  ASSERT_TRUE(parse_cdxj_line(format_cdxj_line(e), back, err)) << err;
  EXPECT_EQ(back.url, e.url);
}

TEST(Cdxj, TimestampsAsWarcio) {
  EXPECT_EQ(cdxj_timestamp("2013-12-26T10:11:12Z"), "20131226101112");
  EXPECT_EQ(cdxj_timestamp("2013-12-26T10:11:12.456789Z"), "20131226101112");
  EXPECT_EQ(cdxj_timestamp("2013-12-26T10:11:12"), "20131226101112");
  EXPECT_EQ(cdxj_timestamp("2013-12-26"), "20131226000000");
  EXPECT_EQ(cdxj_timestamp("yesterday"), "");
}

TEST(Cdxj, ParseRejectsWhatIsNotALine) {
  CdxjEntry e;
  std::string err;
  EXPECT_FALSE(parse_cdxj_line("com,example)/ 2017", e, err));
  EXPECT_FALSE(parse_cdxj_line("com,example)/ 2017 {not json", e, err));
  EXPECT_FALSE(parse_cdxj_line("com,example)/ 2017 {\"url\": \"x\"}", e, err));  // no offset
  EXPECT_TRUE(parse_cdxj_line(
      "com,example)/ 20170306040206 {\"url\": \"http://example.com/\", \"length\": \"5\", "
      "\"offset\": \"7\", \"filename\": \"a.warc.gz\"}\n", e, err));
  EXPECT_EQ(e.offset, 7);
  EXPECT_EQ(e.length, 5);
}

// A file written with the writer, indexed: entry per indexed record type, offsets and lengths
// of the gzip members, digests without "sha1:", revisit and status and mime as pywb.
TEST(Cdxj, IndexOfAWrittenFileAndLookups) {
  fs::path dir = fs::temp_directory_path() / ("warcpairs-cdxj-" + std::to_string(::getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir);
  std::string path = (dir / "x.warc.gz").string();
  WarcFileWriter w(path);
  std::vector<WrittenRecord> recs;
  recs.push_back(w.write_warcinfo("2024-05-01T12:00:00Z", "software: t\r\n"));
  const std::string head = "HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\n\r\n";
  recs.push_back(w.write_request({{"http://www.example.com/a", "2024-05-01T12:00:01Z", {}, {}, {}},
                                  "GET /a HTTP/1.1\r\n\r\n", ""}));
  recs.push_back(w.write_response({{"http://www.example.com/a", "2024-05-01T12:00:01Z", {}, {}, {}}, head, "<p>A</p>"}));
  recs.push_back(w.write_response({{"http://www.example.com/a", "2024-06-01T12:00:00Z", {}, {}, {}}, head, "<p>A2</p>"}));
  recs.push_back(w.write_revisit({{"http://www.example.com/a", "2024-07-01T00:00:00Z", {}, {}, {}},
                                  "HTTP/1.1 200 OK\r\n\r\n", recs[2].payload_digest,
                                  "http://www.example.com/a", "2024-05-01T12:00:01Z", {}}));
  recs.push_back(w.write_revisit({{"http://example.com/copy", "2024-07-02T00:00:00Z", {}, {}, {}},
                                  "HTTP/1.1 200 OK\r\n\r\n", recs[3].payload_digest,
                                  "http://www.example.com/a", "2024-06-01T12:00:00Z", {}}));
  recs.push_back(w.write_resource({"http://example.com/r.txt", "2024-05-01T12:00:02Z", {}, {}, {}},
                                  "text/plain", "res"));
  recs.push_back(w.write_metadata({"http://example.com/a", "2024-05-01T12:00:02Z", {}, {}, {}},
                                  "application/warc-fields", "via: x\r\n"));
  w.finish();

  SkipLog skips;
  uint64_t read = 0;
  std::vector<CdxjEntry> entries = index_warc_file(path, "x.warc.gz", Limits{}, skips, &read);
  EXPECT_EQ(read, recs.size());
  ASSERT_EQ(entries.size(), 5u);  // 2 responses, 2 revisits, 1 resource
  for (const CdxjEntry& e : entries) {
    bool found = false;
    for (const WrittenRecord& r : recs)
      if (r.offset == e.offset) {
        found = true;
        EXPECT_EQ(e.length, r.length) << e.url;
      }
    EXPECT_TRUE(found) << e.offset;
    EXPECT_EQ(e.filename, "x.warc.gz");
  }
  const CdxjEntry& first = entries[0];
  EXPECT_EQ(first.urlkey, "com,example)/a");
  EXPECT_EQ(first.timestamp, "20240501120001");
  EXPECT_EQ(first.mime, "text/html");
  EXPECT_EQ(first.status, "200");
  EXPECT_EQ(first.digest, recs[2].payload_digest.substr(5));

  std::string cdxj = (dir / "x.cdxj").string();
  write_cdxj_file(cdxj, entries);
  CdxjIndex index;
  index.load(cdxj);
  index.seal();
  EXPECT_EQ(index.size(), 5u);
  EXPECT_EQ(index.bad_lines(), 0u);
  // Nearest capture by time; the URL is matched by its SURT key ("www." and case ignored).
  const CdxjEntry* near_may = index.find("http://EXAMPLE.com/a", "20240502");
  ASSERT_NE(near_may, nullptr);
  EXPECT_EQ(near_may->offset, recs[2].offset);
  const CdxjEntry* near_june = index.find("http://www.example.com/a", "20240615");
  ASSERT_NE(near_june, nullptr);
  EXPECT_EQ(near_june->offset, recs[3].offset);
  // The latest is the revisit of July: resolved to the May response (same URL, same digest).
  const CdxjEntry* latest = index.find("http://www.example.com/a");
  ASSERT_NE(latest, nullptr);
  EXPECT_TRUE(latest->is_revisit());
  const CdxjEntry* served = index.lookup("http://www.example.com/a");
  ASSERT_NE(served, nullptr);
  EXPECT_EQ(served->offset, recs[2].offset);
  // A revisit of another URL resolves by digest alone.
  const CdxjEntry* copy = index.lookup("http://example.com/copy");
  ASSERT_NE(copy, nullptr);
  EXPECT_EQ(copy->offset, recs[3].offset);
  EXPECT_EQ(index.find("http://example.com/none"), nullptr);
  EXPECT_EQ(index.find_all("http://example.com/a").size(), 3u);
  fs::remove_all(dir);
}
