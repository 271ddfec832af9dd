// The extractor steps over <script>/<style> content instead of letting libxml2 walk it
// (extractor.cc): every page must give exactly what walking it gives, field by field, on
// hand-made edge cases and on all the real pages of ../shared/data/warc-real.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <string>
#include <vector>

#include "expect.h"
#include "warcpairs/core/limits.h"
#include "warcpairs/core/skip_log.h"
#include "warcpairs/html/extractor.h"
#include "warcpairs/warc/http.h"
#include "warcpairs/warc/reader.h"

namespace warcpairs::html {
namespace {

// Both ways of parsing one page; a difference names the field and the image.
void expect_same(std::string_view html, std::string_view url, std::string_view type,
                 const std::string& what) {
  static HtmlExtractor stepping(testing::all_text_options());
  static HtmlExtractor walking([] {
    ExtractOptions o = testing::all_text_options();
    o.walk_raw_text = true;
    return o;
  }());
  PageExtraction a, b;
  stepping.extract(html, url, type, a);
  walking.extract(html, url, type, b);
  SCOPED_TRACE(what);
  EXPECT_EQ(a.charset, b.charset);
  EXPECT_EQ(a.language, b.language);
  EXPECT_EQ(a.title, b.title);
  EXPECT_EQ(a.data_uri_images, b.data_uri_images);
  EXPECT_EQ(a.tracker_images, b.tracker_images);
  EXPECT_EQ(a.no_url_images, b.no_url_images);
  EXPECT_EQ(a.hidden_images, b.hidden_images);
  EXPECT_EQ(a.dropped_images, b.dropped_images);
  EXPECT_EQ(a.truncated, b.truncated);
  EXPECT_EQ(a.invalid_utf8, b.invalid_utf8);
  EXPECT_EQ(a.not_html, b.not_html);
  ASSERT_EQ(a.images.size(), b.images.size());
  for (std::size_t i = 0; i < a.images.size(); ++i) {
    SCOPED_TRACE("image " + std::to_string(i));
    testing::expect_same_image(a.images[i], b.images[i]);
  }
}

TEST(RawText, EdgeCasesGiveWhatWalkingGives) {
  const std::string img = R"(<p>Before the photo <img src="/a.jpg" alt="a cat"> after it.</p>)";
  const std::vector<std::string> bodies = {
      "<script>var a = '<img src=x.jpg>';</script>" + img,
      "<script>document.write('</div><img src=y.jpg>')</script>" + img,
      "<SCRIPT>if (a</b) {}</SCRIPT>" + img,
      "<script>a</SCRIPT>" + img + "<script>b</script>",  // the first end tag, in any case
      "<style>a</sTyLe>" + img + "<style>b</style>" + img,
      "<script>x</scripts><img src=z.jpg>" + img,         // "</scripts" ends it too
      "<script/>" + img + "<p>after a self-closed script</p>",
      "<script />" + img,
      "<script></script>" + img,                          // empty raw text
      "<script>" + img,                                   // no end tag: runs to the end
      img + "<script>x",                                  // one character left at the end
      img + "<script>xy",
      img + "<script>",
      "<style>p { color: red } </style  >" + img,
      "<style>a</STYLE>" + img + "<style>", 
      "<!-- <script> -->" + img + "<!-- </script> -->",
      "<div title=\"<script>\">" + img + "</div>",
      "<script src=a.js" + img,                           // start tag without '>'
      "<script>a\xC3\xA9\xE2\x82\xAC b</script>" + img,   // non-ASCII raw text
      "<script>a\xFF\xFE b</script>" + img,               // invalid UTF-8 in raw text
      std::string("<script>a\0b</script>", 20) + img,     // NUL in raw text
      "<svg><script>a</script><style>b</style></svg>" + img,
      "<noscript><script>x</script><img src=n.jpg></noscript>" + img,
      "<title>t<script>x</script>u</title>" + img,
      "<textarea><script>x</script></textarea>" + img,
      "<template><script>x</script></template>" + img,
      "<script>a</scr" "ipt>" + img + "<script type=\"application/ld+json\">{\"a\": \"</p>\"}</script>",
      "<script>" + std::string(100000, 'x') + "</script>" + img,
      "<html lang=de><head><script>1</script><style>2</style><title>T</title></head><body>" + img,
  };
  for (std::size_t i = 0; i < bodies.size(); ++i)
    expect_same(bodies[i], "https://example.com/p/", "text/html", "case " + std::to_string(i));
  // A legacy charset (decoded before parsing) and UTF-16.
  expect_same("<meta charset=windows-1252><script>\xE9</script>" + img, "https://e.com/", "text/html",
              "windows-1252");
}

TEST(RawText, RealPagesGiveWhatWalkingGives) {
  const std::filesystem::path dir = WARCPAIRS_SHARED_DIR "/data/warc-real";
  ASSERT_TRUE(std::filesystem::is_directory(dir)) << dir << " is missing (the real pages)";
  std::vector<std::filesystem::path> files;
  for (const auto& e : std::filesystem::directory_iterator(dir))
    if (e.path().string().ends_with(".warc.gz")) files.push_back(e.path());
  std::sort(files.begin(), files.end());
  const Limits limits;
  std::size_t pages = 0;
  for (const auto& file : files) {
    SkipLog skips;
    warc::WarcReader reader(file.string(), limits, skips);
    reader.set_type_filter({warc::RecordType::response});
    warc::HttpParser http(limits);
    warc::HttpResponse response;
    std::string error;
    while (const warc::WarcRecord* rec = reader.next()) {
      if (!http.parse(rec->block, response, error)) continue;
      expect_same(response.body, rec->target_uri(), response.header("Content-Type"),
                  file.filename().string() + " @" + std::to_string(rec->offset));
      ++pages;
    }
  }
  EXPECT_EQ(pages, 990u);
}

}  // namespace
}  // namespace warcpairs::html
