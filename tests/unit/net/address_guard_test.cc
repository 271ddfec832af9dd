// Address guard: a table of addresses, IPv4 and IPv6, each with the verdict the ranges require.
#include "warcpairs/net/address_guard.h"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>

#include "warcpairs/net/downloader.h"

namespace warcpairs::net {
namespace {

struct Case {
  const char* ip;
  bool forbidden;
  bool forbidden_with_loopback_allowed;
};

// Expectations from the IANA special-purpose registries (RFC 6890) and RFC 4291 / 4193 / 6052.
constexpr Case kCases[] = {
    // Public unicast.
    {"8.8.8.8", false, false},
    {"1.1.1.1", false, false},
    {"93.184.216.34", false, false},
    {"100.63.255.255", false, false},   // just below CGNAT
    {"100.128.0.0", false, false},      // just above CGNAT
    {"172.15.255.255", false, false},   // just below 172.16/12
    {"172.32.0.0", false, false},       // just above
    {"169.253.255.255", false, false},
    {"198.17.255.255", false, false},
    {"198.20.0.0", false, false},
    {"223.255.255.255", false, false},  // last before multicast
    {"11.0.0.0", false, false},
    {"126.255.255.255", false, false},
    {"128.0.0.0", false, false},
    // Forbidden IPv4.
    {"0.0.0.0", true, true},
    {"0.255.255.255", true, true},
    {"10.0.0.1", true, true},
    {"10.255.255.255", true, true},
    {"100.64.0.1", true, true},
    {"100.127.255.255", true, true},
    {"127.0.0.1", true, false},
    {"127.255.255.254", true, false},
    {"169.254.169.254", true, true},    // cloud metadata
    {"172.16.0.1", true, true},
    {"172.31.255.255", true, true},
    {"192.0.0.8", true, true},
    {"192.0.2.1", true, true},
    {"192.88.99.1", true, true},
    {"192.168.0.1", true, true},
    {"198.18.0.1", true, true},
    {"198.19.255.255", true, true},
    {"198.51.100.7", true, true},
    {"203.0.113.9", true, true},
    {"224.0.0.1", true, true},
    {"239.255.255.250", true, true},
    {"240.0.0.1", true, true},
    {"255.255.255.255", true, true},
    // Public IPv6.
    {"2606:4700:4700::1111", false, false},
    {"2a00:1450:4001:80b::200e", false, false},
    {"2001:4860:4860::8888", false, false},
    {"::ffff:8.8.8.8", false, false},   // IPv4-mapped public: judged by its IPv4
    {"2002:0808:0808::1", false, false},  // 6to4 of 8.8.8.8
    // Forbidden IPv6.
    {"::", true, true},
    {"::1", true, false},
    {"::2", true, true},
    {"::ffff:127.0.0.1", true, true},   // mapped loopback is refused even in test mode
    {"::ffff:10.0.0.1", true, true},
    {"::ffff:169.254.169.254", true, true},
    {"::ffff:0.0.0.0", true, true},
    {"::127.0.0.1", true, true},        // IPv4-compatible
    {"64:ff9b::a00:1", true, true},     // NAT64 of 10.0.0.1
    {"64:ff9b::808:808", true, true},   // NAT64 refused whatever it embeds
    {"64:ff9b:1::1", true, true},
    {"100::1", true, true},
    {"2001:db8::1", true, true},
    {"2001:0:4136:e378:8000:63bf:3fff:fdd2", true, true},  // Teredo
    {"2002:7f00:1::1", true, true},     // 6to4 of 127.0.0.1
    {"2002:a00:1::1", true, true},      // 6to4 of 10.0.0.1
    {"fc00::1", true, true},
    {"fd00::1", true, true},
    {"fdff:ffff::1", true, true},
    {"fe80::1", true, true},
    {"febf::1", true, true},
    {"fec0::1", true, true},
    {"ff02::1", true, true},
    {"ff0e::1", true, true},
    {"4000::1", true, true},            // outside 2000::/3: unassigned
    {"1::1", true, true},
};

TEST(AddressGuard, Table) {
  for (const auto& c : kCases) {
    std::string why;
    EXPECT_EQ(is_forbidden_address(c.ip, false, &why), c.forbidden) << c.ip << " (" << why << ")";
    EXPECT_EQ(is_forbidden_address(c.ip, true, &why), c.forbidden_with_loopback_allowed)
        << c.ip << " with loopback allowed (" << why << ")";
    if (c.forbidden) {
      is_forbidden_address(c.ip, false, &why);
      EXPECT_FALSE(why.empty()) << c.ip;
    }
  }
}

TEST(AddressGuard, SockaddrFormsAgreeWithStrings) {
  sockaddr_in v4{};
  v4.sin_family = AF_INET;
  ASSERT_EQ(inet_pton(AF_INET, "192.168.1.1", &v4.sin_addr), 1);
  EXPECT_TRUE(is_forbidden_address(reinterpret_cast<sockaddr*>(&v4), sizeof v4, true));
  ASSERT_EQ(inet_pton(AF_INET, "8.8.4.4", &v4.sin_addr), 1);
  EXPECT_FALSE(is_forbidden_address(reinterpret_cast<sockaddr*>(&v4), sizeof v4, false));
  sockaddr_in6 v6{};
  v6.sin6_family = AF_INET6;
  ASSERT_EQ(inet_pton(AF_INET6, "::1", &v6.sin6_addr), 1);
  EXPECT_TRUE(is_forbidden_address(reinterpret_cast<sockaddr*>(&v6), sizeof v6, false));
  EXPECT_FALSE(is_forbidden_address(reinterpret_cast<sockaddr*>(&v6), sizeof v6, true));
}

TEST(AddressGuard, MalformedInputsAreRefused) {
  sockaddr_in v4{};
  v4.sin_family = AF_INET;
  ASSERT_EQ(inet_pton(AF_INET, "8.8.8.8", &v4.sin_addr), 1);
  // A length too short for the family, an unknown family, no address at all.
  EXPECT_TRUE(is_forbidden_address(reinterpret_cast<sockaddr*>(&v4), sizeof v4 - 1, false));
  sockaddr unix_like{};
  unix_like.sa_family = AF_UNIX;
  EXPECT_TRUE(is_forbidden_address(&unix_like, sizeof unix_like, true));
  EXPECT_TRUE(is_forbidden_address(nullptr, 0, true));
  EXPECT_TRUE(is_forbidden_address(std::string("localhost"), true));
  EXPECT_TRUE(is_forbidden_address(std::string(""), true));
  EXPECT_TRUE(is_forbidden_address(std::string("0x7f.1"), true));
}

}  // namespace
}  // namespace warcpairs::net
