// classify_image: each rule next to the evidence that fires it (the DuckDB way), and the
// order in which they win.
#include <gtest/gtest.h>

#include <string>

#include "warcpairs/html/extractor.h"
#include "warcpairs/html/image_kind.h"

namespace warcpairs::html {
namespace {

struct Case {
  const char* what;
  ImageEvidence e;
  const char* kind;
  const char* reason;
};

ImageEvidence img(std::string_view url, std::string_view dom_path = "html>body>div>img") {
  ImageEvidence e;
  e.url = url;
  e.page_url = "https://www.example.org/news/2024/story.html";
  e.dom_path = dom_path;
  return e;
}

ImageEvidence with(ImageEvidence e, auto&& edit) {
  edit(e);
  return e;
}

TEST(ImageKind, EachRuleWithItsReason) {
  const Case cases[] = {
      {"ad host", img("https://securepubads.g.doubleclick.net/x.gif"), "ad",
       "host:securepubads.g.doubleclick.net"},
      {"ad subdomain", img("https://ads.example.org/b/123.jpg"), "ad", "host:ads.example.org"},
      {"ad class", with(img("https://example.org/a.jpg"), [](auto& e) { e.img_class = "adsbygoogle x"; }),
       "ad", "name:adsbygoogle"},
      {"ad container", img("https://example.org/a.jpg", "html>body>div#ad-slot-1>img"), "ad", "path:ad"},
      {"spacer name", img("https://example.org/img/spacer.gif"), "spacer", "name:spacer"},
      {"spacer size", with(img("https://example.org/x.gif"), [](auto& e) { e.width = 600, e.height = 2; }),
       "spacer", "size:600x2"},
      {"gravatar", img("https://secure.gravatar.com/avatar/ab12?s=96"), "avatar",
       "host:secure.gravatar.com"},
      {"avatar class", with(img("https://example.org/u/5.jpg"), [](auto& e) { e.img_class = "avatar avatar-96 photo"; }),
       "avatar", "name:avatar"},
      {"logo file", img("https://example.org/wp-content/uploads/site-logo-white.png"), "logo", "name:logo"},
      {"logo id", with(img("https://example.org/a.png"), [](auto& e) { e.img_id = "mainLogo"; }), "logo",
       "name:logo"},
      {"flag", img("https://example.org/flags/de.png"), "badge", "name:flags"},
      {"app store badge", img("https://example.org/img/badge-appstore.svg"), "badge", "name:badge"},
      {"cc license", img("https://i.creativecommons.org/l/by/4.0/88x31.png"), "badge",
       "host:i.creativecommons.org"},
      {"icon file", img("https://example.org/icons/search.svg"), "icon", "name:icons"},
      {"emoji", img("https://s.w.org/images/core/emoji/14.0.0/72x72/1f642.png"), "icon", "name:emoji"},
      {"social", img("https://example.org/img/facebook.png"), "icon", "name:facebook"},
      {"small", with(img("https://example.org/a.png"), [](auto& e) { e.width = 16, e.height = 16; }), "icon",
       "size:16x16"},
      {"one side small", with(img("https://example.org/a.png"), [](auto& e) { e.width = 24; }), "icon",
       "size:24x?"},
      {"88x31", with(img("https://example.org/a.png"), [](auto& e) { e.width = 88, e.height = 31; }), "badge",
       "size:88x31"},
      {"logo container", img("https://example.org/a.png", "html>body>div.site-logo>a>img"), "logo",
       "path:logo"},
      {"home link", with(img("https://example.org/a.png"), [](auto& e) { e.link = "https://example.org/"; }),
       "logo", "link:home"},
      {"other site's home", with(img("https://example.org/a.png"), [](auto& e) { e.link = "https://partner.com/"; }),
       "logo", "link:site"},
      {"header", img("https://example.org/a.jpg", "html>body>header#top>div>img"), "chrome", "path:header"},
      {"footer class", img("https://example.org/a.jpg", "html>body>div#footer-wrap>img"), "chrome",
       "path:footer"},
      {"aside inside content", img("https://example.org/a.jpg", "html>body>div#content>aside>p>img"), "chrome",
       "path:aside"},
      {"article header is the post's", img("https://example.org/a.jpg", "html>body>article>header>img"),
       "content", "path:main"},
      {"entry-header", img("https://example.org/a.jpg", "html>body>div>div.entry-header>img"), "content",
       "path:main"},
      {"figure", with(img("https://example.org/a.jpg"), [](auto& e) { e.in_figure = true; }), "content", "figure"},
      {"large", with(img("https://example.org/a.jpg"), [](auto& e) { e.width = 800, e.height = 600; }), "content",
       "size:800x600"},
      {"region replaces the path", with(img("https://example.org/a.jpg", "html>body>article>img"),
                                        [](auto& e) { e.region = "footer"; }),
       "chrome", "region:footer"},
      {"main region replaces the path", with(img("https://example.org/a.jpg", "html>body>div.sidebar>img"),
                                             [](auto& e) { e.region = "main"; }),
       "content", "region:main"},
      {"other region is not main", with(img("https://example.org/a.jpg", "html>body>article>img"),
                                        [](auto& e) { e.region = "other"; }),
       "chrome", "region:other"},
      {"lightbox link opens the image, not a page",
       with(img("https://example.org/a.jpg", "html>body>article>a.lightbox>img"),
            [](auto& e) { e.link = "https://example.org/photos/17"; }),
       "content", "path:main"},
      {"link to another page is a teaser",
       with(img("https://example.org/a.jpg", "html>body>article>a.card>img"),
            [](auto& e) { e.link = "https://example.org/photos/17"; }),
       "chrome", "link:page"},
      {"lazy-load stand-in", img("https://cdn.example.org/1px/lgray.png"), "spacer", "name:lgray"},
      {"1px folder", img("https://cdn.example.org/1px/f.png"), "spacer", "name:1px"},
      {"author photo", with(img("https://example.org/a.jpg"), [](auto& e) { e.img_class = "authorphoto"; }),
       "avatar", "name:authorphoto"},
      {"thumbnail size in the name", img("https://example.org/up/jane-150x150-35x35-c.jpg"), "icon",
       "name-size:35x35"},
      {"svg", img("https://example.org/static/experts-club.svg"), "icon", "type:svg"},
      {"large svg", with(img("https://example.org/chart.svg"), [](auto& e) { e.width = 600, e.height = 400; }),
       "content", "size:600x400"},
      {"pagination", img("https://example.org/images/pagination/next-right.png"), "icon", "name:pagination"},
      {"header-main is the header's", img("https://example.org/a.jpg", "html>body>div.header-main>div>img"),
       "chrome", "path:header"},
      {"logo in the alt", with(img("https://example.org/a.png"), [](auto& e) { e.alt = "ACME Logo"; }), "logo",
       "alt:logo"},
      {"described", with(img("https://example.org/a.jpg"), [](auto& e) { e.alt = "Zwei Kühe auf der Weide"; }),
       "content", "alt"},
      {"one word is not a description", with(img("https://example.org/a.jpg"), [](auto& e) { e.alt = "Nächste"; }),
       "unknown", "no evidence"},
      {"nothing", img("https://example.org/a.jpg"), "unknown", "no evidence"},
      {"page-wide body class is not position",
       img("https://example.org/a.jpg", "html>body.wp-custom-logo>div>img"), "unknown", "no evidence"},
  };
  for (const Case& c : cases) {
    const ImageKind k = classify_image(c.e);
    EXPECT_EQ(k.kind, c.kind) << c.what;
    EXPECT_EQ(k.reason, c.reason) << c.what;
  }
}

TEST(ImageKind, OwnEvidenceBeatsPosition) {
  // A logo file in the article is still a logo; a photo's own class wins over a footer.
  ImageEvidence e = img("https://example.org/brand-logo.png", "html>body>article>img");
  EXPECT_EQ(classify_image(e).kind, "logo");
  e = img("https://example.org/p.jpg", "html>body>footer>img");
  e.width = 20, e.height = 20;
  EXPECT_EQ(classify_image(e).reason, "size:20x20");
}

TEST(ImageKind, WordsInsideOtherWordsDoNotCount) {
  // "ad" only as a whole token: "download", "header-ads" vs "shadow", "radio".
  EXPECT_EQ(classify_image(img("https://example.org/uploads/shadow-radio.jpg")).kind, "unknown");
  EXPECT_EQ(classify_image(img("https://example.org/x/header-ads/p.jpg")).kind, "ad");
  // A home link with a query is not the home page; a deep link is not either: both are
  // links to another page (a teaser). A link to the image file or to the page itself is not.
  ImageEvidence e = img("https://example.org/p.jpg");
  e.link = "https://example.org/?p=12";
  EXPECT_EQ(classify_image(e).reason, "link:page");
  e.link = "https://example.org/2024/05/story/";
  EXPECT_EQ(classify_image(e).reason, "link:page");
  e.link = "https://example.org/uploads/p-large.JPG";
  EXPECT_EQ(classify_image(e).kind, "unknown");
  e.link = "https://www.example.org/news/2024/story.html#gallery";
  EXPECT_EQ(classify_image(e).kind, "unknown");
}

TEST(ImageKind, TeasersOfOtherPagesAreChromeEvenAsArticles) {
  // Related-post cards are <article>s too: a related/teaser/latest ancestor wins over them.
  EXPECT_EQ(classify_image(img("https://example.org/a.jpg",
                               "html>body>main>div.yarpp-related>ul>li>article.post>figure>img")).reason,
            "path:yarpp");
  EXPECT_EQ(classify_image(img("https://example.org/a.jpg",
                               "html>body>div>section.article__teaser>article.grid__item>figure>img")).reason,
            "path:teaser");  // "article__teaser": a teaser, though an article
  EXPECT_EQ(classify_image(img("https://example.org/a.jpg",
                               "html>body>div.more-news>ul>li>article>figure>img")).reason,
            "path:more");
}

// Through the extractor: the region main-content detection gives an image decides its
// position, not the dom_path (a role="navigation" box names no furniture word in the path).
TEST(ImageKind, ExtractReadsTheMainContentRegion) {
  const std::string long_text =
      "The river rose two metres overnight and the old bridge was closed to traffic by morning, "
      "the first closure in forty years.";
  const std::string html =
      "<div role=\"navigation\"><img src=\"/up/bridge-view.jpg\" width=\"300\" height=\"200\">"
      "<a href=\"/a\">News</a> <a href=\"/b\">Sport</a></div><article><p>" + long_text +
      "</p><img src=\"/up/river.jpg\"><p>" + long_text + "</p></article>";
  HtmlExtractor ex{ExtractOptions{}};
  PageExtraction out;
  ex.extract(html, "https://www.example.org/news/story.html", "text/html", out);
  ASSERT_EQ(out.images.size(), 2u);
  EXPECT_EQ(out.images[0].region, "nav");
  EXPECT_EQ(out.images[0].kind, "chrome");  // by its size alone it would be content
  EXPECT_EQ(out.images[0].kind_reason, "region:nav");
  EXPECT_EQ(out.images[1].region, "main");
  EXPECT_EQ(out.images[1].kind, "content");
  EXPECT_EQ(out.images[1].kind_reason, "region:main");
}

TEST(ImageKind, BadEvidenceDoesNotCrash) {
  for (const char* u : {"", "://", "https://", "x", "https://@:/?#", "https://[::1]:8/a.png"}) {
    ImageEvidence e = img(u, "");
    e.link = u;
    e.page_url = u;
    EXPECT_FALSE(classify_image(e).kind.empty()) << u;
  }
}

}  // namespace
}  // namespace warcpairs::html
