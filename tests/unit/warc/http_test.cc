// HttpParser: status lines, header folding, de-chunking, content decoding, caps, non-HTTP.
#include "warcpairs/warc/http.h"

#include <brotli/encode.h>
#include <gtest/gtest.h>
#include <zstd.h>

#include <random>

#include "test_warc.h"

namespace warcpairs::warc {
namespace {
using testing::deflate_bytes;
using testing::gzip;

// Real encoders (libbrotlienc, libzstd) for the decoders' round trips.
std::string brotli(std::string_view data, int quality = 9) {
  std::size_t size = BrotliEncoderMaxCompressedSize(data.size());
  std::string out(size, '\0');
  if (!BrotliEncoderCompress(quality, BROTLI_DEFAULT_WINDOW, BROTLI_MODE_TEXT, data.size(),
                             reinterpret_cast<const uint8_t*>(data.data()), &size,
                             reinterpret_cast<uint8_t*>(out.data())))
    throw std::runtime_error("BrotliEncoderCompress");
  out.resize(size);
  return out;
}

std::string zstd(std::string_view data, int level = 3) {
  std::string out(ZSTD_compressBound(data.size()), '\0');
  std::size_t n = ZSTD_compress(out.data(), out.size(), data.data(), data.size(), level);
  if (ZSTD_isError(n)) throw std::runtime_error("ZSTD_compress");
  out.resize(n);
  return out;
}

std::string response(std::string_view coding, std::string_view body) {
  return "HTTP/1.1 200 OK\r\nContent-Encoding: " + std::string(coding) + "\r\n\r\n" +
         std::string(body);
}

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

// A body that is one whole gzip member is decoded by libdeflate, anything else by zlib: the
// cases on either side of that split give the same answers (zlib's, before the split).
TEST(Http, GzipMembersTrailingBytesAndDamagedTrailers) {
  HttpParser p{Limits{}};
  const std::string a = "<p>" + std::string(3000, 'a') + "</p>", b = "<p>bbb</p>";
  auto two = parse(p, response("gzip", gzip(a) + gzip(b)));
  EXPECT_EQ(two.resp.body, a + b);
  EXPECT_EQ(two.resp.problem, "");
  auto trailing = parse(p, response("gzip", gzip(a) + "\r\n"));
  EXPECT_EQ(trailing.resp.body, a);
  EXPECT_EQ(trailing.resp.problem, "");
  std::string crc = gzip(a);
  crc[crc.size() - 8] ^= 1;  // the trailer: CRC-32, then ISIZE, 4 bytes each
  auto bad_crc = parse(p, response("gzip", crc));
  EXPECT_EQ(bad_crc.resp.problem, "content_encoding_failed");
  EXPECT_EQ(bad_crc.resp.body, a);  // what zlib decoded before the check failed
  std::string size = gzip(a);
  size[size.size() - 3] ^= 1;  // ISIZE 256 more than the data
  auto bad_size = parse(p, response("gzip", size));
  EXPECT_EQ(bad_size.resp.problem, "content_encoding_failed");
  EXPECT_EQ(bad_size.resp.body, a);
  auto empty = parse(p, response("gzip", gzip("")));
  EXPECT_EQ(empty.resp.body, "");
  EXPECT_EQ(empty.resp.problem, "");
  auto one = parse(p, response("gzip", gzip(b)));  // after larger bodies: nothing of theirs
  EXPECT_EQ(one.resp.body, b);
  EXPECT_EQ(one.resp.problem, "");
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
  auto compress = parse(p, "HTTP/1.1 200 OK\r\nContent-Encoding: compress\r\n\r\nxyz");
  EXPECT_EQ(compress.resp.problem, "content_encoding_unsupported");
  EXPECT_EQ(compress.resp.body, "xyz");
  // One unknown coding in a list: nothing is undone.
  auto listed = parse(p, response("gzip, compress", "xyz"));
  EXPECT_EQ(listed.resp.problem, "content_encoding_unsupported");
  EXPECT_EQ(listed.resp.body, "xyz");
}

TEST(Http, BrotliAndZstdRoundTrips) {
  // 1 MB of varied text: the output buffer grows several times while streaming.
  std::string html = "<html><body>";
  for (int i = 0; html.size() < (1u << 20); ++i)
    html += "<p>paragraph " + std::to_string(i * 7919 % 100003) + " <img src=/i" +
            std::to_string(i) + ".jpg></p>\n";
  html += "</body></html>";
  HttpParser p{Limits{}};
  for (auto [coding, enc] : {std::pair{"br", brotli(html)}, {"BR", brotli(html, 1)},
                             {"zstd", zstd(html)}, {"Zstd", zstd(html, 19)}}) {
    auto r = parse(p, response(coding, enc));
    ASSERT_TRUE(r.ok);
    EXPECT_EQ(r.resp.body.size(), html.size()) << coding;
    EXPECT_TRUE(r.resp.body == html) << coding;
    EXPECT_EQ(r.resp.problem, "") << coding;
  }
  // zstd: several frames, with a skippable frame (RFC 8878 §3.1.2) between, are one body.
  std::string skippable("\x50\x2a\x4d\x18\x03\x00\x00\x00" "abc", 11);
  auto frames = parse(p, response("zstd", zstd("first half, ") + skippable + zstd("second half")));
  EXPECT_EQ(frames.resp.body, "first half, second half");
  EXPECT_EQ(frames.resp.problem, "");
  // Empty brotli stream (one byte) and an empty zstd frame decode to an empty body.
  auto empty_br = parse(p, response("br", brotli("")));
  EXPECT_EQ(empty_br.resp.body, "");
  EXPECT_EQ(empty_br.resp.problem, "");
  auto empty_zstd = parse(p, response("zstd", zstd("")));
  EXPECT_EQ(empty_zstd.resp.body, "");
  EXPECT_EQ(empty_zstd.resp.problem, "");
}

TEST(Http, StackedCodingsAreUndoneLastFirst) {
  std::string html = "<html>" + std::string(4000, 'q') + "<img src=a.png></html>";
  HttpParser p{Limits{}};
  auto gz_br = parse(p, response("gzip, br", brotli(gzip(html))));
  EXPECT_EQ(gz_br.resp.body, html);
  EXPECT_EQ(gz_br.resp.problem, "");
  auto three = parse(p, response("br,zstd , identity, gzip", gzip(zstd(brotli(html)))));
  EXPECT_EQ(three.resp.body, html);
  EXPECT_EQ(three.resp.problem, "");
  // Chunked, then two codings.
  std::string enc = zstd(gzip(html));
  char size[16];
  snprintf(size, sizeof size, "%zx", enc.size());
  auto chunked = parse(p, "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n"
                          "Content-Encoding: gzip, zstd\r\n\r\n" +
                              std::string(size) + "\r\n" + enc + "\r\n0\r\n\r\n");
  EXPECT_EQ(chunked.resp.body, html);
  EXPECT_EQ(chunked.resp.problem, "");
  // The outer layer is not what it claims: the body is kept as it came.
  auto wrong = parse(p, response("br, zstd", brotli(html)));
  EXPECT_EQ(wrong.resp.problem, "content_encoding_failed");
  EXPECT_EQ(wrong.resp.body, brotli(html));
}

TEST(Http, BrotliAndZstdCapsTruncationAndCorruption) {
  Limits limits;
  limits.max_payload_bytes = 1000;
  HttpParser p{limits};
  std::string big(5u << 20, 'z');  // 5 MB to a few hundred bytes: a bomb at cap 1000
  for (auto [coding, enc] : {std::pair{"br", brotli(big)}, {"zstd", zstd(big)},
                             {"gzip, br", brotli(gzip(big))}}) {
    auto r = parse(p, response(coding, enc));
    EXPECT_EQ(r.resp.body, std::string(1000, 'z')) << coding;
    EXPECT_EQ(r.resp.problem, "payload_truncated_at_cap") << coding;
  }
  auto small = parse(p, response("zstd", zstd("tiny")));
  EXPECT_EQ(small.resp.body, "tiny");  // reused buffers: nothing of the bomb shows
  EXPECT_EQ(small.resp.problem, "");

  HttpParser q{Limits{}};
  std::string text;
  for (int i = 0; text.size() < 200000; ++i) text += std::to_string(i) + " words and more ";
  for (auto [coding, enc] : {std::pair{"br", brotli(text)}, {"zstd", zstd(text)}}) {
    // Cut inside the last block: the blocks before it decode.
    auto cut = parse(q, response(coding, enc.substr(0, enc.size() - 20)));
    EXPECT_EQ(cut.resp.problem, "content_encoding_truncated") << coding;
    EXPECT_GT(cut.resp.body.size(), 0u) << coding;
    EXPECT_EQ(text.compare(0, cut.resp.body.size(), cut.resp.body), 0) << coding;  // a prefix
    auto junk = parse(q, response(coding, "this is not compressed at all"));
    EXPECT_EQ(junk.resp.problem, "content_encoding_failed") << coding;
    EXPECT_EQ(junk.resp.body, "this is not compressed at all") << coding;
    // Bytes after the end of the stream.
    auto tail = parse(q, response(coding, enc + "garbage after the end"));
    EXPECT_EQ(tail.resp.problem, coding == std::string("zstd") ? "content_encoding_failed" : "");
    EXPECT_EQ(tail.resp.body.substr(0, 100), text.substr(0, 100)) << coding;
    // Flipped bytes anywhere: a problem or a different body, never a crash or an overrun.
    std::mt19937 rng(7);
    for (int i = 0; i < 300; ++i) {
      std::string bad = enc;
      for (int k = 0; k < 3; ++k) bad[rng() % bad.size()] ^= char(1 + rng() % 255);
      auto r = parse(q, response(coding, bad));
      ASSERT_TRUE(r.ok);
      EXPECT_LE(r.resp.body.size(), Limits{}.max_payload_bytes);
    }
  }
  // zstd frames asking for a window over 8 MiB are refused (RFC 9659 §3): the same frame with
  // an 8 MiB window decodes. Frame header: magic, descriptor 0 (no size), window descriptor
  // (exponent << 3: window 2^(10 + exponent)); then one last raw block of 5 bytes.
  std::string frame8("\x28\xb5\x2f\xfd\x00\x68\x29\x00\x00hello", 14);
  std::string frame16 = frame8;
  frame16[5] = '\x70';
  EXPECT_EQ(parse(q, response("zstd", frame8)).resp.body, "hello");
  auto wide = parse(q, response("zstd", frame16));
  EXPECT_EQ(wide.resp.problem, "content_encoding_failed");
  EXPECT_EQ(wide.resp.body, frame16);
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
