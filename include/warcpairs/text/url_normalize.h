// RFC 3986 §6.2.2 syntax-based normalisation of crawl URLs, and the percent-encoding canonical
// form RFC 9309 §2.2.2 compares robots.txt paths in.
#pragma once

#include <string>
#include <string_view>

namespace warcpairs::text {

// The normal form of an absolute http(s) URL, or "" when it is not one (another scheme, no
// host, a port that is not a number in 1..65535): scheme and host in lower case (§6.2.2.1),
// userinfo dropped (a crawler never sends credentials), the scheme's default port and an empty
// port removed (§6.2.3), an empty path made "/" (§6.2.3), dot segments removed (§6.2.2.3),
// percent-encoding canonical in path and query (canonical_percent_encoding), the fragment
// dropped (never sent to a server). Leading/trailing spaces, tabs and newlines are removed as
// browsers do.
std::string normalize_url(std::string_view url);

// `s` with the percent-encoding of RFC 3986 §6.2.2.1/§6.2.2.2: a %XX triplet of an unreserved
// character (ALPHA DIGIT - . _ ~) decoded, other triplets' hex digits upper case, and every
// byte that may not appear in a URI (controls, space, non-ASCII, " < > \ ^ ` { | }, and a '%'
// not starting a triplet) encoded as %XX. Reserved characters (/ ? & = ...) stay as they are:
// encoding one changes a URL's meaning.
std::string canonical_percent_encoding(std::string_view s);

}  // namespace warcpairs::text
