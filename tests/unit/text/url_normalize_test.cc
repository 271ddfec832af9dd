// normalize_url against RFC 3986 §6.2.2 (case, percent-encoding, dot segments) and §6.2.3
// (scheme-based: default port, empty path), with the RFC's own equivalence examples.
#include "warcpairs/text/url_normalize.h"

#include <gtest/gtest.h>

namespace warcpairs::text {
namespace {

TEST(NormalizeUrl, Rfc3986Examples) {
  // §6.2.2.1: "HTTP://www.EXAMPLE.com/" is equivalent to "http://www.example.com/".
  EXPECT_EQ(normalize_url("HTTP://www.EXAMPLE.com/"), "http://www.example.com/");
  // §6.2.2.2: %7E is "~".
  EXPECT_EQ(normalize_url("http://example.com/%7Esmith/home.html"), "http://example.com/~smith/home.html");
  // §6.2.2.1: "%3a" has the same meaning as "%3A"; reserved characters stay encoded.
  EXPECT_EQ(normalize_url("http://example.com/a%3ab%2fc"), "http://example.com/a%3Ab%2Fc");
  // §6.2.3: these four are equivalent.
  for (const char* u : {"http://example.com", "http://example.com/", "http://example.com:/",
                        "http://example.com:80/"})
    EXPECT_EQ(normalize_url(u), "http://example.com/") << u;
  // §6.2.2.3 dot segments.
  EXPECT_EQ(normalize_url("http://a/b/c/./../../g"), "http://a/g");
  EXPECT_EQ(normalize_url("http://a/b/../../../g?x=1"), "http://a/g?x=1");
}

TEST(NormalizeUrl, CrawlerRules) {
  EXPECT_EQ(normalize_url("https://Example.COM:443/a#frag"), "https://example.com/a");
  EXPECT_EQ(normalize_url("https://example.com:8443/a"), "https://example.com:8443/a");
  EXPECT_EQ(normalize_url("http://example.com:443/"), "http://example.com:443/");
  EXPECT_EQ(normalize_url("http://user:pw@example.com/x"), "http://example.com/x");
  EXPECT_EQ(normalize_url("  http://example.com/a b\n"), "http://example.com/a%20b");
  EXPECT_EQ(normalize_url("http://example.com/caf\xC3\xA9"), "http://example.com/caf%C3%A9");
  EXPECT_EQ(normalize_url("http://example.com?q=1"), "http://example.com/?q=1");
  EXPECT_EQ(normalize_url("http://example.com/p?a=%41&b=%zz"), "http://example.com/p?a=A&b=%25zz");
  EXPECT_EQ(normalize_url("http://[::1]:8080/x"), "http://[::1]:8080/x");
  EXPECT_EQ(normalize_url("http://[::1]:80/x"), "http://[::1]/x");
  EXPECT_EQ(normalize_url("ftp://example.com/"), "");
  EXPECT_EQ(normalize_url("mailto:a@b.c"), "");
  EXPECT_EQ(normalize_url("javascript:void(0)"), "");
  EXPECT_EQ(normalize_url("http:///path"), "");
  EXPECT_EQ(normalize_url("http://example.com:99999/"), "");
  EXPECT_EQ(normalize_url("http://example.com:8x/"), "");
  EXPECT_EQ(normalize_url("/relative"), "");
  // Idempotent.
  for (const char* u : {"HTTP://A.b/%7e/./x/../y?%61=%2F#f", "https://x.y:443", "http://x/caf\xC3\xA9"})
    EXPECT_EQ(normalize_url(normalize_url(u)), normalize_url(u)) << u;
}

TEST(CanonicalPercentEncoding, Rules) {
  EXPECT_EQ(canonical_percent_encoding("/a%2fb%7e%41"), "/a%2Fb~A");
  EXPECT_EQ(canonical_percent_encoding("/%"), "/%25");
  EXPECT_EQ(canonical_percent_encoding("/a\"<>"), "/a%22%3C%3E");
  EXPECT_EQ(canonical_percent_encoding("/*.gif$"), "/*.gif$");
}

}  // namespace
}  // namespace warcpairs::text
