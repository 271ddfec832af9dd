// Downloader against the project's HTTP test server on loopback: real files and every failure path.
#include "warcpairs/net/downloader.h"

#include <arpa/inet.h>
#include <curl/curl.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <ctime>

#include <chrono>
#include <filesystem>
#include <map>
#include <memory>

#include "test_server.h"

namespace warcpairs::net {
namespace {
using testing::FileSet;

class DownloaderTest : public testing::ServerSuite<DownloaderTest> {
 public:
  static void add_files(FileSet& files) {
    photo_ = files.add("photo.jpg", 150'000, 1);
    files.add("empty.jpg", 0, 2);
    files.add("one.png", 1, 3);
    files.add("target.jpg", 10, 4);
    for (int i = 0; i < 200; ++i) files.add(testing::numbered("p", i), 1000 + 37 * i, 100 + i);
    // A real binary file from the shared data, served as it is.
    std::filesystem::copy_file(std::string(WARCPAIRS_SHARED_DIR) + "/data/warc/pywb-iana.warc.gz",
                               files.dir() / "iana.gif");
    // Real images of every format (the image layer's fuzz seeds), served under their own names.
    for (const auto& e : std::filesystem::directory_iterator(kImageDir)) {
      std::filesystem::copy_file(e.path(), files.dir() / ("real-" + e.path().filename().string()));
    }
  }

 protected:
  static inline const std::string kImageDir = std::string(WARCPAIRS_SOURCE_DIR) + "/tests/fuzz/image_fuzz/seeds";

  static FetchOptions loopback() { return testing::loopback_options<FetchOptions>(); }
  static FetchResult fetch(const FetchOptions& o, const std::string& path_or_url) {
    return testing::fetch_one<Downloader, FetchResult>(
        o, path_or_url.starts_with("/") ? server_->url(path_or_url) : path_or_url, 7);
  }

  static inline std::vector<uint8_t> photo_;
};

TEST_F(DownloaderTest, FetchesRealFilesByteForByte) {
  auto r = fetch(loopback(), "/img/photo.jpg");
  EXPECT_EQ(r.outcome, "ok") << r.detail;
  EXPECT_EQ(r.key, 7u);
  EXPECT_EQ(r.http_status, 200);
  EXPECT_EQ(r.content_type, "image/jpeg");
  EXPECT_EQ(r.ip, "127.0.0.1");
  EXPECT_EQ(r.attempts, 1);
  EXPECT_FALSE(r.noai);
  EXPECT_EQ(r.body, photo_);
  auto real = fetch(loopback(), "/img/iana.gif");
  EXPECT_EQ(real.outcome, "ok");
  EXPECT_EQ(real.body, testing::read_file(files_->dir() / "iana.gif"));
  EXPECT_EQ(fetch(loopback(), "/img/empty.jpg").body.size(), 0u);
  EXPECT_EQ(fetch(loopback(), "/img/one.png").body, testing::read_file(files_->dir() / "one.png"));
}

TEST_F(DownloaderTest, FetchesRealImagesOfEveryFormat) {
  const std::map<std::string, std::string> types = {
      {".jpg", "image/jpeg"}, {".png", "image/png"}, {".gif", "image/gif"}, {".webp", "image/webp"}};
  Downloader d(loopback());
  std::vector<std::filesystem::path> paths;
  for (const auto& e : std::filesystem::directory_iterator(kImageDir)) {
    paths.push_back(e.path());
    d.add(paths.size() - 1, server_->url("/img/real-" + e.path().filename().string()));
  }
  ASSERT_GE(paths.size(), 4u);
  size_t ok = 0;
  d.run([&](FetchResult&& r) {
    const auto& p = paths.at(r.key);
    EXPECT_EQ(r.outcome, "ok") << p;
    EXPECT_EQ(r.body, testing::read_file(p)) << p;
    EXPECT_EQ(r.content_type, types.at(p.extension().string())) << p;
    ok += r.outcome == "ok";
  });
  EXPECT_EQ(ok, paths.size());
}

TEST_F(DownloaderTest, NotFoundIsNotRetried) {
  auto r = fetch(loopback(), "/status/404");
  EXPECT_EQ(r.outcome, "http_error");
  EXPECT_EQ(r.http_status, 404);
  EXPECT_EQ(r.attempts, 1);
  EXPECT_TRUE(r.body.empty());
  EXPECT_EQ(server_->hits("/status/404"), 1);
}

TEST_F(DownloaderTest, ServerErrorIsRetriedThenReported) {
  auto o = loopback();
  o.retries = 2;
  auto r = fetch(o, "/status/500");
  EXPECT_EQ(r.outcome, "http_error");
  EXPECT_EQ(r.http_status, 500);
  EXPECT_EQ(r.attempts, 3);
  EXPECT_EQ(server_->hits("/status/500"), 3);
}

TEST_F(DownloaderTest, BackoffGrowsExponentially) {
  auto o = loopback();
  o.retries = 2;
  o.backoff_s = 0.2;  // waits 0.2 and 0.4 s, each jittered by a factor in [0.75, 1.25)
  auto r = fetch(o, "/status/503");
  EXPECT_EQ(r.outcome, "http_error");
  EXPECT_EQ(r.attempts, 3);
  EXPECT_GE(r.seconds, 0.45);
  EXPECT_LT(r.seconds, 1.5);
}

TEST_F(DownloaderTest, ConnectFailuresAreRetried) {
  // A port nobody listens on: bind one, note it, close it.
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof a;
  ASSERT_EQ(bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a), 0);
  ASSERT_EQ(getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len), 0);
  close(fd);
  auto o = loopback();
  o.retries = 2;
  auto r = fetch(o, "http://127.0.0.1:" + std::to_string(ntohs(a.sin_port)) + "/x.jpg");
  EXPECT_EQ(r.outcome, "connect_failed") << r.detail;
  EXPECT_EQ(r.attempts, 3);
}

TEST_F(DownloaderTest, RetryAfterAsHttpDate) {
  char date[64];
  const time_t at = time(nullptr) + 2;
  tm gmt{};
  gmtime_r(&at, &gmt);
  strftime(date, sizeof date, "%a, %d %b %Y %H:%M:%S GMT", &gmt);  // RFC 9110 §5.6.7 IMF-fixdate
  char* escaped = curl_easy_escape(nullptr, date, 0);
  auto r = fetch(loopback(), std::string("/429?times=1&key=date&after=") + escaped);
  curl_free(escaped);
  EXPECT_EQ(r.outcome, "ok") << r.detail;
  EXPECT_EQ(r.attempts, 2);
  EXPECT_GE(r.seconds, 0.9);  // the date has one-second resolution
  EXPECT_LT(r.seconds, 4.0);
}

TEST_F(DownloaderTest, RetryAfterIsHonoured) {
  auto r = fetch(loopback(), "/429?after=1&times=1&key=honoured");
  EXPECT_EQ(r.outcome, "ok") << r.detail;
  EXPECT_EQ(r.attempts, 2);
  EXPECT_GE(r.seconds, 1.0);
  EXPECT_LT(r.seconds, 4.0);
  // A Retry-After beyond the cap waits only the cap.
  auto o = loopback();
  o.max_retry_after_s = 0.2;
  auto capped = fetch(o, "/429?after=3600&times=1&key=capped");
  EXPECT_EQ(capped.outcome, "ok");
  EXPECT_GE(capped.seconds, 0.2);
  EXPECT_LT(capped.seconds, 3.0);
  // 429 every time: reported as http_error after the retries.
  o.retries = 1;
  auto always = fetch(o, "/429?after=0&times=99&key=always");
  EXPECT_EQ(always.outcome, "http_error");
  EXPECT_EQ(always.http_status, 429);
  EXPECT_EQ(always.attempts, 2);
}

TEST_F(DownloaderTest, DelayedRetryDoesNotBlockOthers) {
  Downloader d(loopback());
  d.add(1, server_->url("/429?after=1&times=1&key=nonblocking"));
  for (int i = 0; i < 10; ++i) d.add(10 + i, server_->url("/img/p" + std::to_string(i) + ".jpg"));
  std::vector<uint64_t> order;
  d.run([&](FetchResult&& r) {
    EXPECT_EQ(r.outcome, "ok");
    order.push_back(r.key);
  });
  ASSERT_EQ(order.size(), 11u);
  EXPECT_EQ(order.back(), 1u);  // the others all finished while it waited
}

TEST_F(DownloaderTest, FlakySucceedsOnThirdAttempt) {
  auto r = fetch(loopback(), "/flaky?fails=2&key=third");
  EXPECT_EQ(r.outcome, "ok");
  EXPECT_EQ(r.attempts, 3);
  EXPECT_EQ(std::string(r.body.begin(), r.body.end()), "\xff\xd8" "flaky-ok\xff\xd9");
}

TEST_F(DownloaderTest, RedirectChainsAreFollowedAndCapped) {
  auto r = fetch(loopback(), "/redirect?to=/img/one.png&n=3");
  EXPECT_EQ(r.outcome, "ok");
  EXPECT_EQ(r.final_url, server_->url("/img/one.png"));
  EXPECT_EQ(r.body.size(), 1u);
  EXPECT_EQ(server_->hits("/redirect"), 3);
  auto o = loopback();
  o.max_redirects = 2;
  auto capped = fetch(o, "/redirect?to=/img/target.jpg&n=3");
  EXPECT_EQ(capped.outcome, "too_many_redirects");
  EXPECT_EQ(server_->hits("/img/target.jpg"), 0);
  // Redirects to a scheme other than http/https are refused.
  auto ftp = fetch(loopback(), "/redirect?to=" "ftp%3A%2F%2F127.0.0.1%2Fx&n=1");
  EXPECT_EQ(ftp.outcome, "bad_url") << ftp.detail;
}

TEST_F(DownloaderTest, BodiesOverTheCapAreRefused) {
  auto o = loopback();
  o.max_bytes = 100'000;
  for (const char* chunked : {"0", "1"}) {
    auto big = fetch(o, std::string("/big?bytes=300000&chunked=") + chunked);
    EXPECT_EQ(big.outcome, "too_large") << "chunked=" << chunked << " " << big.detail;
    EXPECT_TRUE(big.body.empty());
    EXPECT_EQ(big.attempts, 1);
    auto edge = fetch(o, std::string("/big?bytes=100000&chunked=") + chunked);
    EXPECT_EQ(edge.outcome, "ok") << "chunked=" << chunked;
    EXPECT_EQ(edge.body.size(), 100'000u);
    auto over = fetch(o, std::string("/big?bytes=100001&chunked=") + chunked);
    EXPECT_EQ(over.outcome, "too_large") << "chunked=" << chunked;
  }
}

TEST_F(DownloaderTest, TruncatedBodyIsATransferError) {
  auto r = fetch(loopback(), "/truncated");
  EXPECT_EQ(r.outcome, "transfer_error");
  EXPECT_TRUE(r.body.empty());
  EXPECT_FALSE(r.detail.empty());
}

TEST_F(DownloaderTest, SlowResponsesTimeOut) {
  auto o = loopback();
  o.total_timeout_ms = 300;
  o.retries = 1;
  for (const char* mode : {"headers", "dribble"}) {
    const auto t0 = std::chrono::steady_clock::now();
    auto r = fetch(o, std::string("/slow?ms=3000&mode=") + mode);
    const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    EXPECT_EQ(r.outcome, "timeout") << mode;
    EXPECT_EQ(r.attempts, 2) << mode;  // timeouts are retried
    EXPECT_LT(s, 2.0) << mode;
  }
  EXPECT_EQ(server_->hits("/slow"), 4);
}

TEST_F(DownloaderTest, NoaiIsHonouredAndRecorded) {
  for (const char* path : {"/noai", "/robots?tag=noimageai"}) {
    auto r = fetch(loopback(), path);
    EXPECT_EQ(r.outcome, "noai") << path;
    EXPECT_TRUE(r.noai) << path;
    EXPECT_TRUE(r.body.empty()) << path;
    auto o = loopback();
    o.honour_noai = false;
    auto kept = fetch(o, path);
    EXPECT_EQ(kept.outcome, "ok") << path;
    EXPECT_TRUE(kept.noai) << path;
    EXPECT_FALSE(kept.body.empty()) << path;
  }
  // img2dataset's rule: "otherbot: noimageai" addresses another bot only (/noimageai).
  auto other = fetch(loopback(), "/noimageai");
  EXPECT_EQ(other.outcome, "ok");
  EXPECT_FALSE(other.noai);
  EXPECT_EQ(other.opt_out, "");
  // noai on a redirect hop is not the image's own header.
  auto hop = fetch(loopback(), "/redirect?to=/img/one.png&n=1");
  EXPECT_FALSE(hop.noai);
}

// img2dataset's default list and rule, and --disallowed-directives / --user-agent-token.
TEST_F(DownloaderTest, OptOutDirectivesAndTheirReason) {
  struct Case {
    const char* path;
    const char* opt_out;
  };
  const Case cases[] = {
      {"/robots?tag=noindex", "noindex"},
      {"/robots?tag=nofollow,%20noimageindex", "noimageindex"},
      {"/robots?tag=warcpairs:%20noai", "noai"},
      {"/robots?tag=otherbot:%20noindex", ""},
      {"/robots?tag=nofollow&tag2=noimageai", "noimageai"},  // a second field counts too
      {"/robots?tag=nofollow", ""},
  };
  for (const Case& c : cases) {
    auto r = fetch(loopback(), c.path);
    EXPECT_EQ(r.opt_out, c.opt_out) << c.path;
    EXPECT_EQ(r.outcome, *c.opt_out ? "noai" : "ok") << c.path;
    EXPECT_EQ(r.noai, *c.opt_out != 0) << c.path;
  }
  auto o = loopback();
  o.opt_out.disallowed = {"noai"};  // --disallowed-directives noai
  EXPECT_EQ(fetch(o, "/robots?tag=noindex").outcome, "ok");
  EXPECT_EQ(fetch(o, "/noai").outcome, "noai");
  o.opt_out = {};
  o.opt_out.user_agent_token = "otherbot";  // --user-agent-token otherbot
  auto r = fetch(o, "/robots?tag=otherbot:%20noindex");
  EXPECT_EQ(r.outcome, "noai");
  EXPECT_EQ(r.opt_out, "noindex");
}

TEST_F(DownloaderTest, WrongTypeIsReportedNotJudged) {
  auto r = fetch(loopback(), "/wrongtype");
  EXPECT_EQ(r.outcome, "ok");
  EXPECT_EQ(r.content_type, "text/html; charset=utf-8");
  EXPECT_EQ(std::string(r.body.begin(), r.body.begin() + 9), "<!doctype");
}

TEST_F(DownloaderTest, LoopbackIsRefusedByDefault) {
  FetchOptions o;  // allow_loopback = false
  o.backoff_s = 0.01;
  for (const std::string& url : {server_->url("/img/p199.jpg"),
                                 "http://localhost:" + std::to_string(server_->port()) + "/img/p199.jpg",
                                 "http://[::ffff:127.0.0.1]:" + std::to_string(server_->port()) + "/img/p199.jpg"}) {
    auto r = fetch(o, url);
    EXPECT_EQ(r.outcome, "blocked_address") << url << ": " << r.detail;
    EXPECT_EQ(r.attempts, 1) << url;  // a refusal is final, never retried
    EXPECT_TRUE(r.body.empty());
  }
  EXPECT_EQ(server_->hits("/img/p199.jpg"), 0);
}

TEST_F(DownloaderTest, BadUrls) {
  for (const char* url : {"ftp://example.com/a.jpg", "file:///etc/passwd", "gopher://x/", "http://", "::"}) {
    auto r = fetch(loopback(), url);
    EXPECT_EQ(r.outcome, "bad_url") << url << ": " << r.detail;
  }
}

TEST_F(DownloaderTest, ManyUrlsInParallel) {
  auto o = loopback();
  o.max_connections = 32;
  o.max_per_host = 16;
  Downloader d(o);
  for (int i = 0; i < 200; ++i) d.add(static_cast<uint64_t>(i), server_->url("/img/p" + std::to_string(i) + ".jpg"));
  EXPECT_EQ(d.pending(), 200u);
  std::map<uint64_t, FetchResult> got;
  d.run([&](FetchResult&& r) { got.emplace(r.key, std::move(r)); });
  ASSERT_EQ(got.size(), 200u);
  for (auto& [key, r] : got) {
    ASSERT_EQ(r.outcome, "ok") << key << " " << r.detail;
    EXPECT_EQ(r.body, testing::read_file(files_->dir() / testing::numbered("p", key))) << key;
  }
  for (int i = 10; i < 199; ++i) EXPECT_EQ(server_->hits("/img/p" + std::to_string(i) + ".jpg"), 1) << i;
}

TEST_F(DownloaderTest, ConnectionsAreKeptAlive) {
  auto o = loopback();
  o.max_connections = 1;
  Downloader d(o);
  for (int i = 0; i < 30; ++i) d.add(static_cast<uint64_t>(i), server_->url("/img/p" + std::to_string(i % 5) + ".jpg"));
  const int before = server_->hits("_connections");
  int ok = 0;
  d.run([&](FetchResult&& r) { ok += r.outcome == "ok"; });
  EXPECT_EQ(ok, 30);
  // One connection for 30 requests (the hit query itself opens one more).
  EXPECT_EQ(server_->hits("_connections") - before, 2);
}

TEST_F(DownloaderTest, PerHostLimitHolds) {
  // Eight 400 ms responses from one host: two at a time take four rounds, eight at a time one.
  auto timed = [](int per_host) {
    auto o = loopback();
    o.max_per_host = per_host;
    Downloader d(o);
    for (int i = 0; i < 8; ++i) d.add(static_cast<uint64_t>(i), server_->url("/slow?ms=400&i=" + std::to_string(i)));
    const auto t0 = std::chrono::steady_clock::now();
    int ok = 0;
    d.run([&](FetchResult&& r) { ok += r.outcome == "ok"; });
    EXPECT_EQ(ok, 8);
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  };
  EXPECT_GE(timed(2), 1.6);
  EXPECT_LT(timed(8), 1.2);
}

TEST_F(DownloaderTest, ProxyVariablesAreIgnored) {
  // A proxy would make the guard judge the proxy's address; downloads go to the origin only.
  setenv("http_proxy", "http://192.0.2.1:3128", 1);
  setenv("HTTP_PROXY", "http://192.0.2.1:3128", 1);
  auto r = fetch(loopback(), "/img/one.png");
  unsetenv("http_proxy");
  unsetenv("HTTP_PROXY");
  EXPECT_EQ(r.outcome, "ok") << r.detail;
  EXPECT_EQ(r.ip, "127.0.0.1");
}

TEST_F(DownloaderTest, UrlsAddedFromTheCallbackAreFetched) {
  Downloader d(loopback());
  d.add(0, server_->url("/img/p0.jpg"));
  std::vector<uint64_t> keys;
  d.run([&](FetchResult&& r) {
    EXPECT_EQ(r.outcome, "ok");
    keys.push_back(r.key);
    if (r.key < 4) d.add(r.key + 1, server_->url("/img/p" + std::to_string(r.key + 1) + ".jpg"));
  });
  EXPECT_EQ(keys, (std::vector<uint64_t>{0, 1, 2, 3, 4}));
}

TEST_F(DownloaderTest, StopAbandonsUnfinishedKeys) {
  Downloader d(loopback());
  d.add(1, server_->url("/img/one.png"));
  for (uint64_t k = 2; k < 6; ++k) d.add(k, server_->url("/slow?ms=3000&mode=headers&k=" + std::to_string(k)));
  std::vector<uint64_t> done;
  const auto t0 = std::chrono::steady_clock::now();
  d.run([&](FetchResult&& r) { done.push_back(r.key); },
        [&] { return std::chrono::steady_clock::now() - t0 > std::chrono::milliseconds(500); });
  EXPECT_EQ(done, std::vector<uint64_t>{1});
  auto left = d.abandoned();
  std::sort(left.begin(), left.end());
  EXPECT_EQ(left, (std::vector<uint64_t>{2, 3, 4, 5}));
  EXPECT_EQ(d.pending(), 0u);
  EXPECT_TRUE(d.abandoned().empty());
}

}  // namespace
}  // namespace warcpairs::net
