// The HTML pages of a real Common Crawl-style WARC file: the number of <img> we account for
// equals an independent count made by a plain tag scan.
#include <gtest/gtest.h>
#include <strings.h>
#include <zlib.h>

#include <fstream>
#include <iterator>
#include <string>
#include <string_view>
#include <vector>

#include "expect.h"
#include "warcpairs/html/extractor.h"

namespace warcpairs::html {
namespace {

// All gzip members of a file, inflated back to back (zlib only, no WARC reader).
std::string gunzip_members(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  const std::string in((std::istreambuf_iterator<char>(f)), std::istreambuf_iterator<char>());
  std::string out;
  z_stream z{};
  inflateInit2(&z, 16 + MAX_WBITS);
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in.data()));
  z.avail_in = static_cast<uInt>(in.size());
  char buf[1 << 16];
  while (z.avail_in > 0) {
    z.next_out = reinterpret_cast<Bytef*>(buf);
    z.avail_out = sizeof buf;
    const int rc = inflate(&z, Z_NO_FLUSH);
    out.append(buf, sizeof buf - z.avail_out);
    if (rc == Z_STREAM_END) inflateReset(&z);
    else if (rc != Z_OK) break;
  }
  inflateEnd(&z);
  return out;
}

std::string_view header(std::string_view block, std::string_view name) {
  for (std::size_t p = 0; p < block.size();) {
    std::size_t e = block.find("\r\n", p);
    if (e == std::string_view::npos) e = block.size();
    const std::string_view line = block.substr(p, e - p);
    if (line.size() > name.size() + 1 && line[name.size()] == ':' &&
        strncasecmp(line.data(), name.data(), name.size()) == 0)
      return line.substr(name.size() + 2);
    p = e + 2;
  }
  return {};
}

struct Page { std::string url, content_type, body; };

std::vector<Page> html_responses(const std::string& warc) {
  std::vector<Page> pages;
  for (std::size_t p = warc.find("WARC/1.0\r\n"); p != std::string::npos;) {
    const std::size_t hend = warc.find("\r\n\r\n", p);
    const std::string_view head(warc.data() + p, hend - p);
    const std::size_t len = std::stoul(std::string(header(head, "Content-Length")));
    const std::string_view block(warc.data() + hend + 4, len);
    const std::size_t bend = block.find("\r\n\r\n");
    const std::string_view ct = header(block.substr(0, bend), "Content-Type");
    if (header(head, "WARC-Type") == "response" && ct.find("text/html") != std::string_view::npos)
      pages.push_back({std::string(header(head, "WARC-Target-URI")), std::string(ct),
                       std::string(block.substr(bend + 4))});
    p = warc.find("WARC/1.0\r\n", hend + 4 + len);
  }
  return pages;
}

struct TagCount { uint32_t imgs = 0, trackers = 0, no_url = 0; };

bool starts_nocase(std::string_view s, std::size_t i, std::string_view w) {
  return s.size() - i >= w.size() && strncasecmp(s.data() + i, w.data(), w.size()) == 0;
}

// Attribute values of one tag's text ("<img a=1 b='x' c>"), names lower-cased.
std::vector<std::pair<std::string, std::string>> attributes(std::string_view tag) {
  std::vector<std::pair<std::string, std::string>> out;
  std::size_t i = 4;
  auto space = [&](char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '/'; };
  while (i < tag.size()) {
    while (i < tag.size() && space(tag[i])) ++i;
    std::string name;
    while (i < tag.size() && !space(tag[i]) && tag[i] != '=') name += static_cast<char>(tolower(tag[i++]));
    std::string value;
    if (i < tag.size() && tag[i] == '=') {
      ++i;
      const char q = i < tag.size() ? tag[i] : 0;
      if (q == '"' || q == '\'') {
        const std::size_t e = tag.find(q, i + 1);
        value = std::string(tag.substr(i + 1, e - i - 1));
        i = e == std::string_view::npos ? tag.size() : e + 1;
      } else {
        while (i < tag.size() && (tag[i] == '/' || !space(tag[i]))) value += tag[i++];  // "src=/a.png"
      }
    }
    if (!name.empty()) out.emplace_back(name, value);
  }
  return out;
}

