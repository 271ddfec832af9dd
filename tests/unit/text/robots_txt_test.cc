// RobotsTxt against the examples of RFC 9309 (§2.2.2 percent-encoding table, §5.1, §5.2) and
// Google's documented robots.txt examples (developers.google.com/search/docs/crawling-indexing/
// robots/robots_txt: "URL matching based on path values" and "Order of precedence for rules").
#include "warcpairs/text/robots_txt.h"

#include <gtest/gtest.h>

#include <string>

namespace warcpairs::text {
namespace {

// RFC 9309 §5.1 "Simple Example".
constexpr const char* kRfcSimple =
    "User-Agent: *\n"
    "Disallow: *.gif$\n"
    "Disallow: /example/\n"
    "Allow: /publications/\n"
    "\n"
    "User-Agent: foobot\n"
    "Disallow:/\n"
    "Allow:/example/page.html\n"
    "Allow:/example/allowed.gif\n"
    "\n"
    "User-Agent: barbot\n"
    "User-Agent: bazbot\n"
    "Disallow: /example/page.html\n"
    "\n"
    "User-Agent: quxbot\n"
    "\n"
    "EOF\n";

TEST(RobotsTxt, Rfc9309SimpleExample) {
  const auto foo = RobotsTxt::parse(kRfcSimple, "foobot");
  EXPECT_TRUE(foo.allowed("/example/page.html"));
  EXPECT_TRUE(foo.allowed("/example/allowed.gif"));
  EXPECT_FALSE(foo.allowed("/"));
  EXPECT_FALSE(foo.allowed("/publications/"));
  EXPECT_FALSE(foo.allowed("/example/other.html"));
  for (const char* bot : {"barbot", "bazbot", "BazBot"}) {
    const auto r = RobotsTxt::parse(kRfcSimple, bot);
    EXPECT_FALSE(r.allowed("/example/page.html")) << bot;
    EXPECT_TRUE(r.allowed("/example/other.html")) << bot;
    EXPECT_TRUE(r.allowed("/a.gif")) << bot;  // the * group does not apply to a named bot
  }
  const auto qux = RobotsTxt::parse(kRfcSimple, "quxbot");  // empty group: everything
  EXPECT_TRUE(qux.allowed("/example/page.html"));
  EXPECT_TRUE(qux.allowed("/x.gif"));
  const auto other = RobotsTxt::parse(kRfcSimple, "otherbot");
  EXPECT_FALSE(other.allowed("/example/page.html"));
  EXPECT_FALSE(other.allowed("/images/a.gif"));
  EXPECT_TRUE(other.allowed("/images/a.gif?x=1"));  // "$": the path must end there
  EXPECT_TRUE(other.allowed("/publications/"));
  EXPECT_TRUE(other.allowed("/index.html"));
}

// RFC 9309 §5.2 "Longest Match".
TEST(RobotsTxt, Rfc9309LongestMatch) {
  const auto r = RobotsTxt::parse(
      "User-Agent: foobot\nAllow: /example/page/\nDisallow: /example/page/disallowed.gif\n",
      "foobot");
  EXPECT_TRUE(r.allowed("/example/page/"));
  EXPECT_TRUE(r.allowed("/example/page/other.gif"));
  EXPECT_FALSE(r.allowed("/example/page/disallowed.gif"));
}

// RFC 9309 §2.2.2: the table of paths and their encodings; a rule matches the URL path of
// its row whichever way either is encoded.
TEST(RobotsTxt, Rfc9309PercentEncoding) {
  struct Row { const char* rule; const char* url_path; };
  const Row rows[] = {
      {"/foo/bar?baz=quz", "/foo/bar?baz=quz"},
      {"/foo/bar?baz=https://foo.bar", "/foo/bar?baz=https://foo.bar"},
      {"/foo/bar/\xE3\x83\x84", "/foo/bar/%E3%83%84"},
      {"/foo/bar/%E3%83%84", "/foo/bar/%E3%83%84"},
      {"/foo/bar/%62%61%7A", "/foo/bar/baz"},
  };
  for (const Row& row : rows) {
    const auto r = RobotsTxt::parse(std::string("User-agent: *\nDisallow: ") + row.rule + "\n", "x");
    EXPECT_FALSE(r.allowed(row.url_path)) << row.rule;
  }
  // Lower-case hex in the URL is the same octet.
  EXPECT_FALSE(RobotsTxt::parse("User-agent: *\nDisallow: /foo/bar/%E3%83%84\n", "x")
                   .allowed("/foo/bar/%e3%83%84"));
}

// Google: "URL matching based on path values".
TEST(RobotsTxt, GooglePathMatching) {
  struct Case { const char* pattern; const char* path; bool matches; };
  const Case cases[] = {
      {"/", "/", true}, {"/", "/anything", true},
      {"/$", "/", true}, {"/$", "/page.htm", false},
      {"/fish", "/fish", true}, {"/fish", "/fish.html", true}, {"/fish", "/fish/salmon.html", true},
      {"/fish", "/fishheads", true}, {"/fish", "/fishheads/yummy.html", true},
      {"/fish", "/fish.php?id=anything", true}, {"/fish", "/Fish.asp", false},
      {"/fish", "/catfish", false}, {"/fish", "/?id=fish", false}, {"/fish", "/desert/fish", false},
      {"/fish*", "/fish", true}, {"/fish*", "/fishheads/yummy.html", true},
      {"/fish*", "/Fish.asp", false}, {"/fish*", "/catfish", false},
      {"/fish/", "/fish/", true}, {"/fish/", "/fish/?id=anything", true},
      {"/fish/", "/fish/salmon.htm", true}, {"/fish/", "/fish", false},
      {"/fish/", "/fish.html", false}, {"/fish/", "/animals/fish/", false},
      {"/fish/", "/Fish/Salmon.asp", false},
      {"/*.php", "/index.php", true}, {"/*.php", "/filename.php", true},
      {"/*.php", "/folder/filename.php", true}, {"/*.php", "/folder/filename.php?parameters", true},
      {"/*.php", "/folder/any.php.file.html", true}, {"/*.php", "/filename.php/", true},
      {"/*.php", "/", false}, {"/*.php", "/windows.PHP", false},
      {"/*.php$", "/filename.php", true}, {"/*.php$", "/folder/filename.php", true},
      {"/*.php$", "/filename.php?parameters", false}, {"/*.php$", "/filename.php/", false},
      {"/*.php$", "/filename.php5", false}, {"/*.php$", "/windows.PHP", false},
      {"/fish*.php", "/fish.php", true}, {"/fish*.php", "/fishheads/catfish.php?parameters", true},
      {"/fish*.php", "/Fish.PHP", false},
  };
  for (const Case& c : cases) {
    EXPECT_EQ(robots_pattern_matches(c.pattern, c.path), c.matches) << c.pattern << " " << c.path;
    const auto r = RobotsTxt::parse(std::string("user-agent: *\ndisallow: ") + c.pattern, "x");
    EXPECT_EQ(r.allowed(c.path), !c.matches) << c.pattern << " " << c.path;
  }
}

// Google: "Order of precedence for rules".
TEST(RobotsTxt, GooglePrecedence) {
  auto allowed = [](const char* rules, const char* path) {
    return RobotsTxt::parse(std::string("user-agent: *\n") + rules, "x").allowed(path);
  };
  EXPECT_TRUE(allowed("allow: /p\ndisallow: /\n", "/page"));
  EXPECT_TRUE(allowed("allow: /folder\ndisallow: /folder\n", "/folder/page"));
  EXPECT_FALSE(allowed("allow: /page\ndisallow: /*.htm\n", "/page.htm"));
  EXPECT_TRUE(allowed("allow: /page\ndisallow: /*.ph\n", "/page.php5"));
  EXPECT_TRUE(allowed("allow: /$\ndisallow: /\n", "/"));
  EXPECT_FALSE(allowed("allow: /$\ndisallow: /\n", "/page.htm"));
}

// Google: groups for the same agent are combined; the product token is matched without its
// version and case; comments and unknown records are ignored; no group means allow all.
TEST(RobotsTxt, GroupsAndRecords) {
  const char* text =
      "# comment\n"
      "user-agent: googlebot-news\n"
      "disallow: /news-only\n"
      "\n"
      "user-agent: *\n"
      "disallow: /everyone\n"
      "\n"
      "user-agent: Warcpairs/0.1  # version in the line\n"
      "disallow: /a\n"
      "sitemap: https://example.com/sitemap.xml\n"
      "user-agent: warcpairs\n"
      "disallow: /b\r\n"
      "crawl-delay: 2.5\n"
      "unknown-field: x\n";
  const auto r = RobotsTxt::parse(text, "warcpairs");
  EXPECT_FALSE(r.allowed("/a"));
  EXPECT_FALSE(r.allowed("/b/c"));
  EXPECT_TRUE(r.allowed("/everyone"));
  EXPECT_TRUE(r.allowed("/news-only"));
  ASSERT_TRUE(r.crawl_delay().has_value());
  EXPECT_DOUBLE_EQ(*r.crawl_delay(), 2.5);
  EXPECT_FALSE(RobotsTxt::parse(text, "otherbot").allowed("/everyone"));
  EXPECT_FALSE(RobotsTxt::parse(text, "otherbot").crawl_delay().has_value());
  EXPECT_TRUE(RobotsTxt::parse("", "x").allowed("/anything"));
  EXPECT_TRUE(RobotsTxt::parse("garbage without colons\n\x01\x02", "x").allowed("/"));
}

TEST(RobotsTxt, AvailabilityRulesAndRobotsItself) {
  EXPECT_TRUE(RobotsTxt::allow_all().allowed("/x"));
  EXPECT_FALSE(RobotsTxt::disallow_all().allowed("/x"));
  EXPECT_FALSE(RobotsTxt::disallow_all().allowed("/"));
  EXPECT_TRUE(RobotsTxt::disallow_all().allowed("/robots.txt"));  // §2.2.2
}

// §2.5: at least 500 KiB are parsed; rules past the cap are not.
TEST(RobotsTxt, SizeCap) {
  std::string text = "user-agent: *\ndisallow: /early\n";
  text.append(kRobotsTxtMaxBytes, '\n');
  text.append("disallow: /late\n");
  const auto r = RobotsTxt::parse(text, "x");
  EXPECT_FALSE(r.allowed("/early"));
  EXPECT_TRUE(r.allowed("/late"));
}

}  // namespace
}  // namespace warcpairs::text
