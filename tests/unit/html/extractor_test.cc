// HtmlExtractor on hand-written pages: each case is the HTML next to the records it must give.
#include <gtest/gtest.h>

#include "expect.h"
#include "warcpairs/html/extractor.h"
#include "warcpairs/text/normalize.h"

namespace warcpairs::html {
namespace {

using testing::Img;
constexpr const char* kPage = "http://ex.com/d/p.html";

struct Case {
  const char* name;
  std::string html;
  std::vector<Img> images;
  uint32_t trackers = 0, data_uris = 0, no_urls = 0;
};

void run(const Case& c, ExtractOptions options = testing::all_text_options()) {
  HtmlExtractor ex(options);
  PageExtraction out;
  ex.extract(c.html, kPage, "text/html", out);
  SCOPED_TRACE(c.name);
  ASSERT_EQ(out.images.size(), c.images.size());
  for (std::size_t i = 0; i < c.images.size(); ++i) {
    EXPECT_EQ(out.images[i].index, static_cast<int32_t>(i));
    testing::expect_image(out.images[i], c.images[i], std::string(c.name) + " #" + std::to_string(i));
  }
  EXPECT_EQ(out.tracker_images, c.trackers);
  EXPECT_EQ(out.data_uri_images, c.data_uris);
  EXPECT_EQ(out.no_url_images, c.no_urls);
  EXPECT_FALSE(out.not_html);
}

TEST(Extractor, UrlsAndAttributes) {
  const Case cases[] = {
      {"basic", R"(<p>Hello world.</p><img src="a.png" alt="A cat"><p>After text.</p>)",
       {{.url = "http://ex.com/d/a.png", .src = "a.png", .srcset = "", .alt = "A cat",
         .dom_path = "html>body>img", .context = "Hello world.\nAfter text.", .has_alt = true,
         .width = -1, .height = -1, .image_pos = 13}}},
      {"srcset w, no src", R"(<img srcset="s.jpg 320w, l.jpg 1024w, m.jpg 640w" alt="x">)",
       {{.url = "http://ex.com/d/l.jpg", .src = "",
         .srcset = "http://ex.com/d/s.jpg 320w, http://ex.com/d/l.jpg 1024w, http://ex.com/d/m.jpg 640w"}}},
      {"srcset x, no src", R"(<img srcset="a1.jpg, a2.jpg 2x, a15.jpg 1.5x">)",
       {{.url = "http://ex.com/d/a2.jpg"}}},
      {"src beats srcset", R"(<img src="/s.jpg" srcset="big.jpg 2x">)",
       {{.url = "http://ex.com/s.jpg", .srcset = "http://ex.com/d/big.jpg 2x"}}},
      {"picture sources are candidates",
       R"(<picture><source srcset="p.webp 1x, p2.webp 2x" type="image/webp"><source srcset="q.jpg">
          <img src="fallback.jpg" alt="pic"></picture>)",
       {{.url = "http://ex.com/d/fallback.jpg",
         .srcset = "http://ex.com/d/p.webp 1x, http://ex.com/d/p2.webp 2x, http://ex.com/d/q.jpg",
         .dom_path = "html>body>picture>img"}}},
      {"picture without img src", R"(<picture><source srcset="p.webp 1x, p2.webp 2x"><img alt="pic"></picture>)",
       {{.url = "http://ex.com/d/p2.webp"}}},
      {"picture: the first source is what a browser shows, larger later ones are alternatives",
       R"(<picture><source srcset="a-640.webp 640w, a-960.webp 960w" type="image/webp">
          <source srcset="a-1920.jpg 1920w"><img alt="pic"></picture>)",
       {{.url = "http://ex.com/d/a-960.webp",
         .srcset = "http://ex.com/d/a-640.webp 640w, http://ex.com/d/a-960.webp 960w, "
                   "http://ex.com/d/a-1920.jpg 1920w"}}},
      {"picture: a first source without candidates falls through to the next",
       R"html(<picture><source media="(min-width: 800px)"><source srcset="b1.jpg, b2.jpg 2x"><img></picture>)html",
       {{.url = "http://ex.com/d/b2.jpg"}}},
      {"lazy data-src over data: src",
       R"(<img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=" data-src="/real.jpg" alt="lazy">)",
       {{.url = "http://ex.com/real.jpg", .src = "data:image/gif;base64,R0lGODlhAQABAAAAACw="}}},
      {"lazy over placeholder", R"(<img src="/img/blank.gif" data-lazy-src="real2.jpg">)",
       {{.url = "http://ex.com/d/real2.jpg", .src = "/img/blank.gif"}}},
      {"data-original alone", R"(<img data-original="o.jpg">)", {{.url = "http://ex.com/d/o.jpg", .src = ""}}},
      {"placeholder kept when nothing else", R"(<img src="spacer.gif" alt="s">)",
       {{.url = "http://ex.com/d/spacer.gif"}}},
      {"data-srcset", R"(<img src="data:," data-srcset="d1.jpg 1x, d2.jpg 2x">)",
       {{.url = "http://ex.com/d/d2.jpg", .srcset = "http://ex.com/d/d1.jpg 1x, http://ex.com/d/d2.jpg 2x"}}},
      {"src not a placeholder because of the folder", R"(<img src="/blank/photo.jpg" data-src="x.jpg">)",
       {{.url = "http://ex.com/blank/photo.jpg"}}},
      {"width and height", R"(<img src=a width="100px" height="50.7"><img src=b width="50%" height="auto">
          <img src=c width=" 20 " height="0"><img src=d width="1" height="2">)",
       {{.width = 100, .height = 50}, {.width = -1, .height = -1}, {.width = 20, .height = 0},
        {.width = 1, .height = 2}}},
      {"alt presence", R"(<img src=a alt><img src=b alt=""><img src=c>)",
       {{.alt = "", .has_alt = true}, {.alt = "", .has_alt = true}, {.alt = "", .has_alt = false}}},
      {"entities and whitespace in alt/title",
       "<img src=a alt=\" Fish  &amp;\tchips&nbsp;&nbsp;now \" title=\" T&eacute;st &lt;1&gt; \">",
       {{.alt = "Fish & chips now", .title = "T\xC3\xA9st <1>"}}},
      {"trackers, data URIs and images without URL are counted, not stored",
       R"(<img src="t.gif" width="1" height="1"><img src="data:image/png;base64,AAAA" alt="d">
          <img><img src=""><img alt="no url"><img src="  "><img src="ok.jpg">)",
       {{.url = "http://ex.com/d/ok.jpg"}}, 1, 1, 4},
      {"dom path with id and first class",
       R"(<div id="main" class="  post  featured"><section class="gallery"><img src=a></section></div>)",
       {{.dom_path = "html>body>div#main.post>section.gallery>img"}}},
      {"noscript copy of a lazy image is skipped",
       R"(<img data-src="l.jpg" alt="x"><noscript><img src="l.jpg" alt="x"></noscript>)",
       {{.url = "http://ex.com/d/l.jpg"}}},
  };
  for (const Case& c : cases) run(c);
}

