// WarcFileWriter: exact bytes of a record, round trips through the project's reader with the
// digests recomputed, chunked payload digests, rolling, and nothing visible before finish().
#include "warcpairs/warc/writer.h"

#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>
#include <zlib.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "warcpairs/core/digest.h"
#include "warcpairs/core/error.h"
#include "warcpairs/core/limits.h"
#include "warcpairs/core/skip_log.h"
#include "warcpairs/warc/reader.h"

namespace fs = std::filesystem;
using namespace warcpairs;
using namespace warcpairs::warc;

namespace {

fs::path temp_dir(const std::string& name) {
  fs::path d = fs::temp_directory_path() / ("warcpairs-writer-" + name + "-" + std::to_string(::getpid()));
  fs::remove_all(d);
  fs::create_directories(d);
  return d;
}

std::string slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

// Every gzip member of a file, decoded with zlib (independent of the writer's libdeflate).
std::vector<std::string> gunzip_members(const std::string& data) {
  std::vector<std::string> out;
  std::size_t pos = 0;
  while (pos < data.size()) {
    z_stream z{};
    EXPECT_EQ(inflateInit2(&z, 16 + 15), Z_OK);
    z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data() + pos));
    z.avail_in = static_cast<uInt>(data.size() - pos);
    std::string member;
    char buf[65536];
    int rc;
    do {
      z.next_out = reinterpret_cast<Bytef*>(buf);
      z.avail_out = sizeof buf;
      rc = inflate(&z, Z_NO_FLUSH);
      member.append(buf, sizeof buf - z.avail_out);
    } while (rc == Z_OK);
    EXPECT_EQ(rc, Z_STREAM_END);
    pos += z.total_in;
    inflateEnd(&z);
    out.push_back(member);
    if (rc != Z_STREAM_END) break;
  }
  return out;
}

std::string sha1_label(std::string_view s) {
  return warc_sha1_digest({reinterpret_cast<const uint8_t*>(s.data()), s.size()});
}

constexpr std::string_view kHead =
    "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 5\r\n\r\n";

}  // namespace

// The bytes of one response record, written out by hand from WARC 1.1 §4 and §6.3; the two
// digests were computed with Python's hashlib + base64.b32encode, not with this code.
TEST(WarcWriter, ResponseRecordBytesAreExactlyAsSpecified) {
  fs::path dir = temp_dir("exact");
  WarcFileWriter w((dir / "a.warc.gz").string());
  HttpRecord r;
  r.header.record_id = "<urn:uuid:00000000-0000-4000-8000-000000000001>";
  r.header.date = "2024-05-01T12:00:00Z";
  r.header.target_uri = "http://example.com/";
  r.header.ip_address = "93.184.216.34";
  r.http_head = kHead;
  r.body = "hello";
  WrittenRecord rec = w.write_response(r);
  w.finish();
  const std::string expected =
      "WARC/1.1\r\n"
      "WARC-Type: response\r\n"
      "WARC-Record-ID: <urn:uuid:00000000-0000-4000-8000-000000000001>\r\n"
      "WARC-Date: 2024-05-01T12:00:00Z\r\n"
      "WARC-Target-URI: http://example.com/\r\n"
      "WARC-IP-Address: 93.184.216.34\r\n"
      "Content-Type: application/http;msgtype=response\r\n"
      "WARC-Block-Digest: sha1:LRYKYE6JURFXLGHETF373AYPQNPBXBUU\r\n"
      "WARC-Payload-Digest: sha1:VL2MMHO4YXUKFWV63YHTWSBM3GXKSQ2N\r\n"
      "Content-Length: 69\r\n"
      "\r\n"
      "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 5\r\n\r\nhello"
      "\r\n\r\n";
  std::string file = slurp(dir / "a.warc.gz");
  std::vector<std::string> members = gunzip_members(file);
  ASSERT_EQ(members.size(), 1u);
  EXPECT_EQ(members[0], expected);
  EXPECT_EQ(rec.offset, 0);
  EXPECT_EQ(rec.length, static_cast<int64_t>(file.size()));
  EXPECT_EQ(rec.block_digest, "sha1:LRYKYE6JURFXLGHETF373AYPQNPBXBUU");
  EXPECT_EQ(rec.payload_digest, "sha1:VL2MMHO4YXUKFWV63YHTWSBM3GXKSQ2N");
  fs::remove_all(dir);
}

