// HtmlExtractor page-level behaviour: charsets end to end, invalid UTF-8, binary, huge pages.
#include <gtest/gtest.h>

#include "expect.h"
#include "warcpairs/html/extractor.h"
#include "warcpairs/text/normalize.h"

namespace warcpairs::html {
namespace {

constexpr const char* kPage = "http://ex.com/p.html";

PageExtraction extract(const std::string& html, const char* content_type, ExtractOptions o = testing::all_text_options()) {
  HtmlExtractor ex(o);
  PageExtraction out;
  ex.extract(html, kPage, content_type, out);
  return out;
}

TEST(ExtractorPage, Windows1252ByHeader) {
  // "Café “quoted”" and alt "naïve" in windows-1252 bytes (0x93/0x94 are curly quotes).
  const auto out = extract("<p>Caf\xE9 \x93quoted\x94</p><img src=a alt='na\xEFve'>",
                           "text/html; charset=iso-8859-1");
  EXPECT_EQ(out.charset, "windows-1252");
  EXPECT_FALSE(out.invalid_utf8);
  ASSERT_EQ(out.images.size(), 1u);
  EXPECT_EQ(out.images[0].context, "Caf\xC3\xA9 \xE2\x80\x9Cquoted\xE2\x80\x9D");
  EXPECT_EQ(out.images[0].alt, "na\xC3\xAFve");
}

TEST(ExtractorPage, Windows1252ByFallback) {
  const auto out = extract("<p>Gr\xFC\xDF" "e</p><img src=a>", "text/html");
  EXPECT_EQ(out.charset, "windows-1252");
  ASSERT_EQ(out.images.size(), 1u);
  EXPECT_EQ(out.images[0].context, "Gr\xC3\xBC\xC3\x9F" "e");
}

TEST(ExtractorPage, ShiftJisByMeta) {
  // 日本語 = 93FA 967B 8CEA, 写真 = 8ECA 905E in Shift_JIS.
  const std::string html =
      "<html><head><meta charset=\"Shift_JIS\"></head><body><p>\x93\xFA\x96\x7B\x8C\xEA</p>"
      "<img src=\"a.jpg\" alt=\"\x8E\xCA\x90\x5E\"></body></html>";
  const auto out = extract(html, "text/html");
  EXPECT_EQ(out.charset, "shift_jis");
  EXPECT_FALSE(out.invalid_utf8);
  ASSERT_EQ(out.images.size(), 1u);
  EXPECT_EQ(out.images[0].context, "\xE6\x97\xA5\xE6\x9C\xAC\xE8\xAA\x9E");
  EXPECT_EQ(out.images[0].alt, "\xE5\x86\x99\xE7\x9C\x9F");
  EXPECT_EQ(out.images[0].image_pos, 3);
}

TEST(ExtractorPage, MetaHttpEquivKoi8r) {
  // "Мир" in KOI8-R is ED C9 D2.
  const auto out = extract(
      "<meta http-equiv=\"content-type\" content=\"text/html; charset=koi8-r\"><p>\xED\xC9\xD2</p><img src=a>",
      "");
  EXPECT_EQ(out.charset, "koi8-r");
  ASSERT_EQ(out.images.size(), 1u);
  EXPECT_EQ(out.images[0].context, "\xD0\x9C\xD0\xB8\xD1\x80");
}

TEST(ExtractorPage, BomBeatsHeader) {
  const auto out = extract("\xEF\xBB\xBF<p>caf\xC3\xA9</p><img src=a>", "text/html; charset=windows-1252");
  EXPECT_EQ(out.charset, "utf-8");
  ASSERT_EQ(out.images.size(), 1u);
  EXPECT_EQ(out.images[0].context, "caf\xC3\xA9");
}

TEST(ExtractorPage, Utf16WithBomIsNotBinary) {
  const std::string ascii = "<p>hi there</p><img src=a alt=x>";
  std::string bytes = "\xFF\xFE";
  for (char c : ascii) bytes += c, bytes += '\0';
  const auto out = extract(bytes, "text/html");
  EXPECT_EQ(out.charset, "utf-16le");
  EXPECT_FALSE(out.not_html);
  ASSERT_EQ(out.images.size(), 1u);
  EXPECT_EQ(out.images[0].context, "hi there");
}

TEST(ExtractorPage, InvalidUtf8IsReplaced) {
  const auto out = extract("<p>bad \xFF byte</p><img src=a alt='x\xC3'>", "text/html; charset=utf-8");
  EXPECT_EQ(out.charset, "utf-8");
  EXPECT_TRUE(out.invalid_utf8);
  ASSERT_EQ(out.images.size(), 1u);
  EXPECT_EQ(out.images[0].context, "bad \xEF\xBF\xBD byte");
  EXPECT_EQ(out.images[0].alt, "x\xEF\xBF\xBD");
}

TEST(ExtractorPage, BinaryIsNotHtml) {
  const std::string png("\x89PNG\r\n\x1A\n\0\0\0\rIHDR<img src=a>", 25);
  const std::string nul = std::string("<html><img src=a>\0\0\0", 20);
  std::string controls = "<img src=a>";
  for (int i = 0; i < 200; ++i) controls += static_cast<char>(1 + i % 7);
  for (const std::string& b : {png, nul, controls}) {
    const auto out = extract(b, "text/html");
    EXPECT_TRUE(out.not_html);
    EXPECT_TRUE(out.images.empty());
  }
  // A NUL after the first KB is not "binary": it becomes U+FFFD and parsing goes on.
  const std::string late = std::string(2000, ' ') + std::string("<p>a\0b</p><img src=z>", 21);
  const auto out = extract(late, "text/html");
  EXPECT_FALSE(out.not_html);
  ASSERT_EQ(out.images.size(), 1u);
  EXPECT_EQ(out.images[0].context, "a\xEF\xBF\xBD" "b");
}

TEST(ExtractorPage, HugePageParsesOnlyTheHead) {
  ExtractOptions o = testing::all_text_options();
  o.max_html_bytes = 4096;
  std::string html = "<p>start</p><img src=first.jpg><p>";
  html += std::string(8000, 'x') + "</p><img src=late.jpg>";
  const auto out = extract(html, "text/html", o);
  EXPECT_TRUE(out.truncated);
  ASSERT_EQ(out.images.size(), 1u);
  EXPECT_EQ(out.images[0].url, "http://ex.com/first.jpg");
  // A cut inside a UTF-8 character is not an encoding error.
  std::string multibyte = "<p>" + std::string(4091, 'a') + "\xE6\x97\xA5</p>";
  const auto out2 = extract(multibyte, "text/html; charset=utf-8", o);
  EXPECT_TRUE(out2.truncated);
  EXPECT_FALSE(out2.invalid_utf8);
}

TEST(ExtractorPage, NeverCrashesOnJunk) {
  HtmlExtractor ex(testing::all_text_options());
  PageExtraction out;
  const std::string junk[] = {"<", "<img", "<img src=", "<img src='a", "</p></div></body>", "<!--",
                              "<![CDATA[", "<?xml?>", "<!DOCTYPE", "&#x110000;&#0;&#xD800;<img src=a alt='&#1;'>",
                              "<figure><figure><figcaption><figcaption><img src=a>", "<picture><source srcset=',,,'><img>",
                              std::string(5000, '<'), "<svg><img src=a></svg><math><img src=b>"};
  for (const std::string& j : junk) {
    ex.extract(j, kPage, "text/html; charset=", out);
    for (const ImageRecord& r : out.images) {  // invariants of every record
      EXPECT_GE(r.image_pos, 0);
      EXPECT_LE(r.image_pos, text::codepoint_count(r.context)) << j;
      EXPECT_LE(r.label_end, text::codepoint_count(r.context)) << j;
      EXPECT_TRUE(text::is_valid_utf8(r.context) && text::is_valid_utf8(r.alt)) << j;
    }
  }
}

}  // namespace
}  // namespace warcpairs::html