TEST(Extractor, ImagesInContentNotRenderedAreCounted) {
  HtmlExtractor ex(testing::all_text_options());
  PageExtraction out;
  ex.extract(R"(<img src=a.jpg><noscript><img src=a.jpg></noscript><template><img src=t.jpg></template>
                <object data=x.swf><img src=fallback.gif></object>)", kPage, "text/html", out);
  ASSERT_EQ(out.images.size(), 1u);
  EXPECT_EQ(out.hidden_images, 3u);
  ex.extract("<img src=b.jpg>", kPage, "text/html", out);
  EXPECT_EQ(out.hidden_images, 0u) << "counters start again on every page";
}

// A real page (parcoabruzzo.it in ../shared/data/warc-real) opens a <div> inside <noscript>
// and closes only the noscript: libxml2 ignores that end tag (a div outranks it) and keeps
// the noscript open to the end of the page. Browsers read noscript content as text, so
// everything after </noscript> is shown; the extractor must not lose those images.
TEST(Extractor, EndTagOfNoscriptAboveAnOpenElementEndsTheHiding) {
  HtmlExtractor ex(testing::all_text_options());
  PageExtraction out;
  ex.extract(R"(<body><noscript><div id="nojs"><img src=n.jpg></noscript><div id="main"><p>Bear
                <img src="bear.jpg" alt="a bear"></p></div><iframe><div></iframe><img src=c.jpg>)",
             kPage, "text/html", out);
  ASSERT_EQ(out.images.size(), 2u);
  EXPECT_EQ(out.images[0].url, "http://ex.com/d/bear.jpg");
  EXPECT_EQ(out.images[1].url, "http://ex.com/d/c.jpg");
  EXPECT_EQ(out.images[0].context.substr(0, 4), "Bear") << "text after </noscript> is visible";
  EXPECT_EQ(out.hidden_images, 1u) << "the image inside the noscript stays hidden";
  // Other hiding elements keep their content hidden until libxml2 closes them: a <video>
  // end tag above an open <div> is ignored by browsers too.
  ex.extract("<video><div></video><img src=v.jpg>", kPage, "text/html", out);
  EXPECT_EQ(out.images.size(), 0u);
  EXPECT_EQ(out.hidden_images, 1u);
}

