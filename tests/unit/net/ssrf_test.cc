// SSRF cases, run only inside a network namespace with nothing but loopback (`unshare -n`), so that
// a broken guard still cannot send a packet off the machine; each case asserts the guard refused.
#include <ifaddrs.h>
#include <net/if.h>

#include <gtest/gtest.h>

#include <cstdio>
#include <cstring>
#include <string>

#include "test_server.h"
#include "warcpairs/net/downloader.h"
#include "warcpairs/net/transfer_engine.h"

namespace warcpairs::net {
namespace {
using testing::FileSet;

FetchResult fetch(const FetchOptions& o, const std::string& url) {
  return testing::fetch_one<Downloader, FetchResult>(o, url, 1);
}

FetchOptions strict() {
  FetchOptions o;
  o.backoff_s = 0.01;
  o.connect_timeout_ms = 2000;
  o.total_timeout_ms = 3000;
  return o;
}

// The guard's own verdict, not a connect failure that happens to look alike.
void expect_refused(const Response& r, const std::string& what) {
  EXPECT_EQ(r.outcome, "blocked_address") << what << ": " << r.detail;
  EXPECT_NE(r.detail.find("refused before"), std::string::npos) << what << ": " << r.detail;
  EXPECT_EQ(r.attempts, 1) << what;
  EXPECT_TRUE(r.body.empty()) << what;
}

class SsrfTest : public testing::ServerSuite<SsrfTest> {
 public:
  static void add_files(FileSet& files) { files.add("cat.jpg", 5000, 9); }

