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

// Contexts that overlap are read in one CLD2 pass with its chunks (page_images.cc,
// detect_context_languages): on a page that turns from English to German, each image's
// context takes the language of the text it stands in, not the page's or its neighbour's.
TEST(PageLanguage, OverlappingContextsTakeTheirOwnChunksLanguage) {
  auto o = testing::all_text_options();
  o.context_chars = 150;  // windows of ~300 B, images ~150 B apart: the windows overlap
  const std::string html =
      "<html><body>"
      "<p>The weather will stay dry and sunny for the rest of the week in the north.</p>"
      "<p>Farmers expect an early harvest after the warmest spring in twenty years.</p>"
      "<img src=e1.jpg>"
      "<p>The city council voted on Tuesday to extend the tram line to the airport.</p>"
      "<p>Tickets for the summer concerts go on sale at the town hall next Monday.</p>"
      "<img src=e2.jpg>"
      "<p>A new library with a large reading room for children opened in the old school.</p>"
      "<p>Rail services between the two cities will run every half hour from June.</p>"
      "<p>Die Bundesregierung hat am Mittwoch neue Maßnahmen zur Förderung der Energie "
      "beschlossen.</p>"
      "<p>Kritiker bemängeln jedoch die hohen Kosten für die Verbraucher im ganzen Land.</p>"
      "<img src=d1.jpg>"
      "<p>Der Ausschuss wird seinen Abschlussbericht im nächsten Frühjahr veröffentlichen.</p>"
      "<p>Die Strecke soll die beiden Städte in weniger als einer Stunde verbinden.</p>"
      "<img src=d2.jpg>"
      "<p>Das neue Museum am Fluss zeigt Gemälde aus drei Jahrhunderten und alte Karten.</p>"
      "<p>Im Sommer fahren die Schiffe jede Stunde von der Brücke bis zum alten Hafen.</p>"
      "</body></html>";
  const auto out = extract(html, o);
  ASSERT_EQ(out.images.size(), 4u);
  const char* expected[] = {"en", "en", "de", "de"};
  for (int i = 0; i < 4; ++i) {
    EXPECT_EQ(out.images[i].context_language, expected[i]) << out.images[i].context;
    EXPECT_TRUE(out.images[i].context_language_reliable) << out.images[i].context;
  }
  // The same answers as one CLD2 call per context where a context is all one language.
  for (int i : {0, 3}) {
    text::LanguageGuess g;
    text::detect_language(out.images[i].context, g, text::kContextLanguageBytes);
    EXPECT_EQ(g.code, expected[i]) << out.images[i].context;
  }
}

// Windows that do not touch are read in the same pass, joined: an English image at the top,
// a German one far below, each context its own language (not the page's, not the pass's).
TEST(PageLanguage, SeparateContextsOfTwoLanguagesInOnePass) {
  auto o = testing::all_text_options();
  o.context_chars = 80;
  std::string html =
      "<html><body>"
      "<p>The weather will stay dry and sunny for the rest of the week in the north.</p>"
      "<img src=e.jpg>"
      "<p>Farmers expect an early harvest after the warmest spring in twenty years.</p>";
  for (int i = 0; i < 6; ++i)
    html += "<p>Die Bundesregierung hat am Mittwoch neue Maßnahmen zur Förderung der Energie "
            "beschlossen; Kritiker bemängeln die hohen Kosten im ganzen Land.</p>";
  html += "<p>Der Ausschuss wird seinen Abschlussbericht im nächsten Frühjahr vorlegen.</p>"
          "<img src=d.jpg>"
          "<p>Die Strecke soll die beiden Städte in weniger als einer Stunde verbinden.</p>"
          "</body></html>";
  const auto out = extract(html, o);
  EXPECT_EQ(out.text_language.code, "de");
  ASSERT_EQ(out.images.size(), 2u);
  EXPECT_EQ(out.images[0].context_language, "en") << out.images[0].context;
  EXPECT_EQ(out.images[1].context_language, "de") << out.images[1].context;
  for (const auto& im : out.images) EXPECT_TRUE(im.context_language_reliable) << im.context;
  // The same answers as a call on each context alone.
  for (const auto& im : out.images)
    EXPECT_EQ(text::detect_language(im.context).code, im.context_language) << im.context;
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