// Real pages (a forum in ../shared/data/warc-real) write links and images after </html>;
// HTML5 puts them back into the body and browsers show them. libxml2's push parser stops
// there, so the extractor parses the rest again into the same page.
TEST(Extractor, ContentAfterTheEndOfHtmlIsExtracted) {
  HtmlExtractor ex(testing::all_text_options());
  PageExtraction out;
  ex.extract(R"(<html><head><title>T</title></head><body><p>In<img src=a.jpg></p></body></html>
<a href=x><b><img src="after.png" alt="banner"></b></a> text </html> <img src=c.png><noscript><img src=n.png>)",
             kPage, "text/html", out);
  ASSERT_EQ(out.images.size(), 3u);
  EXPECT_EQ(out.images[0].url, "http://ex.com/d/a.jpg");
  EXPECT_EQ(out.images[1].url, "http://ex.com/d/after.png");
  EXPECT_EQ(out.images[2].url, "http://ex.com/d/c.png");
  EXPECT_EQ(out.hidden_images, 1u);
  EXPECT_EQ(out.title, "T");
  EXPECT_NE(out.images[2].context.find("text"), std::string::npos);
  // Only comments and whitespace after </html>: nothing more, and no loop.
  ex.extract("<body><img src=a.jpg></body></html>\n<!-- end -->\n", kPage, "text/html", out);
  EXPECT_EQ(out.images.size(), 1u);
}

TEST(Extractor, BaseHref) {
  run({"absolute base",
       R"(<head><base href="https://cdn.ex.org/base/"></head><body><img src="i.png"><img src="/root.png">
          <img src="//other.net/x.png"><img src="https://abs.org/y.png"></body>)",
       {{.url = "https://cdn.ex.org/base/i.png"}, {.url = "https://cdn.ex.org/root.png"},
        {.url = "https://other.net/x.png"}, {.url = "https://abs.org/y.png"}}});
  run({"relative base resolves against the page", R"(<base href="../up/"><img src="i.png">)",
       {{.url = "http://ex.com/up/i.png"}}});
  run({"only the first base counts, even after the image",
       R"(<img src="i.png"><base href="http://b.org/x/"><base href="http://c.org/">)",
       {{.url = "http://b.org/x/i.png"}}});
  run({"base without href is ignored", R"(<base target="_top"><img src="i.png">)",
       {{.url = "http://ex.com/d/i.png"}}});
}

TEST(Extractor, Figures) {
  run({"figcaption before the image",
       R"(<figure><figcaption>Caption first</figcaption><img src="f.jpg"></figure>)",
       {{.figcaption = "Caption first", .context = "Caption first", .image_pos = 13}}});
  run({"figcaption after the image",
       R"(<figure><img src="f.jpg"><figcaption>Caption <b>after</b></figcaption></figure><p>Next</p>)",
       {{.figcaption = "Caption after", .context = "Caption after\nNext", .image_pos = 0}}});
  run({"nested figures",
       R"(<figure><figcaption>Outer  one</figcaption><img src="o.jpg">
            <figure><img src="i.jpg"><figcaption>Inner<br>two</figcaption></figure>
            <img src="o2.jpg"></figure><img src="none.jpg">)",
       {{.figcaption = "Outer one", .dom_path = "html>body>figure>img"},
        {.figcaption = "Inner two", .dom_path = "html>body>figure>figure>img"},
        {.figcaption = "Outer one"},
        {.figcaption = ""}}});
  run({"figure without caption", R"(<figure><img src="f.jpg"></figure>)", {{.figcaption = ""}}});
}