 protected:
  static std::string port() { return std::to_string(server_->port()); }
};

TEST_F(SsrfTest, PrivateLiteralAddressesAreRefused) {
  for (const std::string url :
       {"http://10.1.2.3/", "http://192.168.0.1/x.jpg", "http://172.16.5.4:8080/", "http://[fd00::1]/",
        "http://169.254.169.254/latest/meta-data/", "http://100.64.0.1/", "http://[fe80::1]/",
        "http://0.0.0.0/", "http://2130706433/", "http://0x7f.1/", "https://10.0.0.1/",
        "http://[::ffff:10.0.0.1]/", "http://[64:ff9b::a00:1]/"}) {
    expect_refused(fetch(strict(), url), url);
  }
  // Mapped loopback stays refused even where plain loopback is allowed.
  auto o = strict();
  o.allow_loopback = true;
  expect_refused(fetch(o, "http://[::ffff:127.0.0.1]:" + port() + "/img/cat.jpg"), "mapped loopback");
  expect_refused(fetch(strict(), server_->url("/img/cat.jpg")), "loopback without allow_loopback");
  EXPECT_EQ(server_->hits("/img/cat.jpg"), 0);
}

TEST_F(SsrfTest, HostnamesResolvingToPrivateAddressesAreRefused) {
  auto o = strict();
  o.resolve = {"evil.test:80:10.0.0.1", "meta.test:80:169.254.169.254", "v6.test:80:[fd12::1]",
               "both.test:80:192.168.1.1,10.9.9.9"};
  for (const char* url : {"http://evil.test/", "http://meta.test/latest/", "http://v6.test/", "http://both.test/"}) {
    expect_refused(fetch(o, url), url);
  }
}

TEST_F(SsrfTest, RedirectsToPrivateAddressesAreRefused) {
  auto o = strict();
  o.allow_loopback = true;  // for the test server itself, nothing more
  const int before = server_->hits("/redirect");
  for (const char* to : {"http%3A%2F%2F10.0.0.1%2F", "http%3A%2F%2F169.254.169.254%2Flatest%2Fmeta-data%2F",
                         "http%3A%2F%2F%5Bfd00%3A%3A1%5D%2F"}) {
    auto r = fetch(o, server_->url(std::string("/redirect?n=2&to=") + to));
    expect_refused(r, to);
  }
  EXPECT_EQ(server_->hits("/redirect") - before, 6);  // both hops of each chain were served
}

// The engine applies the guard itself, without the image policy; a redirect it returns unfollowed
// connects to nothing.
TEST_F(SsrfTest, TheEngineAloneRefusesPrivateAddresses) {
  TransferOptions o = strict();
  o.allow_loopback = true;
  auto get = [&o](const std::string& url) { return testing::fetch_one<TransferEngine, Response>(o, url, 1); };
  expect_refused(get("http://10.1.2.3/"), "engine, literal");
  const std::string hop = server_->url("/redirect?n=1&to=http%3A%2F%2F169.254.169.254%2Flatest%2F");
  expect_refused(get(hop), "engine, followed redirect");
  o.follow_redirects = false;
  auto unfollowed = get(hop);
  EXPECT_EQ(unfollowed.outcome, "ok") << unfollowed.detail;
  EXPECT_EQ(unfollowed.http_status, 302);
  EXPECT_EQ(unfollowed.redirect_url, "http://169.254.169.254/latest/");
  EXPECT_EQ(unfollowed.ip, "127.0.0.1");
}

// DNS rebinding: the name first points at an allowed address, the next connection to the same
// name at a private one. The guard judges each connection's address, so the second is refused.
TEST_F(SsrfTest, RebindingIsCheckedPerConnection) {
  auto o = strict();
  o.allow_loopback = true;
  o.resolve = {"rebind.test:" + port() + ":127.0.0.1", "rebind.test:9:10.0.0.1"};
  auto first = fetch(o, "http://rebind.test:" + port() + "/img/cat.jpg");
  EXPECT_EQ(first.outcome, "ok") << first.detail;
  EXPECT_EQ(first.ip, "127.0.0.1");
  auto r = fetch(o, "http://rebind.test:" + port() + "/redirect?n=1&to=http%3A%2F%2Frebind.test%3A9%2Fimg%2Fcat.jpg");
  expect_refused(r, "rebinding via redirect");
  EXPECT_EQ(server_->hits("/img/cat.jpg"), 1);
}

// Several addresses for one name: the private one is refused, the allowed one is used.
TEST_F(SsrfTest, OnlyTheConnectedAddressCounts) {
  auto o = strict();
  o.allow_loopback = true;
  o.resolve = {"mixed.test:" + port() + ":10.0.0.1,127.0.0.1"};
  auto r = fetch(o, "http://mixed.test:" + port() + "/img/cat.jpg");
  EXPECT_EQ(r.outcome, "ok") << r.detail;
  EXPECT_EQ(r.ip, "127.0.0.1");
}

// --connect-to: the URL keeps its host name and port, the connection goes to the mapped address,
// which the guard judges like any other (a name mapped to a private address is refused).
TEST_F(SsrfTest, ConnectToReachesTheMappedAddressAndIsGuarded) {
  auto o = strict();
  o.allow_loopback = true;
  o.connect_to = {"images.test:80:127.0.0.1:" + port(), ":81:10.0.0.1:" + port()};
  const int before = server_->hits("/img/cat.jpg");
  auto r = fetch(o, "http://images.test/img/cat.jpg");
  EXPECT_EQ(r.outcome, "ok") << r.detail;
  EXPECT_EQ(r.ip, "127.0.0.1");
  EXPECT_EQ(r.final_url, "http://images.test/img/cat.jpg");
  expect_refused(fetch(o, "http://other.test:81/img/cat.jpg"), "connect-to a private address");
  EXPECT_EQ(server_->hits("/img/cat.jpg"), before + 1);
}

// Allowed addresses are not refused: in this namespace they fail to connect, and that is a
// different outcome, so the tests above cannot pass by confusing the two.
TEST_F(SsrfTest, PublicAddressesAreNotRefused) {
  auto o = strict();
  o.retries = 1;
  auto r = fetch(o, "http://8.8.8.8/");
  EXPECT_EQ(r.outcome, "connect_failed") << r.detail;
  EXPECT_EQ(r.attempts, 2);
  auto dns = fetch(strict(), "http://no-such-host.invalid/");
  EXPECT_EQ(dns.outcome, "dns_failed") << dns.detail;
}

// Only loopback may exist here: otherwise a broken guard could reach a real network.
bool only_loopback(std::string* why) {
  ifaddrs* list = nullptr;
  if (getifaddrs(&list) != 0) {
    *why = "getifaddrs failed";
    return false;
  }
  bool ok = true, lo_up = false;
  for (ifaddrs* a = list; a; a = a->ifa_next) {
    if (std::strcmp(a->ifa_name, "lo") != 0) {
      ok = false;
      *why = std::string("interface ") + a->ifa_name + " present";
    } else if (a->ifa_flags & IFF_UP) {
      lo_up = true;
    }
  }
  freeifaddrs(list);
  if (ok && !lo_up) *why = "lo is down";
  return ok && lo_up;
}

}  // namespace
}  // namespace warcpairs::net

int main(int argc, char** argv) {
  std::string why;
  if (!warcpairs::net::only_loopback(&why)) {
    std::fprintf(stderr,
                 "net_ssrf_test refuses to run: %s. Run it in a fresh network namespace:\n"
                 "  unshare -n sh -c 'ip link set lo up && exec net_ssrf_test'\n",
                 why.c_str());
    return 1;
  }
  ::testing::InitGoogleTest(&argc, argv);
  return RUN_ALL_TESTS();
}