// Every kind of record, read back by WarcReader: types, fields, blocks, offsets, and both
// digests recomputed from the bytes read.
TEST(WarcWriter, RoundTripThroughTheReaderWithDigestsRecomputed) {
  fs::path dir = temp_dir("roundtrip");
  std::string path = (dir / "b.warc.gz").string();
  WarcFileWriter w(path);
  std::vector<WrittenRecord> written;
  written.push_back(w.write_warcinfo("2024-05-01T12:00:00Z", "software: warcpairs-test\r\nformat: WARC File Format 1.1\r\n"));
  const std::string req_head = "GET /c HTTP/1.1\r\nHost: example.com\r\n\r\n";
  HttpRecord req{{"http://example.com/c", "2024-05-01T12:00:01.123456Z", "127.0.0.1", {}, {}}, req_head, ""};
  written.push_back(w.write_request(req));
  // A chunked body: the payload digest is the de-chunked entity body's ("hello world").
  const std::string chunked_head =
      "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nContent-Type: text/html\r\n\r\n";
  const std::string chunked_body = "5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n";
  HttpRecord resp{{"http://example.com/c", "2024-05-01T12:00:01.123456Z", "127.0.0.1",
                   written.back().record_id, {}},
                  chunked_head, chunked_body};
  written.push_back(w.write_response(resp));
  RevisitRecord rv{{"http://example.com/d", "2024-05-01T12:00:02Z", "127.0.0.1", {}, {}},
                   "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n",
                   "sha1:FKXGYNOJJ7H3IFO35FPUBC445EPOQRXN", "http://example.com/c",
                   "2024-05-01T12:00:01.123456Z", written.back().record_id};
  written.push_back(w.write_revisit(rv));
  written.push_back(w.write_resource({"file:///x.txt", "2024-05-01T12:00:03Z", {}, {}, {}},
                                     "text/plain", "a resource"));
  written.push_back(w.write_metadata({"http://example.com/c", "2024-05-01T12:00:03Z", {}, {}, {}},
                                     "application/warc-fields", "outlink: http://example.com/d\r\n"));
  EXPECT_TRUE(fs::exists(path + ".open"));
  EXPECT_FALSE(fs::exists(path));
  w.finish();
  EXPECT_FALSE(fs::exists(path + ".open"));
  ASSERT_TRUE(fs::exists(path));
  EXPECT_EQ(static_cast<uint64_t>(fs::file_size(path)), w.bytes_written());

  SkipLog skips;
  WarcReader reader(path, Limits{}, skips);
  const RecordType types[] = {RecordType::warcinfo, RecordType::request, RecordType::response,
                              RecordType::revisit, RecordType::resource, RecordType::metadata};
  std::size_t i = 0;
  while (const WarcRecord* rec = reader.next()) {
    ASSERT_LT(i, written.size());
    EXPECT_EQ(rec->type, types[i]);
    EXPECT_EQ(rec->version, "WARC/1.1");
    EXPECT_EQ(rec->offset, written[i].offset);
    EXPECT_EQ(rec->record_id(), written[i].record_id);
    EXPECT_EQ(rec->header("WARC-Block-Digest"), sha1_label(rec->block));
    if (i > 0) {
      EXPECT_EQ(rec->header("WARC-Warcinfo-ID"), written[0].record_id);
    }
    ++i;
    if (rec->type == RecordType::warcinfo) {
      EXPECT_EQ(rec->header("WARC-Filename"), "b.warc.gz");
      EXPECT_EQ(rec->content_type(), "application/warc-fields");
    } else if (rec->type == RecordType::request) {
      EXPECT_EQ(rec->block, req_head);
      EXPECT_EQ(rec->content_type(), "application/http;msgtype=request");
      EXPECT_EQ(rec->header("WARC-IP-Address"), "127.0.0.1");
      EXPECT_EQ(rec->date(), "2024-05-01T12:00:01.123456Z");
    } else if (rec->type == RecordType::response) {
      EXPECT_EQ(rec->block, chunked_head + chunked_body);  // chunk framing kept (as on the wire)
      EXPECT_EQ(rec->header("WARC-Payload-Digest"), sha1_label("hello world"));
      EXPECT_EQ(rec->header("WARC-Concurrent-To"), written[1].record_id);
      EXPECT_EQ(rec->target_uri(), "http://example.com/c");
    } else if (rec->type == RecordType::revisit) {
      EXPECT_EQ(rec->header("WARC-Profile"),
                "http://netpreserve.org/warc/1.1/revisit/identical-payload-digest");
      EXPECT_EQ(rec->header("WARC-Refers-To-Target-URI"), "http://example.com/c");
      EXPECT_EQ(rec->header("WARC-Refers-To-Date"), "2024-05-01T12:00:01.123456Z");
      EXPECT_EQ(rec->header("WARC-Refers-To"), written[2].record_id);
      EXPECT_EQ(rec->header("WARC-Payload-Digest"), "sha1:FKXGYNOJJ7H3IFO35FPUBC445EPOQRXN");
    } else if (rec->type == RecordType::resource) {
      EXPECT_EQ(rec->block, "a resource");
      EXPECT_EQ(rec->header("WARC-Payload-Digest"), sha1_label("a resource"));
    }
  }
  EXPECT_EQ(i, written.size());
  EXPECT_EQ(skips.total(), 0u);
  // Each record is its own gzip member, at the offset and of the length reported.
  std::string file = slurp(path);
  EXPECT_EQ(gunzip_members(file).size(), written.size());
  for (std::size_t k = 0; k < written.size(); ++k) {
    std::string one = file.substr(static_cast<std::size_t>(written[k].offset),
                                  static_cast<std::size_t>(written[k].length));
    ASSERT_EQ(gunzip_members(one).size(), 1u);
    EXPECT_EQ(gunzip_members(one)[0].substr(0, 10), "WARC/1.1\r\n");
  }
  fs::remove_all(dir);
}