TEST(Extractor, VisibleText) {
  run({"script, style, noscript, template, head excluded",
       R"(<head><title>T</title><style>.x{}</style></head><p>Before</p>
          <script>var a = "<p>hidden</p>";</script><style>.y{}</style><noscript>no js</noscript>
          <template><p>tpl</p></template><div hidden>secret</div><img src="a.jpg" alt="Before"><p>After</p>)",
       {{.context = "Before\nAfter", .image_pos = 7, .label_start = 0, .label_end = 6}}});
  run({"block breaks, inline runs",
       R"(<div>One<span>Two</span> <b>Three</b><br>Four<ul><li>Five</li><li>Six</li></ul></div><img src="x.jpg">)",
       {{.context = "OneTwo Three\nFour\nFive\nSix", .image_pos = 26}}});
  run({"inline image separates words", R"(<p>left<img src="a.jpg">right</p>)",
       {{.context = "left right", .image_pos = 5}}});
  run({"whitespace and entities in text",
       "<p>  Fish &amp;   chips&nbsp;&nbsp;here\n\t</p>  <img src=a alt=\"fish &amp; CHIPS\">",
       {{.context = "Fish & chips here", .image_pos = 17, .label_start = 0, .label_end = 12}}});
  run({"unclosed tags", R"(<div><p>Unclosed para<img src="u.jpg" alt="u"><p>Second)",
       {{.dom_path = "html>body>div>p>img", .context = "Unclosed para\nSecond", .image_pos = 14}}});
  run({"table cells break", R"(<table><tr><td>a1</td><td>b2<img src=x></td></tr><tr><td>c3</td></tr></table>)",
       {{.context = "a1\nb2\nc3", .image_pos = 6}}});
  run({"two images at the same place", R"(<p>x</p><img src=a><img src=b><p>y</p>)",
       {{.context = "x\ny", .image_pos = 2}, {.context = "x\ny", .image_pos = 2}}});
  run({"label: nearest occurrence",
       R"(<p>A red car. Some words between here.</p><img src=a alt="red car"><p>The red car again.</p>)",
       {{.context = "A red car. Some words between here.\nThe red car again.", .image_pos = 36,
         .label_start = 40, .label_end = 47}}});
  run({"label absent", R"(<p>nothing</p><img src=a alt="a red car">)",
       {{.label_start = -1, .label_end = -1}}});
  // Long runs of non-ASCII text with Unicode spaces in them (U+3000, U+00A0, U+2003) and
  // lead bytes of non-space characters (U+2014, U+3042) that share a space's lead byte.
  run({"non-ASCII runs and spaces",
       "<p>\xE6\x97\xA5\xE6\x9C\xAC\xE8\xAA\x9E\xE3\x81\x82\xE3\x81\x82\xE3\x80\x80\xE4\xB8\xAD\xE6\x96\x87"
       "\xE6\x96\x87\xE6\x9C\xAC\xC2\xA0\xED\x95\x9C\xEA\xB5\xAD\xEC\x96\xB4\xE2\x80\x94\xD0\x9C\xD0\xB8"
       "\xD1\x80\xE2\x80\x83\xC3\xA9t\xC3\xA9  </p><img src=a>",
       {{.context = "\xE6\x97\xA5\xE6\x9C\xAC\xE8\xAA\x9E\xE3\x81\x82\xE3\x81\x82 \xE4\xB8\xAD\xE6\x96\x87"
                    "\xE6\x96\x87\xE6\x9C\xAC \xED\x95\x9C\xEA\xB5\xAD\xEC\x96\xB4\xE2\x80\x94\xD0\x9C\xD0\xB8"
                    "\xD1\x80 \xC3\xA9t\xC3\xA9",
         .image_pos = 22}}});
}

