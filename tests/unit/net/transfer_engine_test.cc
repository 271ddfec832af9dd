// TransferEngine alone against the loopback test server: raw headers as received, trailers, error
// bodies, unfollowed redirects, the body cap, the accept_body gate and the guard.
#include "warcpairs/net/transfer_engine.h"

#include <gtest/gtest.h>

#include <map>

#include <string>
#include <vector>

#include "test_server.h"

namespace warcpairs::net {
namespace {
using testing::FileSet;

// The bytes tests/net/http_test_server.py writes for /raw (RAW_HEADERS there).
const std::string kRawHeaders =
    "HTTP/1.1 200 Fine, Thanks\r\n"
    "content-TYPE:text/plain;charset=us-ascii\r\n"
    "X-Odd-Spacing:    two  spaces   \r\n"
    "Set-Cookie: a=1\r\n"
    "Set-Cookie: b=2; Path=/\r\n"
    "X-Bare-LF: yes\n"
    "Content-Length: 5\r\n"
    "\r\n";

class TransferEngineTest : public testing::ServerSuite<TransferEngineTest> {
 public:
  static void add_files(FileSet& files) {
    files.add("target.jpg", 10, 4);
    files.add("guarded.jpg", 10, 5);
  }

 protected:
  static TransferOptions loopback() { return testing::loopback_options(); }
  static Response get(const TransferOptions& o, const std::string& path) {
    return testing::fetch_one<TransferEngine, Response>(o, server_->url(path), 3);
  }
  static std::string text(const std::vector<uint8_t>& bytes) { return {bytes.begin(), bytes.end()}; }
};

TEST_F(TransferEngineTest, HeadersComeBackByteForByteAndInOrder) {
  auto r = get(loopback(), "/raw?case=headers");
  ASSERT_EQ(r.outcome, "ok") << r.detail;
  EXPECT_EQ(r.key, 3u);
  EXPECT_EQ(r.http_status, 200);
  EXPECT_EQ(r.headers, kRawHeaders);
  EXPECT_TRUE(r.trailers.empty());
  EXPECT_EQ(text(r.body), "hello");
  EXPECT_EQ(r.content_type, "text/plain;charset=us-ascii");
  EXPECT_EQ(r.ip, "127.0.0.1");
  EXPECT_EQ(header_values(r.headers, "set-cookie"), (std::vector<std::string_view>{"a=1", "b=2; Path=/"}));
  EXPECT_EQ(header_values(r.headers, "x-odd-spacing"), std::vector<std::string_view>{"two  spaces"});
  EXPECT_EQ(header_values(r.headers, "x-bare-lf"), std::vector<std::string_view>{"yes"});
  EXPECT_GT(r.timings.total, 0);
  EXPECT_LE(r.timings.first_byte, r.timings.total);
}

TEST_F(TransferEngineTest, InterimResponsesAreNotKept) {
  auto r = get(loopback(), "/raw?case=interim");
  ASSERT_EQ(r.outcome, "ok") << r.detail;
  EXPECT_EQ(r.headers, kRawHeaders);
  EXPECT_EQ(text(r.body), "hello");
}

TEST_F(TransferEngineTest, TrailersAreKeptApartFromTheHeaders) {
  auto r = get(loopback(), "/raw?case=trailer");
  ASSERT_EQ(r.outcome, "ok") << r.detail;
  EXPECT_EQ(r.headers, "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nTrailer: X-Sum\r\n\r\n");
  EXPECT_EQ(r.trailers, "X-Sum: 42\r\n");  // libcurl passes on no empty line after trailers
  EXPECT_EQ(text(r.body), "hello");
}

// wire_format (the crawler's records): the body with its chunk framing and trailers as received,
// the request head as sent, and a body over the cap kept up to the cap, marked truncated.
TEST_F(TransferEngineTest, WireFormatKeepsChunkingRequestHeadAndACutBody) {
  auto o = loopback();
  o.wire_format = true;
  o.user_agent = "wirebot/1";
  auto r = get(o, "/raw?case=trailer");
  ASSERT_EQ(r.outcome, "ok") << r.detail;
  EXPECT_EQ(r.headers, "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nTrailer: X-Sum\r\n\r\n");
  EXPECT_EQ(text(r.body), "5\r\nhello\r\n0\r\nX-Sum: 42\r\n\r\n");
  EXPECT_TRUE(r.trailers.empty());
  EXPECT_TRUE(r.truncated.empty());
  EXPECT_TRUE(r.request_head.starts_with("GET /raw?case=trailer HTTP/1.1\r\n")) << r.request_head;
  EXPECT_NE(r.request_head.find("\r\nUser-Agent: wirebot/1\r\n"), std::string::npos) << r.request_head;
  EXPECT_TRUE(r.request_head.ends_with("\r\n\r\n")) << r.request_head;
  o.max_bytes = 100000;
  for (const char* path : {"/big?bytes=300000&chunked=1", "/big?bytes=300000"}) {
    auto cut = get(o, path);
    EXPECT_EQ(cut.outcome, "too_large") << path;
    EXPECT_EQ(cut.truncated, "length") << path;
    EXPECT_EQ(cut.body.size(), 100000u) << path;
  }
  auto whole = get(o, "/big?bytes=1000&chunked=1");
  EXPECT_EQ(whole.outcome, "ok");
  EXPECT_EQ(text(whole.body), "3e8\r\n" + std::string(1000, 'x') + "\r\n0\r\n\r\n");
}

// A per-URL redirect limit (the crawler's robots.txt) follows redirects although the engine
// does not; one more than the limit ends as too_many_redirects with the last 3xx's status.
TEST_F(TransferEngineTest, PerUrlRedirectLimitOverridesTheOptions) {
  auto o = loopback();
  o.follow_redirects = false;
  TransferEngine engine(o);
  engine.add(1, server_->url("/redirect?to=/img/target.jpg&n=5"), 5);
  engine.add(2, server_->url("/redirect?to=/img/target.jpg&n=6"), 5);
  engine.add(3, server_->url("/redirect?to=/img/target.jpg&n=1"));
  std::map<uint64_t, Response> got;
  engine.run([&](Response&& r) { got[r.key] = std::move(r); });
  ASSERT_EQ(got.size(), 3u);
  EXPECT_EQ(got[1].outcome, "ok") << got[1].detail;
  EXPECT_EQ(got[1].http_status, 200);
  EXPECT_EQ(got[1].redirects, 5);
  EXPECT_EQ(got[1].final_url, server_->url("/img/target.jpg"));
  EXPECT_EQ(got[2].outcome, "too_many_redirects");
  EXPECT_EQ(got[2].http_status, 302);
  EXPECT_EQ(got[3].http_status, 302);  // the engine's own setting: not followed
  EXPECT_EQ(got[3].redirects, 0);
}

TEST_F(TransferEngineTest, RedirectIsReturnedWhenNotFollowing) {
  auto o = loopback();
  o.follow_redirects = false;
  const int before = server_->hits("/img/target.jpg");
  auto r = get(o, "/redirect?to=/img/target.jpg&n=1");
  ASSERT_EQ(r.outcome, "ok") << r.detail;
  EXPECT_EQ(r.http_status, 302);
  EXPECT_EQ(r.attempts, 1);
  EXPECT_TRUE(r.headers.starts_with("HTTP/1.1 302 Found\r\n")) << r.headers;
  EXPECT_EQ(header_values(r.headers, "location"), std::vector<std::string_view>{"/img/target.jpg"});
  EXPECT_EQ(r.redirect_url, server_->url("/img/target.jpg"));
  EXPECT_EQ(r.final_url, server_->url("/redirect?to=/img/target.jpg&n=1"));
  EXPECT_EQ(server_->hits("/img/target.jpg"), before);
  // Followed, only the last response's headers are kept.
  auto followed = get(loopback(), "/redirect?to=/img/target.jpg&n=2");
  ASSERT_EQ(followed.outcome, "ok") << followed.detail;
  EXPECT_EQ(followed.http_status, 200);
  EXPECT_TRUE(followed.headers.starts_with("HTTP/1.1 200 OK\r\n")) << followed.headers;
  EXPECT_TRUE(header_values(followed.headers, "location").empty());
  EXPECT_TRUE(followed.redirect_url.empty());
  EXPECT_EQ(followed.body.size(), 10u);
}

TEST_F(TransferEngineTest, ErrorResponsesAreResponsesWithTheirBodies) {
  auto r = get(loopback(), "/status/404");
  EXPECT_EQ(r.outcome, "ok");
  EXPECT_EQ(r.http_status, 404);
  EXPECT_EQ(r.attempts, 1);
  EXPECT_EQ(text(r.body), "status 404\n");
  EXPECT_TRUE(r.detail.empty()) << r.detail;
  auto o = loopback();
  o.retries = 1;
  auto retried = get(o, "/status/503");
  EXPECT_EQ(retried.outcome, "ok");
  EXPECT_EQ(retried.http_status, 503);
  EXPECT_EQ(retried.attempts, 2);
  EXPECT_EQ(text(retried.body), "status 503\n");
}

TEST_F(TransferEngineTest, BodyCapHolds) {
  auto o = loopback();
  o.max_bytes = 100'000;
  for (const char* chunked : {"0", "1"}) {
    auto over = get(o, std::string("/big?bytes=100001&chunked=") + chunked);
    EXPECT_EQ(over.outcome, "too_large") << chunked;
    EXPECT_TRUE(over.body.empty()) << chunked;
    EXPECT_EQ(over.attempts, 1) << chunked;
    auto edge = get(o, std::string("/big?bytes=100000&chunked=") + chunked);
    EXPECT_EQ(edge.outcome, "ok") << chunked;
    EXPECT_EQ(edge.body.size(), 100'000u) << chunked;
  }
}

TEST_F(TransferEngineTest, AcceptBodySeesTheHeadersAndMayRefuse) {
  auto o = loopback();
  long seen_status = 0;
  std::string seen_headers;
  int asked = 0;
  o.accept_body = [&](long status, std::string_view headers) {
    ++asked;
    seen_status = status;
    seen_headers = headers;
    return false;
  };
  auto r = get(o, "/raw?case=headers");
  EXPECT_EQ(r.outcome, "refused");
  EXPECT_FALSE(r.detail.empty());
  EXPECT_TRUE(r.body.empty());
  EXPECT_EQ(r.attempts, 1);  // a refusal is final
  EXPECT_EQ(asked, 1);
  EXPECT_EQ(seen_status, 200);
  EXPECT_EQ(seen_headers, kRawHeaders);
  EXPECT_EQ(r.headers, kRawHeaders);
}

TEST_F(TransferEngineTest, GuardAppliesToTheEngine) {
  TransferOptions o;  // allow_loopback = false
  auto r = get(o, "/img/guarded.jpg");
  EXPECT_EQ(r.outcome, "blocked_address") << r.detail;
  EXPECT_NE(r.detail.find("refused before"), std::string::npos) << r.detail;
  EXPECT_EQ(r.attempts, 1);
  EXPECT_TRUE(r.headers.empty());
  EXPECT_EQ(server_->hits("/img/guarded.jpg"), 0);
}

TEST(ResolveEntries, WellFormedAreAcceptedAndEveryDefectIsNamed) {
  for (const char* ok : {"img.example:443:127.0.0.1", "a.test:80:10.0.0.1,[::1]", "v6.test:8080:[fd00::1]",
                         "+late.test:443:192.0.2.1", "-gone.test:443"})
    EXPECT_EQ(resolve_entry_error(ok), "") << ok;
  EXPECT_NE(resolve_entry_error("x.test:1:::1"), "");  // an unbracketed IPv6 address is ambiguous
  for (const char* bad : {"", "img.example", "img.example:443", "img.example:443:", ":443:127.0.0.1",
                          "img.example:https:127.0.0.1", "img.example:70000:127.0.0.1",
                          "img.example:443:localhost", "img.example:443:127.0.0.1,", "img.example:443:1.2.3"})
    EXPECT_NE(resolve_entry_error(bad), "") << bad;
  EXPECT_NE(resolve_entry_error("img.example:443").find("no address"), std::string::npos);
}

TEST(ConnectToEntries, WellFormedAreAcceptedAndEveryDefectIsNamed) {
  for (const char* ok : {":443:127.0.0.1:8443", "img.example:443:127.0.0.1:8443", "::127.0.0.1:", "a.test:80:[::1]:8080",
                         "a.test:80::8080"})
    EXPECT_EQ(connect_to_entry_error(ok), "") << ok;
  for (const char* bad : {"", "127.0.0.1:8443", ":443:127.0.0.1", ":443:127.0.0.1:8443:9", ":https:127.0.0.1:8443",
                          ":443:127.0.0.1:0", "a b:443:127.0.0.1:8443"})
    EXPECT_NE(connect_to_entry_error(bad), "") << bad;
}

TEST(HeaderValues, MatchesFieldNamesOnly) {
  const std::string h =
      "HTTP/1.1 200 OK\r\nX-A: 1\r\nx-a:2\r\n folded: no\r\nX-AB: 3\r\nX-A:\r\nX-A:  4 \t\r\n\r\n";
  EXPECT_EQ(header_values(h, "X-A"), (std::vector<std::string_view>{"1", "2", "", "4"}));
  EXPECT_TRUE(header_values(h, "folded").empty());
  EXPECT_TRUE(header_values(h, "HTTP/1.1 200 OK").empty());
  EXPECT_TRUE(header_values("", "x-a").empty());
}

}  // namespace
}  // namespace warcpairs::net
