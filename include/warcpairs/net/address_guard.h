// SSRF guard: which socket addresses a download may connect to (public unicast only, by default).
#pragma once

#include <sys/socket.h>

#include <string>

namespace warcpairs::net {

// True when `addr` must not be connected to: loopback, private (RFC 1918), CGNAT (RFC 6598),
// link-local, multicast, reserved, documentation/benchmark ranges (RFC 5737, RFC 2544, RFC 3849),
// IPv6 unspecified/loopback/link-local/unique-local (RFC 4193)/multicast, NAT64 (RFC 6052),
// IPv4-mapped (judged by the embedded IPv4), IPv4-compatible, 6to4 (judged by the embedded IPv4)
// and Teredo (refused). Anything that is neither AF_INET nor AF_INET6 is refused.
// allow_loopback allows exactly 127.0.0.0/8 and ::1 (tests only), nothing else.
// `why` (optional) receives a short description of the matched range.
bool is_forbidden_address(const sockaddr* addr, socklen_t len, bool allow_loopback,
                          std::string* why = nullptr);

// Same, for a numeric address string ("10.0.0.1", "::1"); a non-numeric string is forbidden.
bool is_forbidden_address(const std::string& numeric_ip, bool allow_loopback,
                          std::string* why = nullptr);

}  // namespace warcpairs::net
