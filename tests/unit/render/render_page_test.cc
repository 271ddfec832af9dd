// Pages with a known layout rendered from a WARC file alone: token boxes against positions
// computed from DejaVu Sans Mono's metrics (fonts-dejavu-core: advance 1233/2048 em, ascent
// 1901 and descent 483 units per 2048), every request answered or failed by the replay, and
// hidden, covered, clipped and off-screen text judged invisible.
#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <map>
#include <set>

#include "render_fixture.h"
#include "warcpairs/core/digest.h"

namespace warcpairs::render {
namespace {
using testing::ArchivedFile;

constexpr double kFontPx = 20;
constexpr double kAdvance = kFontPx * 1233.0 / 2048.0;                 // 12.04 px per character
constexpr double kContentHeight = kFontPx * (1901.0 + 483.0) / 2048.0;  // 23.28 px
constexpr double kLineHeight = 30;

const char* kStyle = "body{margin:0;font:20px/30px 'DejaVu Sans Mono';color:#000;background:#fff}"
                     "div{position:absolute;white-space:pre}";

struct Rendered {
  RenderedPage page;
  PageFailure failure;
  bool ok = false;
};

Rendered render(const std::vector<ArchivedFile>& files, const std::string& url, RenderOptions o = {}) {
  static SkipLog skips;
  auto archive = CdxjArchive::build({testing::write_warc(files)}, Limits{}, skips);
  PageRenderer renderer(testing::browser_options(), *archive, testing::wordpiece(), o);
  Rendered r;
  r.ok = renderer.render(url, r.page, r.failure);
  return r;
}

// Tokens of the page with their text, in order.
std::vector<std::pair<std::string, const PageToken*>> pieces(const RenderedPage& p) {
  std::vector<std::pair<std::string, const PageToken*>> out;
  for (const auto& t : p.tokens) out.emplace_back(std::string(testing::wordpiece().token(t.id)), &t);
  return out;
}

TEST(RenderPage, BoxesMatchTheMonospaceLayout) {
  const std::string html =
      "<!doctype html><html><head><link rel=stylesheet href='/style.css'></head><body>"
      "<div style='left:40px;top:50px'>hello world</div>"
      "<div style='left:100px;top:200px'>unaffable</div>"
      "<div style='left:10px;top:300px;width:60px;white-space:normal'>cat dog sun car</div>"
      "</body></html>";
  const auto r = render({{"http://t.example/p.html", "text/html", html},
                         {"http://t.example/style.css", "text/css", kStyle}},
                        "http://t.example/p.html");
  ASSERT_TRUE(r.ok) << r.failure.reason << ": " << r.failure.detail;
  EXPECT_EQ(r.page.status, 200);
  EXPECT_EQ(r.page.text, "hello world\nunaffable\ncat dog sun car");
  const auto toks = pieces(r.page);
  ASSERT_GE(toks.size(), 8u);
  // Each token: one box at left + start * advance, (end - start) advances wide, on its line.
  auto expect_box = [&](const PageToken& t, double left, int first_char, double line_top) {
    ASSERT_EQ(t.boxes.size(), 1u) << testing::wordpiece().token(t.id);
    const Box& b = t.boxes[0];
    EXPECT_NEAR(b.x, left + first_char * kAdvance, 1.0) << testing::wordpiece().token(t.id);
    EXPECT_NEAR(b.width, (t.end - t.start) * kAdvance, 1.0) << testing::wordpiece().token(t.id);
    EXPECT_NEAR(b.y, line_top + (kLineHeight - kContentHeight) / 2, 1.0);
    EXPECT_NEAR(b.height, kContentHeight, 1.0);
    EXPECT_TRUE(t.visible) << t.hidden_by;
  };
  EXPECT_EQ(toks[0].first, "hello");
  expect_box(*toks[0].second, 40, 0, 50);
  EXPECT_EQ(toks[1].first, "world");
  expect_box(*toks[1].second, 40, 6, 50);
  // "unaffable": subword pieces split the word's box by their characters.
  int word_start = toks[2].second->start;
  std::size_t i = 2;
  for (; i < toks.size() && toks[i].second->start < word_start + 9; ++i)
    expect_box(*toks[i].second, 100, toks[i].second->start - word_start, 200);
  EXPECT_GE(i - 2, 2u) << "unaffable should be more than one piece";
  // A 60 px wide block wraps after each 3-letter word (two do not fit: 7 * 12.04 > 60).
  for (int k = 0; k < 4; ++k) {
    ASSERT_LT(i + k, toks.size());
    expect_box(*toks[i + k].second, 10, 0, 300 + k * kLineHeight);
  }
  // Every request of the page was answered from the archive (the page and its CSS).
  EXPECT_EQ(r.page.replay.requested, r.page.replay.fulfilled + r.page.replay.failed);
  EXPECT_EQ(r.page.replay.fulfilled, 2u);
}

TEST(RenderPage, WhatTheArchiveLacksFailsAtOnceAndIsCounted) {
  const std::string html = "<!doctype html><body><img src='http://elsewhere.example/a.png'>"
                           "<script src='/missing.js'></script><p>text</p></body>";
  const auto r = render({{"http://t.example/p.html", "text/html", html}}, "http://t.example/p.html");
  ASSERT_TRUE(r.ok) << r.failure.reason;
  EXPECT_EQ(r.page.replay.fulfilled, 1u);
  EXPECT_EQ(r.page.replay.requested, r.page.replay.fulfilled + r.page.replay.failed);
  std::set<std::string> failed(r.page.failed_urls.begin(), r.page.failed_urls.end());
  EXPECT_TRUE(failed.count("http://elsewhere.example/a.png"));
  EXPECT_TRUE(failed.count("http://t.example/missing.js"));
  for (const auto& u : failed)  // besides those two, only the browser's own favicon request
    EXPECT_TRUE(u == "http://elsewhere.example/a.png" || u == "http://t.example/missing.js" ||
                u == "http://t.example/favicon.ico") << u;
}

TEST(RenderPage, ADialogDoesNotStallThePage) {
  RenderOptions o;
  o.page_timeout_ms = 5000;
  const auto r = render({{"http://t.example/p.html", "text/html",
                          "<!doctype html><body><script>alert('hi'); confirm('sure?')</script><p>after</p></body>"}},
                        "http://t.example/p.html", o);
  ASSERT_TRUE(r.ok) << r.failure.reason << ": " << r.failure.detail;
  EXPECT_EQ(r.page.text, "after");
}

TEST(RenderPage, APageThatNeverLoadsIsATimeoutAndTheNextPageRenders) {
  std::vector<ArchivedFile> files = {
      {"http://t.example/hang.html", "text/html", "<!doctype html><body><p>x</p><script>while (true) {}</script></body>"},
      {"http://t.example/ok.html", "text/html", "<!doctype html><body><p>fine</p></body>"}};
  static SkipLog skips;
  auto archive = CdxjArchive::build({testing::write_warc(files)}, Limits{}, skips);
  RenderOptions o;
  o.page_timeout_ms = 2000;
  PageRenderer renderer(testing::browser_options(), *archive, testing::wordpiece(), o);
  RenderedPage page;
  PageFailure failure;
  EXPECT_FALSE(renderer.render("http://t.example/hang.html", page, failure));
  EXPECT_EQ(failure.reason, "timeout");
  ASSERT_TRUE(renderer.render("http://t.example/ok.html", page, failure)) << failure.reason;
  EXPECT_EQ(page.text, "fine");
  EXPECT_EQ(renderer.browser_starts(), 2u);  // the hung browser was replaced
}

TEST(RenderPage, TheBrowserIsRestartedAfterNPages) {
  static SkipLog skips;
  auto archive = CdxjArchive::build({testing::write_warc({{"http://t.example/a", "text/html", "<p>a</p>"}})},
                                    Limits{}, skips);
  RenderOptions o;
  o.restart_after_pages = 2;
  PageRenderer renderer(testing::browser_options(), *archive, testing::wordpiece(), o);
  RenderedPage page;
  PageFailure failure;
  for (int i = 0; i < 5; ++i) ASSERT_TRUE(renderer.render("http://t.example/a", page, failure)) << failure.reason;
  EXPECT_EQ(renderer.browser_starts(), 3u);  // pages 1-2, 3-4, 5
}

TEST(RenderPage, APageCannotBreakTheInjectedScripts) {
  // The page takes away what the text-node script relies on in its own world; ours is isolated.
  std::vector<ArchivedFile> files = {
      {"http://t.example/bad.html", "text/html",
       "<!doctype html><body><p>x</p><script>document.createTreeWalker = () => { throw new Error('no'); };"
       "</script></body>"},
      {"http://t.example/ok.html", "text/html", "<!doctype html><body><p>fine</p></body>"}};
  static SkipLog skips;
  auto archive = CdxjArchive::build({testing::write_warc(files)}, Limits{}, skips);
  PageRenderer renderer(testing::browser_options(), *archive, testing::wordpiece(), {});
  RenderedPage page;
  PageFailure failure;
  ASSERT_TRUE(renderer.render("http://t.example/bad.html", page, failure)) << failure.reason;
  EXPECT_EQ(page.text, "x");
  ASSERT_TRUE(renderer.render("http://t.example/ok.html", page, failure)) << failure.reason;
  EXPECT_EQ(page.text, "fine");
}

TEST(RenderPage, APageNotInTheArchiveFails) {
  const auto r = render({{"http://t.example/p.html", "text/html", "<p>x</p>"}}, "http://t.example/other.html");
  EXPECT_FALSE(r.ok);
  EXPECT_EQ(r.failure.reason, "not_archived");
}

TEST(RenderPage, RevisitIsServedFromItsOriginal) {
  const std::string html = "<!doctype html><html><head><link rel=stylesheet href='/again.css'></head>"
                           "<body><div style='left:40px;top:50px'>hello</div></body></html>";
  std::string revisit_block = "HTTP/1.1 200 OK\r\nContent-Type: text/css\r\n\r\n";
  // Resolved as pywb does: by payload digest (the original's is computed by the indexer).
  const std::string digest = warc_sha1_digest(std::span(reinterpret_cast<const uint8_t*>(kStyle), std::strlen(kStyle)));
  std::string revisit = "WARC/1.1\r\nWARC-Type: revisit\r\nWARC-Target-URI: http://t.example/again.css\r\n"
                        "WARC-Date: 2024-01-02T00:00:00Z\r\nWARC-Payload-Digest: " + digest + "\r\n"
                        "WARC-Refers-To-Target-URI: http://t.example/style.css\r\n"
                        "WARC-Profile: http://netpreserve.org/warc/1.1/revisit/identical-payload-digest\r\n"
                        "Content-Length: " + std::to_string(revisit_block.size()) + "\r\n\r\n" +
                        revisit_block + "\r\n\r\n";
  std::string path = testing::write_warc({{"http://t.example/p.html", "text/html", html},
                                          {"http://t.example/style.css", "text/css", kStyle}},
                                         revisit);
  SkipLog skips;
  auto archive = CdxjArchive::build({path}, Limits{}, skips);
  PageRenderer renderer(testing::browser_options(), *archive, testing::wordpiece(), {});
  RenderedPage page;
  PageFailure failure;
  ASSERT_TRUE(renderer.render("http://t.example/p.html", page, failure)) << failure.reason;
  EXPECT_EQ(page.replay.revisits, 1u);
  ASSERT_EQ(page.tokens.size(), 1u);
  EXPECT_NEAR(page.tokens[0].boxes.at(0).x, 40, 1.0);  // the stylesheet applied: positioned
}

// Pages follow each other in one kept tab (no new target after the first page, none after a
// failure that is retried once in a new tab) and give exactly what a new tab per page and a
// renderer per site (isolate_pages) give: text, token ids, verdicts and boxes.
TEST(RenderPage, OneKeptTabGivesWhatATabPerPageGives) {
  auto page_html = [](const std::string& words) {
    return "<!doctype html><html><head><link rel=stylesheet href='http://a.example/s.css'></head><body>"
           "<div style='left:10px;top:20px'>" + words + "</div><div style='left:-500px;top:60px'>gone</div>"
           "<script>sessionStorage.setItem('seen', location.href)</script></body></html>";
  };
  std::vector<ArchivedFile> files = {
      {"http://a.example/s.css", "text/css", kStyle},
      {"http://a.example/1.html", "text/html", page_html("first page words")},
      {"http://b.example/2.html", "text/html", page_html("second site here")},
      {"http://a.example/3.html", "text/html", page_html("back on the first site")}};
  static SkipLog skips;
  auto archive = CdxjArchive::build({testing::write_warc(files)}, Limits{}, skips);
  const std::vector<std::string> urls = {"http://a.example/1.html", "http://a.example/missing.html",
                                         "http://b.example/2.html", "http://a.example/3.html"};
  auto run = [&](bool isolate) {
    RenderOptions o;
    o.isolate_pages = isolate;
    cdp::BrowserOptions b = testing::browser_options();
    b.one_renderer = !isolate;
    PageRenderer renderer(b, *archive, testing::wordpiece(), o);
    std::vector<Rendered> out(urls.size());
    for (std::size_t i = 0; i < urls.size(); ++i) out[i].ok = renderer.render(urls[i], out[i].page, out[i].failure);
    EXPECT_EQ(renderer.browser_starts(), 1u);
    return out;
  };
  const auto kept = run(false), isolated = run(true);
  for (std::size_t i = 0; i < urls.size(); ++i) {
    SCOPED_TRACE(urls[i]);
    ASSERT_EQ(kept[i].ok, isolated[i].ok);
    EXPECT_EQ(kept[i].failure.reason, isolated[i].failure.reason);
    EXPECT_EQ(kept[i].page.text, isolated[i].page.text);
    ASSERT_EQ(kept[i].page.tokens.size(), isolated[i].page.tokens.size());
    for (std::size_t t = 0; t < kept[i].page.tokens.size(); ++t) {
      const PageToken &a = kept[i].page.tokens[t], &b = isolated[i].page.tokens[t];
      EXPECT_EQ(a.id, b.id);
      EXPECT_EQ(a.hidden_by, b.hidden_by);
      ASSERT_EQ(a.boxes.size(), b.boxes.size());
      for (std::size_t k = 0; k < a.boxes.size(); ++k) {
        EXPECT_NEAR(a.boxes[k].x, b.boxes[k].x, 0.01);
        EXPECT_NEAR(a.boxes[k].y, b.boxes[k].y, 0.01);
        EXPECT_NEAR(a.boxes[k].width, b.boxes[k].width, 0.01);
        EXPECT_NEAR(a.boxes[k].height, b.boxes[k].height, 0.01);
      }
    }
    EXPECT_TRUE(isolated[i].page.phases.count("target")) << "a new tab for every page";
  }
  EXPECT_EQ(kept[1].failure.reason, "not_archived");
  EXPECT_EQ(kept[0].page.text, "first page words\ngone");
  EXPECT_TRUE(kept[0].page.phases.count("target"));   // the first page opens the tab
  EXPECT_TRUE(kept[2].page.phases.count("target"));   // after a failure: a new tab
  EXPECT_FALSE(kept[3].page.phases.count("target"));  // kept
  EXPECT_EQ(kept[3].page.replay.fulfilled, 2u);       // the page and its stylesheet, asked again
}

}  // namespace
}  // namespace warcpairs::render
