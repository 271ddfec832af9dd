// SSRF guard: classifies socket addresses; every connection a download makes passes through here.
#include "warcpairs/net/address_guard.h"

#include <arpa/inet.h>
#include <netinet/in.h>

#include <cstdint>
#include <cstring>

namespace warcpairs::net {
namespace {

struct V4Range {
  uint32_t base;
  int prefix;
  const char* why;
};

// IANA IPv4 Special-Purpose Address Registry (RFC 6890) plus multicast and the reserved block.
constexpr V4Range kV4Forbidden[] = {
    {0x00000000, 8, "this-network 0.0.0.0/8"},
    {0x0A000000, 8, "private 10/8 (RFC 1918)"},
    {0x64400000, 10, "CGNAT 100.64/10 (RFC 6598)"},
    {0xA9FE0000, 16, "link-local 169.254/16 (RFC 3927)"},
    {0xAC100000, 12, "private 172.16/12 (RFC 1918)"},
    {0xC0000000, 24, "IETF protocol assignments 192.0.0/24"},
    {0xC0000200, 24, "documentation 192.0.2/24 (RFC 5737)"},
    {0xC0586300, 24, "6to4 relay anycast 192.88.99/24"},
    {0xC0A80000, 16, "private 192.168/16 (RFC 1918)"},
    {0xC6120000, 15, "benchmarking 198.18/15 (RFC 2544)"},
    {0xC6336400, 24, "documentation 198.51.100/24 (RFC 5737)"},
    {0xCB007100, 24, "documentation 203.0.113/24 (RFC 5737)"},
    {0xE0000000, 4, "multicast 224/4"},
    {0xF0000000, 4, "reserved 240/4 (incl. broadcast)"},
};

bool in_v4(uint32_t a, uint32_t base, int prefix) {
  const uint32_t mask = prefix == 0 ? 0 : ~uint32_t{0} << (32 - prefix);
  return (a & mask) == (base & mask);
}

bool set_why(std::string* why, const char* text) {
  if (why) *why = text;
  return true;
}

// `a` in host byte order.
bool forbidden_v4(uint32_t a, bool allow_loopback, std::string* why) {
  if (in_v4(a, 0x7F000000, 8)) {
    if (allow_loopback) return false;
    return set_why(why, "loopback 127/8");
  }
  for (const auto& r : kV4Forbidden) {
    if (in_v4(a, r.base, r.prefix)) return set_why(why, r.why);
  }
  return false;
}

uint32_t v4_at(const uint8_t* p) {
  return (uint32_t{p[0]} << 24) | (uint32_t{p[1]} << 16) | (uint32_t{p[2]} << 8) | p[3];
}

bool all_zero(const uint8_t* p, size_t n) {
  for (size_t i = 0; i < n; ++i) {
    if (p[i] != 0) return false;
  }
  return true;
}

// RFC 4291 §2.5 address types and the IANA IPv6 Special-Purpose Address Registry.
bool forbidden_v6(const uint8_t* b, bool allow_loopback, std::string* why) {
  static const uint8_t kLoopback[16] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1};
  if (std::memcmp(b, kLoopback, 16) == 0) {
    if (allow_loopback) return false;
    return set_why(why, "loopback ::1");
  }
  if (all_zero(b, 16)) return set_why(why, "unspecified ::");
  // ::ffff:a.b.c.d (RFC 4291 §2.5.5.2): judged by the embedded IPv4 address, but never as
  // loopback: a v4-mapped loopback is not "::1" and tests have no reason to use it.
  if (all_zero(b, 10) && b[10] == 0xFF && b[11] == 0xFF) {
    if (forbidden_v4(v4_at(b + 12), false, why)) return true;
    return false;
  }
  // ::a.b.c.d (deprecated IPv4-compatible, RFC 4291 §2.5.5.1) and the rest of ::/96.
  if (all_zero(b, 12)) return set_why(why, "IPv4-compatible ::/96");
  if (b[0] == 0x00 && b[1] == 0x64 && b[2] == 0xFF && b[3] == 0x9B)
    return set_why(why, "NAT64 64:ff9b::/96 (RFC 6052)");  // also covers 64:ff9b:1::/48
  if (b[0] == 0x01 && b[1] == 0x00 && all_zero(b + 2, 6))
    return set_why(why, "discard-only 100::/64 (RFC 6666)");
  if (b[0] == 0x20 && b[1] == 0x01 && b[2] == 0x0D && b[3] == 0xB8)
    return set_why(why, "documentation 2001:db8::/32 (RFC 3849)");
  if (b[0] == 0x20 && b[1] == 0x01 && b[2] == 0x00 && b[3] == 0x00)
    return set_why(why, "Teredo 2001::/32 (RFC 4380)");  // tunnels to an arbitrary IPv4
  if (b[0] == 0x20 && b[1] == 0x02) {
    // 6to4 (RFC 3056): the embedded IPv4 decides; 2002:7f00:1:: would reach 127.0.0.1 via a relay.
    if (forbidden_v4(v4_at(b + 2), false, why)) return true;
    return false;
  }
  if ((b[0] & 0xFE) == 0xFC) return set_why(why, "unique-local fc00::/7 (RFC 4193)");
  if (b[0] == 0xFE && (b[1] & 0xC0) == 0x80) return set_why(why, "link-local fe80::/10");
  if (b[0] == 0xFE && (b[1] & 0xC0) == 0xC0) return set_why(why, "site-local fec0::/10 (deprecated)");
  if (b[0] == 0xFF) return set_why(why, "multicast ff00::/8");
  // Only global unicast 2000::/3 is routable on the Internet; anything else is unassigned.
  if ((b[0] & 0xE0) != 0x20) return set_why(why, "not global unicast (outside 2000::/3)");
  return false;
}

}  // namespace

bool is_forbidden_address(const sockaddr* addr, socklen_t len, bool allow_loopback,
                          std::string* why) {
  if (addr == nullptr) return set_why(why, "no address");
  if (addr->sa_family == AF_INET && len >= static_cast<socklen_t>(sizeof(sockaddr_in))) {
    const auto* in = reinterpret_cast<const sockaddr_in*>(addr);
    return forbidden_v4(ntohl(in->sin_addr.s_addr), allow_loopback, why);
  }
  if (addr->sa_family == AF_INET6 && len >= static_cast<socklen_t>(sizeof(sockaddr_in6))) {
    const auto* in6 = reinterpret_cast<const sockaddr_in6*>(addr);
    return forbidden_v6(in6->sin6_addr.s6_addr, allow_loopback, why);
  }
  return set_why(why, "not an IPv4/IPv6 address");
}

bool is_forbidden_address(const std::string& numeric_ip, bool allow_loopback, std::string* why) {
  sockaddr_in v4{};
  if (inet_pton(AF_INET, numeric_ip.c_str(), &v4.sin_addr) == 1) {
    v4.sin_family = AF_INET;
    return is_forbidden_address(reinterpret_cast<const sockaddr*>(&v4), sizeof v4, allow_loopback, why);
  }
  sockaddr_in6 v6{};
  if (inet_pton(AF_INET6, numeric_ip.c_str(), &v6.sin6_addr) == 1) {
    v6.sin6_family = AF_INET6;
    return is_forbidden_address(reinterpret_cast<const sockaddr*>(&v6), sizeof v6, allow_loopback, why);
  }
  return set_why(why, "not a numeric address");
}

}  // namespace warcpairs::net
