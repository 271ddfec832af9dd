// HttpParser: status lines, header folding, de-chunking, content decoding, caps, non-HTTP.
#include "warcpairs/warc/http.h"

#include <gtest/gtest.h>

#include "test_warc.h"

namespace warcpairs::warc {
namespace {
using testing::deflate_bytes;
using testing::gzip;

struct Parsed {
  bool ok;
  HttpResponse resp;
  std::string error;
};

Parsed parse(HttpParser& p, std::string_view block) {
  Parsed r;
  r.ok = p.parse(block, r.resp, r.error);
  return r;
}

TEST(Http, StatusLineHeadersAndBody) {
  HttpParser p{Limits{}};
  auto r = parse(p, "HTTP/1.1 404 Not Found\r\nContent-Type: text/html\r\nSet-Cookie: a=1\r\n"
                    "set-cookie: b=2\r\n\r\n<html>gone</html>");
  ASSERT_TRUE(r.ok);
  EXPECT_EQ(r.resp.status, 404);
  ASSERT_EQ(r.resp.headers.size(), 3u);
  EXPECT_EQ(r.resp.headers[2].value, "b=2");
  EXPECT_EQ(r.resp.header("content-type"), "text/html");
  EXPECT_EQ(r.resp.body, "<html>gone</html>");
  EXPECT_EQ(r.resp.problem, "");
}

TEST(Http, BareNewlinesHttp10NoReasonAndObsFold) {
  HttpParser p{Limits{}};
  auto r = parse(p, "HTTP/1.0 200\nX-Long: part one\n   part two\n\tpart three\nServer: s\n\nbody");
  ASSERT_TRUE(r.ok);
  EXPECT_EQ(r.resp.status, 200);
  EXPECT_EQ(r.resp.header("x-long"), "part one part two part three");
  EXPECT_EQ(r.resp.header("server"), "s");
  EXPECT_EQ(r.resp.body, "body");
}

TEST(Http, NotAResponse) {
  HttpParser p{Limits{}};
  EXPECT_EQ(parse(p, "GET / HTTP/1.1\r\nHost: x\r\n\r\n").error, "http_not_response");
  EXPECT_EQ(parse(p, "").error, "http_not_response");
  EXPECT_EQ(parse(p, "HTTP/1.1 abc OK\r\n\r\n").error, "http_status_malformed");
  EXPECT_EQ(parse(p, "HTTP/1.1 20\r\n\r\n").error, "http_status_malformed");
  EXPECT_FALSE(parse(p, "HTTP/1.1\r\n\r\n").ok);
  Limits small;
  small.max_http_header_bytes = 64;
  HttpParser q{small};
  auto r = parse(q, "HTTP/1.1 200 OK\r\nX-Pad: " + std::string(100, 'x') + "\r\n\r\nbody");
  EXPECT_FALSE(r.ok);
  EXPECT_EQ(r.error, "http_header_too_large");
}

TEST(Http, ChunkedBodyIsDecoded) {
  HttpParser p{Limits{}};
  auto r = parse(p, "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
                    "5;ext=1\r\nhello\r\n7\r\n, world\r\n0\r\nTrailer: x\r\n\r\n");
  ASSERT_TRUE(r.ok);
  EXPECT_EQ(r.resp.body, "hello, world");
  EXPECT_EQ(r.resp.problem, "");
}

TEST(Http, DeclaredChunkedButNotChunkedKeepsTheBody) {
  HttpParser p{Limits{}};
  auto r = parse(p, "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n<html>plain</html>");
  ASSERT_TRUE(r.ok);
  EXPECT_EQ(r.resp.body, "<html>plain</html>");
  EXPECT_EQ(r.resp.problem, "chunked_malformed");
  auto t = parse(p, "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nA\r\n0123");
  EXPECT_EQ(t.resp.body, "0123");
  EXPECT_EQ(t.resp.problem, "chunked_truncated");
}

TEST(Http, GzipAndDeflateContentEncodings) {
  std::string html = "<html>" + std::string(5000, 'x') + "</html>";
  HttpParser p{Limits{}};
  for (std::string coding : {"gzip", "x-gzip", "deflate", "deflate-raw"}) {
    std::string enc = coding == "deflate" ? deflate_bytes(html, false)
                      : coding == "deflate-raw" ? deflate_bytes(html, true) : gzip(html);
    if (coding == "deflate-raw") coding = "deflate";
    auto r = parse(p, "HTTP/1.1 200 OK\r\nContent-Encoding: " + coding + "\r\n\r\n" + enc);
    ASSERT_TRUE(r.ok);
    EXPECT_EQ(r.resp.body, html) << coding;
    EXPECT_EQ(r.resp.problem, "") << coding;
  }
  // Chunked and gzip together: chunks removed first, then the coding (RFC 9112 §7).
  std::string gz = gzip(html);
  std::string half1 = gz.substr(0, 10), half2 = gz.substr(10);
  char size1[16], size2[16];
  snprintf(size1, sizeof size1, "%zx", half1.size());
  snprintf(size2, sizeof size2, "%zX", half2.size());
  auto r = parse(p, "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nContent-Encoding: gzip\r\n\r\n" +
                        std::string(size1) + "\r\n" + half1 + "\r\n" + size2 + "\r\n" + half2 +
                        "\r\n0\r\n\r\n");
  EXPECT_EQ(r.resp.body, html);
  EXPECT_EQ(r.resp.problem, "");
}

TEST(Http, BrokenOrUnsupportedCodings) {
  HttpParser p{Limits{}};
  auto bad = parse(p, "HTTP/1.1 200 OK\r\nContent-Encoding: gzip\r\n\r\nnot gzip at all");
  ASSERT_TRUE(bad.ok);
  EXPECT_EQ(bad.resp.problem, "content_encoding_failed");
  EXPECT_EQ(bad.resp.body, "not gzip at all");
  std::string gz = gzip(std::string(20000, 'y'), 1);
  auto cut = parse(p, "HTTP/1.1 200 OK\r\nContent-Encoding: gzip\r\n\r\n" + gz.substr(0, gz.size() / 2));
  EXPECT_EQ(cut.resp.problem, "content_encoding_truncated");
  EXPECT_EQ(cut.resp.body.find_first_not_of('y'), std::string_view::npos);
  auto br = parse(p, "HTTP/1.1 200 OK\r\nContent-Encoding: br\r\n\r\nxyz");
  EXPECT_EQ(br.resp.problem, "content_encoding_unsupported");
  EXPECT_EQ(br.resp.body, "xyz");
}

TEST(Http, PayloadCapsApplyToEveryPath) {
  Limits limits;
  limits.max_payload_bytes = 1000;
  HttpParser p{limits};
  std::string big(50000, 'z');
  auto bomb = parse(p, "HTTP/1.1 200 OK\r\nContent-Encoding: gzip\r\n\r\n" + gzip(big));
  EXPECT_EQ(bomb.resp.body, std::string(1000, 'z'));
  EXPECT_EQ(bomb.resp.problem, "payload_truncated_at_cap");
  auto plain = parse(p, "HTTP/1.1 200 OK\r\n\r\n" + big);
  EXPECT_EQ(plain.resp.body.size(), 1000u);
  EXPECT_EQ(plain.resp.problem, "payload_truncated_at_cap");
  auto chunked = parse(p, "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nC350\r\n" + big +
                              "\r\n0\r\n\r\n");
  EXPECT_EQ(chunked.resp.body.size(), 1000u);
  EXPECT_EQ(chunked.resp.problem, "payload_truncated_at_cap");
  // A later, smaller body must not see bytes of the earlier one (buffers are reused).
  auto small = parse(p, "HTTP/1.1 200 OK\r\nContent-Encoding: gzip\r\n\r\n" + gzip("tiny"));
  EXPECT_EQ(small.resp.body, "tiny");
  EXPECT_EQ(small.resp.problem, "");
}

}  // namespace
}  // namespace warcpairs::warc
