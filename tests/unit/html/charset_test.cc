// Charset labels, Content-Type parameters, the <meta> prescan and the detection order.
#include "warcpairs/html/charset.h"

#include <gtest/gtest.h>

#include <string>

namespace warcpairs::html {
namespace {

TEST(Charset, CanonicalLabels) {
  const std::pair<const char*, const char*> cases[] = {
      {"utf-8", "utf-8"}, {"UTF8", "utf-8"}, {" utf-8\t", "utf-8"},
      {"latin1", "windows-1252"}, {"ISO-8859-1", "windows-1252"}, {"ascii", "windows-1252"},
      {"us-ascii", "windows-1252"}, {"iso-8859-9", "windows-1254"}, {"iso-8859-2", "iso-8859-2"},
      {"Shift_JIS", "shift_jis"}, {"x-sjis", "shift_jis"}, {"windows-31j", "shift_jis"},
      {"gb2312", "gbk"}, {"GBK", "gbk"}, {"gb18030", "gb18030"}, {"big5", "big5"},
      {"EUC-JP", "euc-jp"}, {"euc-kr", "euc-kr"}, {"ks_c_5601-1987", "euc-kr"},
      {"koi8-r", "koi8-r"}, {"windows-1251", "windows-1251"}, {"cp1251", "windows-1251"},
      {"utf-16", "utf-16le"}, {"tis-620", "windows-874"},
      {"", ""}, {"bogus", ""}, {"utf-8x", ""}, {"an-overly-long-label-that-is-not-one", ""},
  };
  for (const auto& [label, name] : cases) EXPECT_EQ(canonical_charset(label), name) << label;
}

TEST(Charset, ContentTypeParameter) {
  const std::pair<const char*, const char*> cases[] = {
      {"text/html; charset=ISO-8859-1", "windows-1252"},
      {"text/html;charset=\"utf-8\"", "utf-8"},
      {"text/html; foo=bar; CHARSET='gb2312'", "gbk"},
      {"text/html; charset=windows-1251; q=1", "windows-1251"},
      {"text/html", ""},
      {"text/html; charset=", ""},
      {"text/html; charset=nonsense", ""},
      {"", ""},
  };
  for (const auto& [ct, name] : cases) EXPECT_EQ(charset_from_content_type(ct), name) << ct;
}

TEST(Charset, Prescan) {
  const std::pair<std::string, const char*> cases[] = {
      {R"(<meta charset="shift_jis">)", "shift_jis"},
      {R"(<META CHARSET=EUC-JP>)", "euc-jp"},
      {R"(<meta http-equiv="Content-Type" content="text/html; charset=euc-kr">)", "euc-kr"},
      {R"(<meta content='text/html;charset="koi8-r"' http-equiv=content-type>)", "koi8-r"},
      // content without the http-equiv pragma does not count (need pragma)
      {R"(<meta name="x" content="text/html; charset=gbk"><meta charset=big5>)", "big5"},
      {R"(<!-- <meta charset="koi8-r"> --><meta charset=utf-8>)", "utf-8"},
      {R"(<meta charset="utf-16le">)", "utf-8"},  // utf-16 in a byte stream means utf-8
      {R"(<meta charset="x-user-defined">)", "windows-1252"},
      {R"(<meta foo=bar charset='windows-1251'>)", "windows-1251"},
      {R"(<html><head><link rel=x href="a>b"><meta charset=big5>)", "big5"},
      {R"(<meta charset="nonsense"><meta charset="latin1">)", "windows-1252"},
      {R"(<meta charset="utf-8)", ""},  // attribute never ends
      {"<p>no meta</p>", ""},
      {std::string(1100, ' ') + "<meta charset=gbk>", ""},  // beyond the first 1024 bytes
      {"<!-- unterminated comment <meta charset=gbk>", ""},
  };
  for (const auto& [bytes, name] : cases) EXPECT_EQ(prescan_charset(bytes), name) << bytes;
}

TEST(Charset, DetectionOrder) {
  const std::string meta = "<meta charset=koi8-r><p>x";
  // BOM beats the header, which beats <meta>, which beats the fallback.
  CharsetGuess g = detect_charset("\xEF\xBB\xBF" + meta, "text/html; charset=gbk");
  EXPECT_EQ(g.name, "utf-8");
  EXPECT_EQ(g.source, CharsetSource::kBom);
  EXPECT_EQ(g.bom_length, 3u);
  g = detect_charset("\xFF\xFE<\0p\0", "text/html; charset=gbk");
  EXPECT_EQ(g.name, "utf-16le");
  EXPECT_EQ(g.bom_length, 2u);
  g = detect_charset("\xFE\xFF\0<", "");
  EXPECT_EQ(g.name, "utf-16be");
  g = detect_charset(meta, "text/html; charset=gbk");
  EXPECT_EQ(g.name, "gbk");
  EXPECT_EQ(g.source, CharsetSource::kHttpHeader);
  g = detect_charset(meta, "text/html; charset=unknown-thing");
  EXPECT_EQ(g.name, "koi8-r");
  EXPECT_EQ(g.source, CharsetSource::kMeta);
  g = detect_charset("<p>caf\xC3\xA9</p>", "text/html");
  EXPECT_EQ(g.name, "utf-8");
  EXPECT_EQ(g.source, CharsetSource::kFallback);
  g = detect_charset("<p>caf\xE9</p>", "text/html");
  EXPECT_EQ(g.name, "windows-1252");
  EXPECT_EQ(g.source, CharsetSource::kFallback);
}

}  // namespace
}  // namespace warcpairs::html
