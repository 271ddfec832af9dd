// HtmlExtractor's page-level additions of schema 8: the detected language of the visible
// text and of each context (CLD2), and the page's <meta name="robots"> directives.
#include <gtest/gtest.h>

#include "expect.h"
#include "warcpairs/html/extractor.h"

namespace warcpairs::html {
namespace {

PageExtraction extract(const std::string& html, ExtractOptions o = testing::all_text_options()) {
  HtmlExtractor ex(o);
  PageExtraction out;
  ex.extract(html, "http://ex.com/p.html", "text/html; charset=utf-8", out);
  return out;
}

const char* kGermanPage =
    "<html lang=en><head><title>Bahn</title>"
    "<meta name=\"Robots\" content=\"NoIndex , noai\"><meta name=robots content=noimageai>"
    "<meta name=description content=\"noai\"></head><body>"
    "<p>Der Ausschuss wird seinen Abschlussbericht über die neue Bahnstrecke im nächsten "
    "Frühjahr veröffentlichen, nachdem die öffentliche Anhörung beendet ist.</p>"
    "<img src=a.jpg alt=Zug>"
    "<p>Die Strecke soll die beiden Städte in weniger als einer Stunde verbinden und den "
    "Verkehr auf der Autobahn deutlich entlasten.</p>"
    "<img src=b.jpg></body></html>";

TEST(PageLanguage, DetectedNotDeclared) {
  const auto out = extract(kGermanPage);
  EXPECT_EQ(out.language, "en");  // <html lang> as written, kept apart
  EXPECT_EQ(out.text_language.code, "de");
  EXPECT_TRUE(out.text_language.reliable);
  EXPECT_GT(out.text_language.percent, 80);
  ASSERT_EQ(out.images.size(), 2u);
  for (const auto& im : out.images) {
    EXPECT_EQ(im.context_language, "de") << im.context;
    EXPECT_TRUE(im.context_language_reliable);
  }
}

TEST(PageLanguage, OffLeavesItEmpty) {
  auto o = testing::all_text_options();
  o.detect_language = false;
  const auto out = extract(kGermanPage, o);
  EXPECT_EQ(out.text_language.code, "");
  ASSERT_EQ(out.images.size(), 2u);
  EXPECT_EQ(out.images[0].context_language, "");
}

TEST(PageLanguage, NoContextNoLanguage) {
  const auto out = extract("<html><body><img src=a.jpg></body></html>");
  ASSERT_EQ(out.images.size(), 1u);
  EXPECT_EQ(out.images[0].context, "");
  EXPECT_EQ(out.images[0].context_language, "");
  EXPECT_FALSE(out.images[0].context_language_reliable);
  EXPECT_EQ(out.text_language.code, "");
}

TEST(PageLanguage, MetaRobotsDirectives) {
  EXPECT_EQ(extract(kGermanPage).robots, "noindex,noai,noimageai");  // name= is case-insensitive
  EXPECT_EQ(extract("<html><head><meta name=googlebot content=noai></head></html>").robots, "");
  EXPECT_EQ(extract("<meta name=robots content=\" , ,\">").robots, "");
  // Reused extractor: one page's directives do not leak into the next.
  HtmlExtractor ex(testing::all_text_options());
  PageExtraction out;
  ex.extract("<meta name=robots content=noai>", "http://a/", "text/html", out);
  EXPECT_EQ(out.robots, "noai");
  ex.extract("<p>x</p>", "http://a/", "text/html", out);
  EXPECT_EQ(out.robots, "");
}

}  // namespace
}  // namespace warcpairs::html
