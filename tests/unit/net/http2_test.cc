// HTTP/2 where offered: an HTTPS server (tests/net/h2_test_server.mjs, node) with a certificate made
// for the test; many transfers to it share one multiplexed connection; TLS is verified.
#include <gtest/gtest.h>

#include <cstdlib>
#include <map>
#include <string>

#include "test_server.h"
#include "warcpairs/net/downloader.h"
#include "warcpairs/net/transfer_engine.h"

namespace warcpairs::net {
namespace {
using testing::FileSet;
using testing::TestServer;

class Http2Test : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    files_ = new FileSet();
    for (int i = 0; i < 40; ++i) files_->add(testing::numbered("h", i), 3000 + 101 * i, 500 + i);
    const std::string key = (files_->dir() / "key.pem").string(), cert = (files_->dir() / "cert.pem").string();
    const std::string cmd = "openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 1"
                            " -subj /CN=localhost -addext subjectAltName=IP:127.0.0.1 -keyout " + key +
                            " -out " + cert + " 2>/dev/null";
    ASSERT_EQ(std::system(cmd.c_str()), 0) << "openssl could not make a test certificate";
    cert_ = new std::string(cert);
    server_ = new TestServer(std::vector<std::string>{
        "node", std::string(WARCPAIRS_SOURCE_DIR) + "/tests/net/h2_test_server.mjs", files_->dir().string(), key, cert});
  }
  static void TearDownTestSuite() {
    delete server_;
    delete cert_;
    delete files_;
  }
  static std::string url(const std::string& path) {
    return "https://127.0.0.1:" + std::to_string(server_->port()) + path;
  }
  static FetchOptions options() {
    FetchOptions o;
    o.allow_loopback = true;
    o.ca_file = *cert_;
    o.max_connections = 16;
    o.max_per_host = 4;
    return o;
  }
  static inline FileSet* files_ = nullptr;
  static inline TestServer* server_ = nullptr;
  static inline std::string* cert_ = nullptr;
};

TEST_F(Http2Test, TransfersShareOneMultiplexedConnection) {
  Downloader d(options());
  for (int i = 0; i < 40; ++i) d.add(static_cast<uint64_t>(i), url("/img/h" + std::to_string(i) + ".jpg"));
  std::map<uint64_t, FetchResult> got;
  d.run([&](FetchResult&& r) { got.emplace(r.key, std::move(r)); });
  ASSERT_EQ(got.size(), 40u);
  for (auto& [key, r] : got) {
    ASSERT_EQ(r.outcome, "ok") << key << ": " << r.detail;
    EXPECT_EQ(r.body, testing::read_file(files_->dir() / testing::numbered("h", key)));
  }
  // Stats come over a new Downloader, hence a second session; the 40 came over one, as streams.
  Downloader s(options());
  s.add(0, url("/_stats"));
  std::string stats;
  s.run([&](FetchResult&& r) { stats.assign(r.body.begin(), r.body.end()); });
  EXPECT_EQ(stats, R"({"sessions":2,"streams":41,"h1":0})");
}

TEST_F(Http2Test, UnverifiedCertificatesAreRefused) {
  FetchOptions o = options();
  o.ca_file.clear();  // the system CAs do not know the test certificate
  Downloader d(o);
  d.add(1, url("/img/h0.jpg"));
  FetchResult got;
  d.run([&](FetchResult&& r) { got = std::move(r); });
  EXPECT_EQ(got.outcome, "transfer_error");
  EXPECT_NE(got.detail.find("certificate"), std::string::npos) << got.detail;
  EXPECT_TRUE(got.body.empty());
}

// Over HTTP/2 the engine's raw headers are libcurl's HTTP/1-style rendering of the decoded fields;
// with http2 off the same server answers over HTTP/1.1.
TEST_F(Http2Test, EngineHeadersNameTheProtocolUsed) {
  for (const bool h2 : {true, false}) {
    TransferOptions o = options();
    o.http2 = h2;
    TransferEngine engine(o);
    engine.add(1, url("/img/h1.jpg"));
    Response got;
    engine.run([&](Response&& r) { got = std::move(r); });
    ASSERT_EQ(got.outcome, "ok") << got.detail;
    EXPECT_TRUE(got.headers.starts_with(h2 ? "HTTP/2 200 \r\n" : "HTTP/1.1 200 OK\r\n")) << got.headers;
    EXPECT_TRUE(got.headers.ends_with("\r\n\r\n")) << got.headers;
    EXPECT_EQ(header_values(got.headers, "content-type"), std::vector<std::string_view>{"image/jpeg"});
    EXPECT_EQ(got.body, testing::read_file(files_->dir() / testing::numbered("h", 1)));
    EXPECT_GT(got.timings.tls, 0) << h2;
  }
}

}  // namespace
}  // namespace warcpairs::net
