// SURT keys against the documented examples of internetarchive/surt (tests/test_surt.py,
// which carries WaybackURLKeyMakerTest.java, GoogleURLCanonicalizerTest.java and
// IAURLCanonicalizerTest.java). The DuckDB way: input next to the expected key.
#include "warcpairs/warc/surt.h"

#include <gtest/gtest.h>

using warcpairs::warc::surt;

namespace {
struct Case {
  const char* url;
  const char* key;
};
}  // namespace

// surt.surt(url) with default options, exactly as test_surt.py::test_surt asserts.
TEST(Surt, DocumentedDefaultKeys) {
  const Case cases[] = {
      {"", "-"},
      {"filedesc:foo.arc.gz", "filedesc:foo.arc.gz"},
      {"filedesc:/foo.arc.gz", "filedesc:/foo.arc.gz"},
      {"filedesc://foo.arc.gz", "filedesc://foo.arc.gz"},
      {"warcinfo:foo.warc.gz", "warcinfo:foo.warc.gz"},
      {"http://www.archive.org/", "org,archive)/"},
      {"http://archive.org/", "org,archive)/"},
      {"http://archive.org/goo/", "org,archive)/goo"},
      {"http://archive.org/goo/?", "org,archive)/goo"},
      {"http://archive.org/goo/?b&a", "org,archive)/goo?a&b"},
      {"http://archive.org/goo/?a=2&b&a=1", "org,archive)/goo?a=1&a=2&b"},
      {"http://archive.org/index.php?PHPSESSID=0123456789abcdefghijklemopqrstuv&action=profile;u=4221",
       "org,archive)/index.php?action=profile;u=4221"},
      {"whois://whois.isoc.org.il/shaveh.co.il", "il,org,isoc,whois)/shaveh.co.il"},
      {"http://visit.webhosting.yahoo.com/visit.gif?&r=http%3A//web.archive.org/web/20090517140029/"
       "http%3A//anthonystewarthead.electric-chi.com/&b=Netscape%205.0%20%28Windows%3B%20en-US%29"
       "&s=1366x768&o=Win32&c=24&j=true&v=1.2",
       "com,yahoo,webhosting,visit)/visit.gif?&b=netscape%205.0%20(windows;%20en-us)&c=24&j=true"
       "&o=win32&r=http://web.archive.org/web/20090517140029/http://anthonystewarthead.electric-chi."
       "com/&s=1366x768&v=1.2"},
      {"mailto:foo@example.com", "mailto:foo@example.com"},
      {"http://www.example.com/", "com,example)/"},
      {"ftp://www.example.com/", "com,example)/"},
  };
  for (const Case& c : cases) EXPECT_EQ(surt(c.url), c.key) << c.url;
}

