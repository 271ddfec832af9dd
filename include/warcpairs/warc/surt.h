// SURT keys of URLs as pywb and warcio's cdxj-indexer make them: the `surt` package's default
// (DefaultIAURLCanonicalizer = GoogleURLCanonicalizer then IAURLCanonicalizer, SURT format
// without scheme and without trailing comma), e.g. "http://www.Archive.org/goo/?b&a" →
// "org,archive)/goo?a&b".
#pragma once

#include <string>
#include <string_view>

namespace warcpairs::warc {

// The rules, in order (internetarchive/surt, surt.py / handyurl.py / GoogleURLCanonicalizer.py
// / IAURLCanonicalizer.py / _surtformat.py):
//  - "" → "-"; a URL starting "filedesc" is returned as is; surrounding whitespace and any
//    TAB/CR/LF inside are removed; "http://" is assumed without a scheme; "http://https://x"
//    is "https://x"; the fragment is dropped; user and password are dropped;
//  - host: percent-unescaped repeatedly, IDNA (non-ASCII labels to punycode, libidn2,
//    transitional processing as Python's IDNA 2003 codec), ".." → ".", dots trimmed, an IPv4
//    address in decimal/octal/short/integer form written dotted-decimal, else lower-cased and
//    escaped; a leading "www", "www2", "www34"... label dropped; labels reversed, joined by
//    ','; a non-default port kept as ":port"; then ')';
//  - path: unescaped repeatedly, dot segments and empty segments removed, escaped once
//    (bytes ≤ 0x20, ≥ 0x7f, '%' and '#' as %XX), lower-cased, ASP.NET session ids removed,
//    a trailing '/' dropped unless the path is "/";
//  - query: unescaped repeatedly and escaped once, jsessionid/phpsessid/sid/aspsessionid/
//    cfid+cftoken removed, lower-cased, its '&'-separated arguments sorted (as byte strings,
//    Python's tuple order), an empty query dropped;
//  - schemes other than http(s) keep their host/path rules; a URL without a host
//    ("dns:example.org", "mailto:x@y") is "scheme:" + the rest.
// Not followed: Python decodes unescaped bytes as UTF-8 with replacement (an invalid byte
// such as %E9 becomes U+FFFD, "%EF%BF%BD"); here each invalid byte becomes U+FFFD too, but
// Python's grouping of several invalid bytes into one replacement is not reproduced.
std::string surt(std::string_view url);

}  // namespace warcpairs::warc