TEST(WarcWriter, RecordIdsAreRandomVersion4Uuids) {
  std::string a = new_record_id(), b = new_record_id();
  EXPECT_NE(a, b);
  ASSERT_EQ(a.size(), 47u);
  EXPECT_EQ(a.substr(0, 10), "<urn:uuid:");
  EXPECT_EQ(a[24], '4');                                  // version
  EXPECT_NE(std::string("89ab").find(a[29]), std::string::npos);  // variant
}

TEST(WarcWriter, MalformedChunkingIsDigestedAsIs) {
  const std::string head = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n";
  EXPECT_EQ(http_payload_digest(head, "not chunked at all"), sha1_label("not chunked at all"));
  EXPECT_EQ(http_payload_digest(std::string(kHead), "hello"), sha1_label("hello"));
}

TEST(WarcWriter, LineBreaksInValuesAndMissingMandatoryFieldsAreRefused) {
  fs::path dir = temp_dir("inject");
  WarcFileWriter w((dir / "c.warc.gz").string());
  HttpRecord r{{"http://example.com/\r\nWARC-Type: forged", "2024-05-01T12:00:00Z", {}, {}, {}},
               kHead, "hello"};
  EXPECT_THROW(w.write_response(r), Error);
  // Mandatory fields (WARC 1.1 §5.4 WARC-Date; §6.3 a response's WARC-Target-URI).
  EXPECT_THROW(w.write_response({{"http://example.com/", "", {}, {}, {}}, kHead, "hello"}), Error);
  EXPECT_THROW(w.write_response({{"", "2024-05-01T12:00:00Z", {}, {}, {}}, kHead, "hello"}), Error);
  fs::remove_all(dir);
}

// A process killed before finish() leaves only the ".open" file; a writer destroyed without
// finish() (an exception unwinding) leaves nothing.
TEST(WarcWriter, NothingVisibleBeforeFinish) {
  fs::path dir = temp_dir("crash");
  std::string path = (dir / "d.warc.gz").string();
  pid_t pid = ::fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    WarcFileWriter w(path);
    w.write_response({{"http://example.com/", "2024-05-01T12:00:00Z", {}, {}, {}}, kHead, "hello"});
    ::_exit(0);  // as SIGKILL would: no destructor, no finish()
  }
  int status = 0;
  ::waitpid(pid, &status, 0);
  EXPECT_FALSE(fs::exists(path));
  EXPECT_TRUE(fs::exists(path + ".open"));
  {
    WarcFileWriter w(path);  // the next writer of the name starts the temporary file afresh
    w.write_response({{"http://example.com/", "2024-05-01T12:00:00Z", {}, {}, {}}, kHead, "hello"});
  }
  EXPECT_FALSE(fs::exists(path));
  EXPECT_FALSE(fs::exists(path + ".open"));
  fs::remove_all(dir);
}

TEST(WarcWriter, RollingStartsANewFileWithItsOwnWarcinfoBeyondTheLimit) {
  fs::path dir = temp_dir("roll");
  auto name_of = [&](int serial) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "crawl-%05d.warc.gz", serial);
    return (dir / buf).string();
  };
  RollingWarcWriter roll(name_of, 600, "software: test\r\n", [] { return std::string("2024-05-01T12:00:00Z"); });
  std::string big;  // incompressible, so each record's member is about 400 bytes
  uint32_t x = 12345;
  for (int i = 0; i < 400; ++i) big += static_cast<char>('!' + ((x = x * 1103515245u + 12345u) >> 16) % 90);
  for (int i = 0; i < 5; ++i)
    roll.next().write_resource({"http://example.com/" + std::to_string(i), "2024-05-01T12:00:00Z", {}, {}, {}},
                               "text/plain", big + std::to_string(i));
  roll.finish();
  int files = 0;
  for (int serial = 0; fs::exists(name_of(serial)); ++serial) {
    ++files;
    SkipLog skips;
    WarcReader reader(name_of(serial), Limits{}, skips);
    const WarcRecord* first = reader.next();
    ASSERT_NE(first, nullptr);
    EXPECT_EQ(first->type, RecordType::warcinfo);
    EXPECT_EQ(first->header("WARC-Filename"), fs::path(name_of(serial)).filename().string());
    int resources = 0;
    while (const WarcRecord* rec = reader.next()) resources += rec->type == RecordType::resource;
    EXPECT_GE(resources, 1);
  }
  EXPECT_GE(files, 2);
  EXPECT_EQ(roll.serial(), files);
  for (const auto& e : fs::directory_iterator(dir))
    EXPECT_EQ(e.path().extension(), ".gz") << e.path();  // no ".open" left behind
  fs::remove_all(dir);
}