// The canonical URLs test_surt.py documents for DefaultIAURLCanonicalizer, IAURLCanonicalizer
// and GoogleURLCanonicalizer + handyurl.parse, written here in SURT form (host labels reversed
// and joined by ',', scheme dropped, ')' after the authority; then, for the Google-only cases,
// what the IA canonicalizer adds: "www" dropped, path and query lower-cased, trailing '/' cut).
TEST(Surt, DocumentedCanonicalForms) {
  const Case cases[] = {
      // DefaultIAURLCanonicalizer
      {"http://www.alexa.com/", "com,alexa)/"},
      {"http://archive.org/index.html", "org,archive)/index.html"},
      {"http://archive.org/index.html?", "org,archive)/index.html"},
      {"http://archive.org/index.html?a=b", "org,archive)/index.html?a=b"},
      {"http://archive.org/index.html?b=b&a=b", "org,archive)/index.html?a=b&b=b"},
      {"http://archive.org/index.html?b=a&b=b&a=b", "org,archive)/index.html?a=b&b=a&b=b"},
      {"http://www34.archive.org/index.html?b=a&b=b&a=b", "org,archive)/index.html?a=b&b=a&b=b"},
      // IAURLCanonicalizer: default ports per scheme only
      {"http://ARCHIVE.ORG/", "org,archive)/"},
      {"http://www.archive.org:80/", "org,archive)/"},
      {"https://www.archive.org:80/", "org,archive:80)/"},
      {"http://www.archive.org:443/", "org,archive:443)/"},
      {"https://www.archive.org:443/", "org,archive)/"},
      {"http://www.archive.org/big/", "org,archive)/big"},
      // massageHost
      {"http://www12.foo.com/", "com,foo)/"},
      {"http://www2foo.com/", "com,www2foo)/"},
      {"http://www2.www2foo.com/", "com,www2foo)/"},
      // GoogleURLCanonicalizer (+ the IA steps)
      {"http://host/%25%32%35", "host)/%25"},
      {"http://host/%25%32%35%25%32%35", "host)/%25%25"},
      {"http://host/%2525252525252525", "host)/%25"},
      {"http://host/asdf%25%32%35asd", "host)/asdf%25asd"},
      {"http://host/%%%25%32%35asd%%", "host)/%25%25%25asd%25%25"},
      {"http://%31%36%38%2e%31%38%38%2e%39%39%2e%32%36/%2E%73%65%63%75%72%65/%77%77%77%2E%65%62%61%79%2E%63%6F%6D/",
       "26,99,188,168)/.secure/www.ebay.com"},
      {"http://195.127.0.11/uploads/%20%20%20%20/.verify/.eBaysecure=updateuserdataxplimnbqmn-xplmvalidateinfoswqpcmlx=hgplmcx/",
       "11,0,127,195)/uploads/%20%20%20%20/.verify/.ebaysecure=updateuserdataxplimnbqmn-xplmvalidateinfoswqpcmlx=hgplmcx"},
      {"http://host%23.com/%257Ea%2521b%2540c%2523d%2524e%25f%255E00%252611%252A22%252833%252944_55%252B",
       "com,host%23)/~a!b@c%23d$e%25f^00&11*22(33)44_55+"},
      {"http://3279880203/blah", "11,0,127,195)/blah"},
      {"http://www.google.com/blah/..", "com,google)/"},
      {"www.google.com/", "com,google)/"},
      {"www.google.com", "com,google)/"},
      {"http://www.evil.com/blah#frag", "com,evil)/blah"},
      {"http://www.GOOgle.com/", "com,google)/"},
      {"http://www.google.com.../", "com,google)/"},
      {"http://www.google.com/foo\tbar\rbaz\n2", "com,google)/foobarbaz2"},
      {"http://www.google.com/q?", "com,google)/q"},
      {"http://www.google.com/q?r?", "com,google)/q?r?"},
      {"http://www.google.com/q?r?s", "com,google)/q?r?s"},
      {"http://evil.com/foo#bar#baz", "com,evil)/foo"},
      {"http://evil.com/foo;", "com,evil)/foo;"},
      {"http://evil.com/foo?bar;", "com,evil)/foo?bar;"},
      {"B\xc3\xbc" "cher.ch:8080", "ch,xn--bcher-kva:8080)/"},
      {"\xe2\x98\x83.com", "com,xn--n3h)/"},
      {"http://notrailingslash.com", "com,notrailingslash)/"},
      {"http://www.gotaport.com:1234/", "com,gotaport:1234)/"},
      {"  http://www.google.com/  ", "com,google)/"},
      {"http:// leadingspace.com/", "com,%20leadingspace)/"},
      {"http://%20leadingspace.com/", "com,%20leadingspace)/"},
      {"%20leadingspace.com/", "com,%20leadingspace)/"},
      {"https://www.securesite.com/", "com,securesite)/"},
      {"http://host.com/ab%23cd", "com,host)/ab%23cd"},
      {"http://host.com//twoslashes?more//slashes", "com,host)/twoslashes?more//slashes"},
      // handyurl.parse
      {"http:////////////////www.vikings.com", "com,vikings)/"},
      {"http://https://order.1and1.com", "com,1and1,order)/"},
      {"http://mineral.galleries.com:/minerals/silicate/chabazit/chabazit.htm",
       "com,galleries,mineral)/minerals/silicate/chabazit/chabazit.htm"},
      // attemptIPFormats
      {"http://017.0.0.1/", "1,0,0,15)/"},
      {"http://10.0.258/", "2,1,0,10)/"},
      {"http://39024579298/", "226,210,11,22)/"},
      {"http://1.2.3.256/", "256,3,2,1)/"},
  };
  for (const Case& c : cases) EXPECT_EQ(surt(c.url), c.key) << c.url;
}

// stripQuerySessionID examples of test_surt.py, inside a URL.
TEST(Surt, SessionIdsLeaveTheQuery) {
  const Case cases[] = {
      {"http://a.com/x?jsessionid=0123456789abcdefghijklemopqrstuv", "com,a)/x"},
      {"http://a.com/x?jsessionid=0123456789abcdefghijklemopqrstuv0",
       "com,a)/x?jsessionid=0123456789abcdefghijklemopqrstuv0"},
      {"http://a.com/x?jsessionid=0123456789abcdefghijklemopqrstuv&x=y", "com,a)/x?x=y"},
      {"http://a.com/x?one=two&jsessionid=0123456789abcdefghijklemopqrstuv&x=y",
       "com,a)/x?one=two&x=y"},
      {"http://a.com/x?aspsessionidABCDEFGH=ABCDEFGHIJKLMNOPQRSTUVWX&x=y", "com,a)/x?x=y"},
      {"http://a.com/x?CFID=1169580&CFTOKEN=48630702&dtstamp=22%2F08%2F2006%7C06%3A58%3A11",
       "com,a)/x?dtstamp=22/08/2006|06:58:11"},
      {"http://a.com/(S(4hqa0555fwsecu455xqckv45))/mileg.aspx", "com,a)/mileg.aspx"},
      {"http://a.com/(4hqa0555fwsecu455xqckv45)/mileg.aspx", "com,a)/mileg.aspx"},
      {"http://a.com/photos/36050182@N05/", "com,a)/photos/36050182@n05"},
  };
  for (const Case& c : cases) EXPECT_EQ(surt(c.url), c.key) << c.url;
}

// alphaReorderQuery keeps "?foo" before "?foo=" and an empty argument first.
TEST(Surt, QueryArgumentsSortAsPythonTuples) {
  EXPECT_EQ(surt("http://a.com/?a=1&"), "com,a)/?&a=1");
  EXPECT_EQ(surt("http://a.com/?b=b&a=b&b=a&a=a"), "com,a)/?a=a&a=b&b=a&b=b");
  EXPECT_EQ(surt("http://a.com/?a=&a"), "com,a)/?a&a=");
}

TEST(Surt, BadPortsKeepTheUrlAsPythonsIndexerDoes) {
  EXPECT_EQ(surt("http://a.com:80x/"), "http://a.com:80x/");
  EXPECT_EQ(surt("http://a.com:99999/"), "http://a.com:99999/");
}
