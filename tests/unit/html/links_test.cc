// LinkExtractor: pages next to the links, images and styles a crawler must take from them.
#include "warcpairs/html/links.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace warcpairs::html {
namespace {

using Urls = std::vector<std::string>;

TEST(LinkExtractor, LinksRequisitesAndBase) {
  LinkExtractor x;
  const auto p = x.extract(
      "<html><head><base href='/dir/'><link rel=stylesheet href=s.css>"
      "<link rel='next' href='p2.html'><link rel=icon href=/favicon.ico>"
      "<script src=app.js></script></head><body>"
      "<a href='a.html#top'>a</a> <a href='https://other.example/x'>x</a>"
      "<a href='b.html' rel='external nofollow'>b</a> <a>no href</a>"
      "<map><area href='c.html'></map><iframe src='frame.html'></iframe>"
      "<img src='i.jpg' srcset='i2.jpg 2x, i3.jpg 3x'><img data-src='lazy.png'>"
      "<picture><source srcset='p.webp'><img src='p.jpg'></picture>"
      "<input type=image src=btn.gif></body></html>",
      "http://site.example/start/page.html", "text/html");
  EXPECT_EQ(p.links, (Urls{"http://site.example/dir/p2.html", "http://site.example/dir/a.html#top",
                           "https://other.example/x", "http://site.example/dir/c.html",
                           "http://site.example/dir/frame.html"}));
  EXPECT_EQ(p.images, (Urls{"http://site.example/favicon.ico", "http://site.example/dir/i.jpg",
                            "http://site.example/dir/i2.jpg", "http://site.example/dir/i3.jpg",
                            "http://site.example/dir/lazy.png", "http://site.example/dir/p.webp",
                            "http://site.example/dir/p.jpg", "http://site.example/dir/btn.gif"}));
  EXPECT_EQ(p.styles, (Urls{"http://site.example/dir/s.css", "http://site.example/dir/app.js"}));
  EXPECT_EQ(p.nofollow_links, 1);
  EXPECT_FALSE(p.meta_nofollow);
}

TEST(LinkExtractor, MetaRobotsNofollow) {
  LinkExtractor x;
  for (const char* meta : {"<meta name=robots content='noindex, nofollow'>",
                           "<meta name='ROBOTS' content='NONE'>"}) {
    const auto p = x.extract(std::string("<head>") + meta + "</head><a href=a>a</a><img src=i.png>",
                             "http://h/", "text/html");
    EXPECT_TRUE(p.meta_nofollow) << meta;
    EXPECT_TRUE(p.links.empty()) << meta;
    EXPECT_EQ(p.images, (Urls{"http://h/i.png"})) << meta;  // requisites still make the page
  }
  const auto p = x.extract("<meta name=robots content=noindex><a href=a>a</a>", "http://h/", "");
  EXPECT_FALSE(p.meta_nofollow);
  EXPECT_EQ(p.links, (Urls{"http://h/a"}));
}

TEST(LinkExtractor, NonUtf8Page) {
  LinkExtractor x;
  // windows-1252 "é" (0xE9) in an href: decoded to UTF-8, the bytes of U+00E9.
  const auto p = x.extract("<meta charset=windows-1252><a href='caf\xE9.html'>caf\xE9</a>",
                           "http://h/", "text/html");
  EXPECT_EQ(p.links, (Urls{"http://h/caf\xC3\xA9.html"}));
  const auto q = x.extract(std::string("<a href=x>\0</a><a href=y>", 25), "http://h/", "text/html");
  EXPECT_EQ(q.links, (Urls{"http://h/x", "http://h/y"}));
  EXPECT_TRUE(x.extract("", "http://h/", "text/html").links.empty());
  EXPECT_TRUE(x.extract("\x89PNG\r\n\x1a\n\x00\x01", "http://h/", "").links.empty());
}

}  // namespace
}  // namespace warcpairs::html