// Independent count: "<img" tags outside comments and <script>/<style>/<noscript> bodies.
// width="1" and height="1" make a tracker; no non-blank src, data-src, data-original,
// srcset or data-srcset value means no URL.
TagCount scan_tags(std::string_view b) {
  TagCount c;
  for (std::size_t i = 0; i < b.size(); ++i) {
    if (b[i] != '<') continue;
    if (starts_nocase(b, i, "<!--")) {
      i = b.find("-->", i + 4);
      if (i == std::string_view::npos) break;
      continue;
    }
    bool skipped = false;
    for (std::string_view raw : {"script", "style", "noscript"}) {
      if (starts_nocase(b, i + 1, raw)) {
        const std::string end = "</" + std::string(raw);
        std::size_t k = i + 1;
        while (k < b.size() && !starts_nocase(b, k, end)) ++k;
        i = k;
        skipped = true;
        break;
      }
    }
    if (skipped || !starts_nocase(b, i, "<img") || i + 4 >= b.size()) continue;
    const char next = b[i + 4];
    if (next != ' ' && next != '\t' && next != '\n' && next != '\r' && next != '/' && next != '>') continue;
    ++c.imgs;
    std::string width, height;
    bool url = false;
    for (const auto& [name, value] : attributes(b.substr(i, b.find('>', i) - i))) {
      if (name == "width") width = value;
      if (name == "height") height = value;
      const bool url_attr = name == "src" || name == "data-src" || name == "data-original" ||
                            name == "srcset" || name == "data-srcset";
      if (url_attr && value.find_first_not_of(" \t\n\r") != std::string::npos) url = true;
    }
    if (width == "1" && height == "1") ++c.trackers;
    else if (!url) ++c.no_url;
  }
  return c;
}

TEST(WarcPages, ImageCountMatchesIndependentScan) {
  const std::string warc = gunzip_members(WARCPAIRS_SHARED_DIR "/data/warc/rp-warcfile.warc.gz");
  const std::vector<Page> pages = html_responses(warc);
  // SOURCES.md: 16 HTML responses; a grep finds 155 "<img" in them, of which 7 are not
  // elements (5 in <noscript>, 1 in a script's document.writeln string, 1 in a comment):
  // 148 <img> elements = 142 stored + 2 trackers (paypal pixel.gif 1x1) + 4 without URL
  // (<img/>, <img class="avatar"/>, two src="").
  ASSERT_EQ(pages.size(), 16u);
  HtmlExtractor ex(testing::all_text_options());
  PageExtraction out;
  TagCount total;
  uint32_t stored = 0, trackers = 0, no_url = 0, data = 0;
  for (const Page& p : pages) {
    ex.extract(p.body, p.url, p.content_type, out);
    const TagCount c = scan_tags(p.body);
    EXPECT_FALSE(out.not_html) << p.url;
    EXPECT_EQ(out.no_url_images, c.no_url) << p.url;
    EXPECT_EQ(out.images.size() + out.tracker_images + out.no_url_images + out.data_uri_images, c.imgs) << p.url;
    for (const ImageRecord& r : out.images) EXPECT_TRUE(r.url.starts_with("http")) << r.url;
    total.imgs += c.imgs, total.trackers += c.trackers, total.no_url += c.no_url;
    stored += out.images.size(), trackers += out.tracker_images;
    no_url += out.no_url_images, data += out.data_uri_images;
  }
  EXPECT_EQ(total.imgs, 148u);
  EXPECT_EQ(trackers, total.trackers);
  EXPECT_EQ(no_url, total.no_url);
  EXPECT_EQ(data, 0u);
  EXPECT_EQ(stored, 142u);
}

TEST(WarcPages, CharsetsOfRealPages) {
  const std::string warc = gunzip_members(WARCPAIRS_SHARED_DIR "/data/warc/rp-warcfile.warc.gz");
  HtmlExtractor ex(testing::all_text_options());
  PageExtraction out;
  for (const Page& p : html_responses(warc)) {
    ex.extract(p.body, p.url, p.content_type, out);
    if (p.url == "http://01spb.ru/company/") {  // header: windows-1251
      EXPECT_EQ(out.charset, "windows-1251");
      EXPECT_EQ(out.title.substr(0, 19), "\xD0\x9E \xD0\xBA\xD0\xBE\xD0\xBC\xD0\xBF\xD0\xB0\xD0\xBD\xD0\xB8\xD0\xB8");  // "О компании"
    }
    if (p.url == "http://037426.cn/") {
      EXPECT_EQ(out.charset, "gbk");  // header: gb2312
    }
    if (p.url == "http://06.live-radsport.ch/tippspiel/stats_140_petzi.html") {
      EXPECT_EQ(out.charset, "windows-1252");
    }
  }
}

}  // namespace
}  // namespace warcpairs::html