// rewrite_as_revisits (the crawler's finalize): the listed responses become revisits with their
// ids, dates, URIs, heads and payload digests kept; every other gzip member is the same bytes;
// a second run changes nothing; no ".open" is left.
TEST(WarcWriter, RewriteAsRevisitsConvertsOnlyTheListedResponses) {
  const fs::path dir = temp_dir("rewrite");
  const std::string path = (dir / "p.warc.gz").string();
  const std::string body = "hello";
  const std::string head = std::string(kHead);
  std::vector<WrittenRecord> written;
  {
    WarcFileWriter w(path);
    written.push_back(w.write_warcinfo("2024-05-01T12:00:00Z", "software: test\r\n"));
    for (const char* uri : {"http://h/a", "http://h/b", "http://h/c"}) {
      written.push_back(w.write_response({{uri, "2024-05-01T12:00:01Z", "127.0.0.1", {}, {}}, head, body}));
      written.push_back(w.write_request({{uri, "2024-05-01T12:00:01Z", "127.0.0.1", written.back().record_id, {}},
                                         "GET / HTTP/1.1\r\n\r\n", {}}));
    }
    w.finish();
  }
  const std::string before = slurp(path);
  const std::unordered_map<std::string, RevisitTarget> targets{{"http://h/b", {"http://h/a", "2024-05-01T12:00:01Z"}},
                                                              {"http://h/x", {"http://h/a", "2024-05-01T12:00:01Z"}}};
  EXPECT_EQ(rewrite_as_revisits(path, targets), 1);
  const std::string after = slurp(path);
  const auto old_members = gunzip_members(before), new_members = gunzip_members(after);
  ASSERT_EQ(new_members.size(), old_members.size());
  for (std::size_t i = 0; i < old_members.size(); ++i)
    if (i != 3) {
      EXPECT_EQ(new_members[i], old_members[i]) << i;
    }
  EXPECT_EQ(after.substr(0, static_cast<std::size_t>(written[3].offset)),
            before.substr(0, static_cast<std::size_t>(written[3].offset)));  // byte for byte
  EXPECT_TRUE(after.ends_with(before.substr(static_cast<std::size_t>(written[4].offset))));
  SkipLog skips;
  WarcReader reader(path, Limits{}, skips);
  std::vector<std::string> seen;
  while (const WarcRecord* r = reader.next()) {
    seen.push_back(std::string(to_string(r->type)) + " " + std::string(r->target_uri()));
    if (r->type != RecordType::revisit) continue;
    EXPECT_EQ(r->record_id(), written[3].record_id);
    EXPECT_EQ(r->date(), "2024-05-01T12:00:01Z");
    EXPECT_EQ(r->header("WARC-IP-Address"), "127.0.0.1");
    EXPECT_EQ(r->header("WARC-Warcinfo-ID"), written[0].record_id);
    EXPECT_EQ(r->header("WARC-Payload-Digest"), sha1_label(body));
    EXPECT_EQ(r->header("WARC-Refers-To-Target-URI"), "http://h/a");
    EXPECT_EQ(r->header("WARC-Refers-To-Date"), "2024-05-01T12:00:01Z");
    EXPECT_EQ(r->header("WARC-Profile"), "http://netpreserve.org/warc/1.1/revisit/identical-payload-digest");
    EXPECT_EQ(r->block, head);
  }
  EXPECT_EQ(seen, (std::vector<std::string>{"warcinfo ", "response http://h/a", "request http://h/a",
                                            "revisit http://h/b", "request http://h/b", "response http://h/c",
                                            "request http://h/c"}));
  EXPECT_EQ(rewrite_as_revisits(path, targets), 0);  // idempotent
  EXPECT_EQ(slurp(path), after);
  for (const auto& e : fs::directory_iterator(dir)) EXPECT_EQ(e.path().extension(), ".gz") << e.path();
  fs::remove_all(dir);
}
