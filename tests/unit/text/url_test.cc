// resolve_url against RFC 3986 §5.4 (every normal and abnormal example) and parse_srcset.
#include "warcpairs/text/url.h"

#include <gtest/gtest.h>

namespace warcpairs::text {
namespace {

struct Case { const char* ref; const char* expected; };

constexpr const char* kBase = "http://a/b/c/d;p?q";

// RFC 3986 §5.4.1.
constexpr Case kNormal[] = {
    {"g:h", "g:h"},           {"g", "http://a/b/c/g"},       {"./g", "http://a/b/c/g"},
    {"g/", "http://a/b/c/g/"}, {"/g", "http://a/g"},          {"//g", "http://g"},
    {"?y", "http://a/b/c/d;p?y"}, {"g?y", "http://a/b/c/g?y"}, {"#s", "http://a/b/c/d;p?q#s"},
    {"g#s", "http://a/b/c/g#s"}, {"g?y#s", "http://a/b/c/g?y#s"}, {";x", "http://a/b/c/;x"},
    {"g;x", "http://a/b/c/g;x"}, {"g;x?y#s", "http://a/b/c/g;x?y#s"}, {"", "http://a/b/c/d;p?q"},
    {".", "http://a/b/c/"},    {"./", "http://a/b/c/"},       {"..", "http://a/b/"},
    {"../", "http://a/b/"},    {"../g", "http://a/b/g"},      {"../..", "http://a/"},
    {"../../", "http://a/"},   {"../../g", "http://a/g"},
};

// RFC 3986 §5.4.2 (strict parser: "http:g" keeps its scheme).
constexpr Case kAbnormal[] = {
    {"../../../g", "http://a/g"},   {"../../../../g", "http://a/g"}, {"/./g", "http://a/g"},
    {"/../g", "http://a/g"},        {"g.", "http://a/b/c/g."},       {".g", "http://a/b/c/.g"},
    {"g..", "http://a/b/c/g.."},    {"..g", "http://a/b/c/..g"},     {"./../g", "http://a/b/g"},
    {"./g/.", "http://a/b/c/g/"},   {"g/./h", "http://a/b/c/g/h"},   {"g/../h", "http://a/b/c/h"},
    {"g;x=1/./y", "http://a/b/c/g;x=1/y"}, {"g;x=1/../y", "http://a/b/c/y"},
    {"g?y/./x", "http://a/b/c/g?y/./x"},   {"g?y/../x", "http://a/b/c/g?y/../x"},
    {"g#s/./x", "http://a/b/c/g#s/./x"},   {"g#s/../x", "http://a/b/c/g#s/../x"},
    {"http:g", "http:g"},
};

TEST(ResolveUrl, Rfc3986NormalExamples) {
  for (const Case& c : kNormal) EXPECT_EQ(resolve_url(kBase, c.ref), c.expected) << c.ref;
}

TEST(ResolveUrl, Rfc3986AbnormalExamples) {
  for (const Case& c : kAbnormal) EXPECT_EQ(resolve_url(kBase, c.ref), c.expected) << c.ref;
}

TEST(ResolveUrl, WebCases) {
  // Authority with empty path: merge inserts "/" (§5.2.3).
  EXPECT_EQ(resolve_url("http://example.com", "img/a.png"), "http://example.com/img/a.png");
  EXPECT_EQ(resolve_url("https://x.org/a/b.html", "//cdn.x.org/i.jpg"), "https://cdn.x.org/i.jpg");
  EXPECT_EQ(resolve_url("https://x.org/a/b.html", "  \n/i.jpg\t "), "https://x.org/i.jpg");
  EXPECT_EQ(resolve_url("https://x.org/a/", "i\nm\tg.jpg"), "https://x.org/a/img.jpg");
  EXPECT_EQ(resolve_url("HTTP://x.org/", "a.png"), "http://x.org/a.png");
  EXPECT_EQ(resolve_url("http://x.org/", "data:image/gif;base64,R0lG"), "data:image/gif;base64,R0lG");
  EXPECT_EQ(resolve_url("http://x.org/a?b", "?c"), "http://x.org/a?c");
  EXPECT_EQ(resolve_url("http://x.org/a?b#f", "#g"), "http://x.org/a?b#g");
  // "1x:" is not a scheme (must start with a letter): a relative path.
  EXPECT_EQ(resolve_url("http://x.org/d/", "1x:y.png"), "http://x.org/d/1x:y.png");
}

TEST(ResolveUrl, RelativeBaseGivesEmpty) {
  EXPECT_EQ(resolve_url("/relative/base", "a.png"), "");
  EXPECT_EQ(resolve_url("", "a.png"), "");
  EXPECT_EQ(resolve_url("", "https://x.org/./a/../b.png"), "https://x.org/b.png");
}

struct SrcsetCase {
  const char* input;
  std::vector<SrcsetCandidate> expected;
};

TEST(ParseSrcset, HtmlStandardCases) {
  const SrcsetCase cases[] = {
      {"", {}},
      {"  ,, ", {}},
      {"a.jpg", {{"a.jpg", ""}}},
      {"a.jpg 1x, b.jpg 2x", {{"a.jpg", "1x"}, {"b.jpg", "2x"}}},
      {"a.jpg 320w,b.jpg 640w", {{"a.jpg", "320w"}, {"b.jpg", "640w"}}},
      {" \n a.jpg\t320w ,\n b.jpg 1.5x ", {{"a.jpg", "320w"}, {"b.jpg", "1.5x"}}},
      // A URL may contain commas; trailing commas end it.
      {"a,b.jpg 1x", {{"a,b.jpg", "1x"}}},
      {"a.jpg,, b.jpg 2x", {{"a.jpg", ""}, {"b.jpg", "2x"}}},
      // Invalid descriptors drop the candidate, not the list.
      {"a.jpg 0w, b.jpg 2x", {{"b.jpg", "2x"}}},
      {"a.jpg 10w 2x, b.jpg", {{"b.jpg", ""}}},
      {"a.jpg 100h, b.jpg 1x", {{"b.jpg", "1x"}}},
      {"a.jpg 100w 50h", {{"a.jpg", "100w 50h"}}},
      {"a.jpg -1x", {}},
      {"a.jpg 2q", {}},
      // Parentheses keep a comma inside a descriptor (future-compat syntax) → invalid here.
      {"a.jpg (x, y) 1x, b.jpg", {{"b.jpg", ""}}},
      {"data:image/png;base64,AAA 1x", {{"data:image/png;base64,AAA", "1x"}}},
  };
  for (const SrcsetCase& c : cases) {
    const auto got = parse_srcset(c.input);
    ASSERT_EQ(got.size(), c.expected.size()) << c.input;
    for (std::size_t i = 0; i < got.size(); ++i) {
      EXPECT_EQ(got[i].url, c.expected[i].url) << c.input;
      EXPECT_EQ(got[i].descriptor, c.expected[i].descriptor) << c.input;
    }
  }
}

TEST(UrlHost, AuthorityWithoutUserinfoAndPort) {
  EXPECT_EQ(url_host("https://WWW.Example.org:8080/a?b#c"), "www.example.org");
  EXPECT_EQ(url_host("http://user:pw@host.test/x"), "host.test");
  EXPECT_EQ(url_host("http://host.test?q"), "host.test");
  EXPECT_EQ(url_host("http://[::1]:8080/x"), "[::1]");
  EXPECT_EQ(url_host("/relative/path"), "");
  EXPECT_EQ(url_host("mailto:a@b.c"), "");
  EXPECT_EQ(url_host("https://"), "");
  // The view keeps the case as written (image kinds compare hosts case-insensitively).
  EXPECT_EQ(url_host_view("https://WWW.Example.org:8080/a"), "WWW.Example.org");
  EXPECT_EQ(url_host_view("http://[::1]:8080/x"), "[::1]");
}

}  // namespace
}  // namespace warcpairs::text
