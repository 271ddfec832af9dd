// Main-content detection (src/html/main_content.h) through HtmlExtractor: each rule on a small
// page written for it, next to the main-content text and image regions it must give.
#include <gtest/gtest.h>

#include <string>

#include "warcpairs/html/extractor.h"

namespace warcpairs::html {
namespace {

constexpr const char* kPage = "http://ex.com/d/p.html";

// Long enough to be content on its own (jusText's "good" length), with a sentence's end.
const std::string kLong1 =
    "The river rose two metres overnight and the old bridge was closed to traffic by morning, "
    "the first closure in forty years.";
const std::string kLong2 =
    "Engineers from the city inspected the pillars and said repairs would take several weeks, "
    "perhaps until the spring.";
const std::string kLong3 =
    "Residents on the east bank were asked to use the ferry, which now runs every half hour "
    "from six in the morning.";

PageExtraction extract(const std::string& html, PageText page_text = PageText::kMain,
                       ContextFrom from = ContextFrom::kMain) {
  ExtractOptions options;
  options.page_text = page_text;
  options.context_from = from;
  HtmlExtractor ex(options);
  PageExtraction out;
  ex.extract(html, kPage, "text/html", out);
  return out;
}

std::string main_text(const std::string& html) { return extract(html).text; }

TEST(MainContent, LandmarkElementsAreBoilerplate) {
  const std::string html = "<body><header><p>" + kLong3 + "</p></header><nav><ul><li>Home</li>"
                           "<li>News</li></ul></nav><main><h1>Bridge closed</h1><p>" + kLong1 +
                           "</p><p>" + kLong2 + "</p><aside><p>" + kLong3 + "</p></aside></main>"
                           "<footer><p>Contact us</p></footer></body>";
  EXPECT_EQ(main_text(html), "Bridge closed\n" + kLong1 + "\n" + kLong2);
}

TEST(MainContent, AriaRolesAndClassWordsMarkBoilerplate) {
  const std::string html =
      "<div role=\"navigation\"><p>" + kLong3 + "</p></div><article><p>" + kLong1 + "</p>"
      "<div class=\"sharedaddy sd-sharing\"><p>Share this: Facebook Twitter Email now</p></div>"
      "<div id=\"comments\"><p>" + kLong2 + "</p></div>"
      "<div class=\"cookie-notice\"><p>We use cookies to improve your experience here.</p></div>"
      "<p class=\"post-tags\">Tags: bridge, river, city council, flood</p>"
      "<ol class=\"breadcrumb\"><li>Home</li><li>City</li></ol></article>"
      "<div class=\"widget-area sidebar\"><p>" + kLong2 + "</p></div>";
  EXPECT_EQ(main_text(html), kLong1);
}

TEST(MainContent, TheBoxAboutTheAuthorIsNotTheArticle) {
  const std::string html = "<article><div class=\"byline\">By Jane Roe, 4 May 2022</div><p>" +
                           kLong1 + "</p><p>" + kLong2 + "</p><div class=\"author-bio\"><p>Jane "
                           "Roe has written about rivers and bridges for twenty years now.</p></div>"
                           "</article>";
  EXPECT_EQ(main_text(html), kLong1 + "\n" + kLong2);
}

TEST(MainContent, BoilerplateWordWithSpecificContentWordIsContent) {
  // "entry-content" is specific (strength 3) and beats "share" in the same class list;
  // "comment-body" has no content head word, so it stays a comment.
  const std::string html = "<article><div class=\"entry-content share-enabled\"><p>" + kLong1 +
                           "</p></div><div class=\"comment-body\"><p>" + kLong2 +
                           "</p></div></article>";
  EXPECT_EQ(main_text(html), kLong1);
}

TEST(MainContent, WrapperWithBoilerplateClassIsIgnored) {
  // A layout class on the element around the whole page ("has-sidebar") is not a region.
  const std::string html = "<div class=\"page has-sidebar\"><p>" + kLong1 + "</p><p>" + kLong2 +
                           "</p><p>" + kLong3 + "</p><div class=\"sidebar\"><p>Archive</p></div>"
                           "</div>";
  EXPECT_EQ(main_text(html), kLong1 + "\n" + kLong2 + "\n" + kLong3);
}

TEST(MainContent, TextOutsideTheContentContainerIsDropped) {
  // Unmarked text next to the chosen container (teasers, bylines of other stories) goes.
  // Inside it a short block between content is content, one at its edge is not.
  const std::string html = "<div class=\"article-body\"><p>" + kLong1 + "</p><p>Short line.</p><p>" +
                           kLong2 + "</p><p>Share</p></div><div><p>" + kLong3 + "</p></div>";
  EXPECT_EQ(main_text(html), kLong1 + "\nShort line.\n" + kLong2);
}

TEST(MainContent, ContainerChoicePrefersSpecificWordsThenText) {
  // div#content (generic) holds the article (element) which holds .post-content (specific).
  const std::string html = "<div id=\"content\"><article><h2>Title</h2>"
                           "<div class=\"post-content\"><p>" + kLong1 + "</p><p>" + kLong2 +
                           "</p></div></article><p>" + kLong3 + "</p></div>";
  EXPECT_EQ(main_text(html), kLong1 + "\n" + kLong2);
}

TEST(MainContent, LinkDenseBlocksAreBoilerplate) {
  const std::string html = "<article><p>" + kLong1 + "</p><p>Read also: <a href=\"/x\">The "
                           "ferry timetable for the whole winter season</a></p><p>" + kLong2 +
                           " <a href=\"/y\">More</a></p></article>";
  EXPECT_EQ(main_text(html), kLong1 + "\n" + kLong2 + " More");
}

TEST(MainContent, WithoutContainerBlocksAreJudgedByLengthAndNeighbours) {
  // No marked container: long blocks are content; a short block between two is content, a
  // short one at the edge is not; a heading before content is content; link lists are not.
  const std::string html = "<div><p>Menu</p><p><a href=\"/a\">Home</a> <a href=\"/b\">About "
                           "the town</a></p><h2>The bridge story</h2><p>" + kLong1 +
                           "</p><p>Photo: J. Doe</p><p>" + kLong2 + "</p><p>Login</p></div>";
  EXPECT_EQ(main_text(html), "The bridge story\n" + kLong1 + "\nPhoto: J. Doe\n" + kLong2);
}

TEST(MainContent, PageTextAllIsTheVisibleText) {
  const std::string html = "<nav>Home</nav><article><p>" + kLong1 + "</p></article>";
  EXPECT_EQ(extract(html, PageText::kAll).text, "Home\n" + kLong1);
  EXPECT_EQ(extract(html, PageText::kNone).text, "");
}

TEST(MainContent, ImageRegionsAndContextsFromMain) {
  const std::string html =
      "<header><img src=\"logo.png\" alt=\"Logo\"><p>Town news</p></header>"
      "<nav><img src=\"icon.png\"><a href=\"/\">Home</a></nav>"
      "<article><p>" + kLong1 + "</p><figure><img src=\"bridge.jpg\" alt=\"The bridge\"></figure>"
      "<p>" + kLong2 + "</p></article><div class=\"related-posts\"><img src=\"r.jpg\"><p>Other "
      "stories</p></div><footer><img src=\"f.png\"></footer><form><img src=\"s.png\"></form>";
  const PageExtraction out = extract(html);
  ASSERT_EQ(out.images.size(), 6u);
  const char* regions[] = {"header", "nav", "main", "aside", "footer", "other"};
  for (std::size_t i = 0; i < 6; ++i) EXPECT_EQ(out.images[i].region, regions[i]) << i;
  // The main image's context is the main text around it: no "Town news", no "Home".
  EXPECT_EQ(out.images[2].context, kLong1 + "\n" + kLong2);
  EXPECT_EQ(out.images[2].image_pos, static_cast<int32_t>(kLong1.size() + 1));
  // Images outside the main content get no context, hence no label.
  EXPECT_EQ(out.images[0].context, "");
  EXPECT_EQ(out.images[0].label_start, -1);

  // --context-from all: the old windows over all visible text, regions still recorded.
  const PageExtraction all = extract(html, PageText::kNone, ContextFrom::kAll);
  ASSERT_EQ(all.images.size(), 6u);
  EXPECT_EQ(all.images[0].context, "Town news\nHome\n" + kLong1 + "\n" + kLong2 + "\nOther stories");
  EXPECT_EQ(all.images[2].region, "main");
}

TEST(MainContent, ImageInsideAKeptParagraphKeepsItsPlace) {
  const std::string html = "<nav><p>Home</p></nav><article><p>Before the picture " + kLong1 +
                           " <img src=\"a.jpg\" alt=\"x\"> and after it.</p></article>";
  const PageExtraction out = extract(html);
  ASSERT_EQ(out.images.size(), 1u);
  EXPECT_EQ(out.images[0].region, "main");
  const std::string before = "Before the picture " + kLong1 + " ";
  EXPECT_EQ(out.images[0].context, before + "and after it.");
  EXPECT_EQ(out.images[0].image_pos, static_cast<int32_t>(before.size()));
}

TEST(MainContent, CaptionsAndCreditsAreNotRunningText) {
  // The image keeps its figcaption; the main text does not hold it, nor a credit line.
  const std::string html = "<article><p>" + kLong1 + "</p><figure><img src=\"a.jpg\" alt=\"A\">"
                           "<figcaption>Foto: J. Doe</figcaption></figure><p>" + kLong2 +
                           "</p><p class=\"image-credit\">Bild: Agentur</p><p>" + kLong3 +
                           "</p></article>";
  const PageExtraction out = extract(html);
  EXPECT_EQ(out.text, kLong1 + "\n" + kLong2 + "\n" + kLong3);
  ASSERT_EQ(out.images.size(), 1u);
  EXPECT_EQ(out.images[0].region, "main");
  EXPECT_EQ(out.images[0].figcaption, "Foto: J. Doe");
}

TEST(MainContent, CopyrightLinesAreBoilerplate) {
  const std::string html = "<article><p>" + kLong1 + "</p><p>" + kLong2 + "</p><p>\xC2\xA9 2022 "
                           "Town News. This article may not be reprinted without permission.</p>"
                           "</article>";
  EXPECT_EQ(main_text(html), kLong1 + "\n" + kLong2);
}

TEST(MainContent, HeaderWordMarksAPageRegionOnlyAsSuch) {
  // "site-header" and "header-top" are the page's header; "table-header" is part of a table.
  const std::string html = "<div class=\"site-header\"><p>" + kLong3 + "</p></div><div class=\"header-top\"><p>" +
                           kLong3 + "</p></div><div class=\"entry-content\"><p>" + kLong1 +
                           "</p><table class=\"ingredients table-header\"><tr><td>250 g flour</td></tr>"
                           "</table><p>" + kLong2 + "</p></div>";
  EXPECT_EQ(main_text(html), kLong1 + "\n250 g flour\n" + kLong2);
}

TEST(MainContent, ShortRunsBetweenContentAreFilledUnlessTheyHoldBoilerplate) {
  // Ingredient lines between two paragraphs are content; a "Related" heading whose link list
  // follows is not, though a teaser paragraph comes after it.
  const std::string html = "<article><p>" + kLong1 + "</p><ul><li>2 eggs</li><li>1 cup milk</li>"
                           "</ul><p>" + kLong2 + "</p><h3>Related</h3><ul><li><a href=\"/a\">"
                           "Another story</a></li></ul><p>" + kLong3 + "</p></article>";
  EXPECT_EQ(main_text(html), kLong1 + "\n2 eggs\n1 cup milk\n" + kLong2 + "\n" + kLong3);
}

TEST(MainContent, ALongParagraphOutsideTheContainerIsContent) {
  const std::string lead = kLong3 + " " + kLong3;  // > 150 bytes, no link
  const std::string html = "<div><p>" + lead + "</p></div><article><p>" + kLong1 + "</p><p>" +
                           kLong2 + "</p></article><div><p>" + kLong3 + "</p></div>";
  EXPECT_EQ(main_text(html), lead + "\n" + kLong1 + "\n" + kLong2);
}

TEST(MainContent, APageOfShortTextKeepsWhatNoMarkCallsBoilerplate) {
  // Nothing is long enough to tell content by length: the marks alone decide.
  const std::string html = "<nav><a href=\"/\">Home</a> <a href=\"/b\">Blog</a></nav><p>Some text "
                           "before the picture of a cat.</p><img src=\"cat.jpg\" alt=\"a cat\">"
                           "<p>The text after it.</p><footer>Imprint</footer>";
  const PageExtraction out = extract(html);
  EXPECT_EQ(out.text, "Some text before the picture of a cat.\nThe text after it.");
  ASSERT_EQ(out.images.size(), 1u);
  EXPECT_EQ(out.images[0].region, "main");
  EXPECT_EQ(out.images[0].context, "Some text before the picture of a cat.\nThe text after it.");
}

TEST(MainContent, PageWithoutTextHasNoMainText) {
  EXPECT_EQ(main_text("<html><body></body></html>"), "");
  EXPECT_EQ(main_text("<nav><a href=\"/\">Home</a></nav>"), "");
  const PageExtraction out = extract("<div><img src=\"a.png\" alt=\"A\"></div>");
  ASSERT_EQ(out.images.size(), 1u);
  EXPECT_EQ(out.images[0].region, "other");
  EXPECT_EQ(out.images[0].context, "");
}

TEST(MainContent, PageBuilderClassWidgetsAreNotSidebars) {
  // Elementor calls every block "elementor-widget": not a sidebar.
  const std::string html = "<div class=\"elementor-widget elementor-widget-text-editor\"><p>" +
                           kLong1 + "</p></div><div class=\"widget\"><p>" + kLong2 + "</p></div>";
  EXPECT_EQ(main_text(html), kLong1);
}

TEST(MainContent, AHeaderInsideTheArticleHeadsTheArticle) {
  // The page's <header> is boilerplate; the article's own <header> (title, lead) is not.
  const std::string html = "<body><header><p>" + kLong3 + "</p></header><article><header>"
                           "<h1>Bridge closed</h1><p class=\"lead\">" + kLong2 + "</p></header><p>" +
                           kLong1 + "</p></article></body>";
  EXPECT_EQ(main_text(html), "Bridge closed\n" + kLong2 + "\n" + kLong1);
}

TEST(MainContent, TheLeadJustAboveTheContainerIsContent) {
  // kLong3 (116 bytes) is shorter than a lone paragraph outside the container (150): above
  // the container, next to it, it is the standfirst; the same with a link, or five blocks
  // away, is not.
  const std::string body = "<div class=\"entry-content\"><p>" + kLong1 + "</p><p>" + kLong2 + "</p></div>";
  EXPECT_EQ(main_text("<h1>Bridge closed</h1><p class=\"standfirst\">" + kLong3 + "</p><p>By Jane Roe</p>" + body),
            kLong3 + "\n" + kLong1 + "\n" + kLong2);
  EXPECT_EQ(main_text("<p>" + kLong3 + " <a href=\"/x\">more</a></p>" + body), kLong1 + "\n" + kLong2);
  EXPECT_EQ(main_text("<p>" + kLong3 + "</p><p>a</p><p>b</p><p>c</p><p>d</p>" + body), kLong1 + "\n" + kLong2);
}

TEST(MainContent, EmbedsAndRatingsAreBoilerplate) {
  const std::string html = "<article><p>" + kLong1 + "</p><figure class=\"wp-block-embed is-type-rich\">"
                           "<p>" + kLong3 + "</p></figure><div class=\"star-rating\"><p>Rated 4.5 "
                           "out of 5 by 212 readers of this page</p></div><p>" + kLong2 + "</p>"
                           "<p><a class=\"lightbox\" href=\"big.jpg\"><img src=\"small.jpg\" alt=\"The bridge\"></a></p>"
                           "</article>";
  const PageExtraction out = extract(html);
  EXPECT_EQ(out.text, kLong1 + "\n" + kLong2);
  // A link that opens the photo in a lightbox is no boilerplate region.
  ASSERT_EQ(out.images.size(), 1u);
  EXPECT_EQ(out.images[0].region, "main");
}

TEST(MainContent, AFormHoldingAParagraphIsNotBoilerplate) {
  // A search form is boilerplate; a product page built inside a <form> keeps its description.
  const std::string lead = kLong2 + " " + kLong3;  // a paragraph (>= 150 bytes, no link)
  const std::string html = "<form action=\"/search\"><p>Search this site for more news</p>"
                           "<input name=\"q\"></form><article><form action=\"/cart\"><h1>Cat blanket</h1>"
                           "<p>" + lead + "</p><p>" + kLong1 + "</p><button>Add to cart</button></form></article>";
  EXPECT_EQ(main_text(html), "Cat blanket\n" + lead + "\n" + kLong1);
}

}  // namespace
}  // namespace warcpairs::html