TEST(Extractor, ContextWindow) {
  ExtractOptions o = testing::all_text_options();
  o.context_chars = 10;
  run({"cut at word boundaries",
       R"(<p>alpha beta gamma delta<img src=a alt="delta epsilon">epsilon zeta eta theta</p>)",
       {{.context = "delta epsilon", .image_pos = 6, .label_start = 0, .label_end = 13}}},
      o);
  o.context_chars = 3;
  run({"CJK cut hard (no spaces)",
       "<p>\xE6\x97\xA5\xE6\x9C\xAC\xE8\xAA\x9E\xE3\x81\xAE\xE6\x96\x87<img src=a>"
       "\xE5\xBE\x8C\xE3\x82\x8D\xE3\x81\xAE\xE6\x96\x87</p>",  // 日本語の文 | 後ろの文
       // The image stands between 文 and 後 and separates them like a space.
       {{.context = "\xE3\x81\xAE\xE6\x96\x87 \xE5\xBE\x8C\xE3\x82\x8D\xE3\x81\xAE",
         .image_pos = 3}}},
      o);
  o.context_chars = 5;
  run({"word longer than the search falls back to a hard cut",
       "<p>" + std::string(40, 'a') + "<img src=a>" + std::string(40, 'b') + "</p>",
       {{.context = "aaaa bbbbb", .image_pos = 5}}},
      o);
}

TEST(Extractor, PageFields) {
  HtmlExtractor ex(testing::all_text_options());
  PageExtraction out;
  ex.extract(R"(<html lang=" DE-at "><head><title>  Ein
     Titel &amp; mehr </title></head><body><svg><title>svg title</title></svg><img src=a></body></html>)",
             kPage, "text/html", out);
  EXPECT_EQ(out.language, "de-at");
  EXPECT_EQ(out.title, "Ein Titel & mehr");
  EXPECT_EQ(out.charset, "utf-8");
  ASSERT_EQ(out.images.size(), 1u);
  EXPECT_EQ(out.images[0].context, "");  // title and svg text are not visible text

  ex.extract("", kPage, "", out);  // the same extractor, reused: everything reset
  EXPECT_TRUE(out.images.empty());
  EXPECT_EQ(out.language, "");
  EXPECT_EQ(out.title, "");
}

TEST(Extractor, MaxImagesPerPage) {
  ExtractOptions o = testing::all_text_options();
  o.max_images_per_page = 2;
  HtmlExtractor ex(o);
  PageExtraction out;
  ex.extract("<img src=a><img src=data:,x><img src=b><img src=c><img src=d>", kPage, "", out);
  ASSERT_EQ(out.images.size(), 2u);
  EXPECT_EQ(out.images[1].url, "http://ex.com/d/b");
  EXPECT_EQ(out.dropped_images, 2u);
  EXPECT_EQ(out.data_uri_images, 1u);
}

TEST(Extractor, DomPathIsCapped) {
  std::string html;
  for (int i = 0; i < 120; ++i) html += "<div class=\"level" + std::to_string(i) + "\">";
  html += "<img src=a>";
  HtmlExtractor ex(testing::all_text_options());
  PageExtraction out;
  ex.extract(html, kPage, "", out);
  ASSERT_EQ(out.images.size(), 1u);
  const std::string& path = out.images[0].dom_path;
  EXPECT_LE(path.size(), 256u);
  EXPECT_EQ(path.substr(0, 4), "...>");
  EXPECT_TRUE(path.ends_with(">div.level119>img")) << path;
}

TEST(Extractor, LongNonAsciiNamesAreCutOnCharacterBoundaries) {
  // Found by html_fuzz: a 32-byte cut inside a UTF-8 character made lang/dom_path invalid.
  std::string cls;
  for (int i = 0; i < 20; ++i) cls += "\xE6\x97\xA5";  // 日 × 20 = 60 bytes
  HtmlExtractor ex(testing::all_text_options());
  PageExtraction out;
  ex.extract("<html lang=\"zh" + cls + "\"><div class=\"" + cls + "\"><img src=a>", kPage, "", out);
  ASSERT_EQ(out.images.size(), 1u);
  EXPECT_TRUE(text::is_valid_utf8(out.language));
  EXPECT_EQ(out.language, "zh" + cls.substr(0, 30));  // 32 bytes → 2 + 10 characters
  EXPECT_EQ(out.images[0].dom_path, "html>body>div." + cls.substr(0, 30) + ">img");
}

TEST(Extractor, RelativePageUrlKeepsReference) {
  HtmlExtractor ex(testing::all_text_options());
  PageExtraction out;
  ex.extract("<img src='a/b.png'><img src='https://x.org/c.png'>", "", "", out);
  ASSERT_EQ(out.images.size(), 2u);
  EXPECT_EQ(out.images[0].url, "a/b.png");
  EXPECT_EQ(out.images[1].url, "https://x.org/c.png");
}

}  // namespace
}  // namespace warcpairs::html
