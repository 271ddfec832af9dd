// Pages/s of HtmlExtractor on real pages vs a libxml2 DOM parse (htmlReadMemory, the usual
// way) and a bare libxml2 SAX push parse with empty callbacks (the parser's own limit).
// Usage: html_extract_bench [--seconds S] FILE.warc[.gz]...   (one thread = one core)
#include <libxml/HTMLparser.h>

#include <chrono>
#include <cstdio>
#include <cstring>
#include <functional>
#include <string>
#include <vector>

#include "bare_sax_parser.h"
#include "warc_html_bodies.h"
#include "warcpairs/html/extractor.h"

namespace {

using Clock = std::chrono::steady_clock;

struct Rate { double pages_s = 0, mb_s = 0; std::size_t images = 0; };

// Runs `one_page` over all pages, round after round, for at least `seconds`.
Rate measure(const std::vector<HtmlBody>& pages, double seconds,
             const std::function<std::size_t(const HtmlBody&)>& one_page) {
  std::size_t n = 0, bytes = 0, images = 0;
  const auto start = Clock::now();
  double elapsed = 0;
  do {
    for (const HtmlBody& p : pages) {
      images += one_page(p);
      ++n;
      bytes += p.body.size();
    }
    elapsed = std::chrono::duration<double>(Clock::now() - start).count();
  } while (elapsed < seconds);
  return {n / elapsed, bytes / elapsed / 1e6, images / (n / pages.size())};
}

}  // namespace

int main(int argc, char** argv) {
  double seconds = 3;
  std::vector<HtmlBody> pages;
  for (int i = 1; i < argc; ++i) {
    if (std::strcmp(argv[i], "--seconds") == 0 && i + 1 < argc) {
      seconds = std::atof(argv[++i]);
      continue;
    }
    for (HtmlBody& b : read_html_bodies(argv[i])) pages.push_back(std::move(b));
  }
  if (pages.empty()) {
    std::fprintf(stderr, "usage: html_extract_bench [--seconds S] FILE.warc[.gz]...\n");
    return 2;
  }
  std::size_t total = 0;
  for (const HtmlBody& p : pages) total += p.body.size();
  BareSaxParser bare;  // also silences libxml2's error output for the DOM parse below

  warcpairs::html::HtmlExtractor extractor({});
  warcpairs::html::PageExtraction out;
  const Rate ours = measure(pages, seconds, [&](const HtmlBody& p) {
    extractor.extract(p.body, p.url, p.content_type, out);
    return out.images.size();
  });
  const Rate dom = measure(pages, seconds, [&](const HtmlBody& p) {
    htmlDocPtr doc = htmlReadMemory(p.body.data(), static_cast<int>(p.body.size()),
                                    p.url.c_str(), nullptr, BareSaxParser::kOptions);
    if (doc) xmlFreeDoc(doc);
    return std::size_t{0};
  });
  const Rate sax = measure(pages, seconds, [&](const HtmlBody& p) {
    bare.parse(p.body);
    return std::size_t{0};
  });

  std::printf("pages: %zu, average size %.1f KB, images per round: %zu, one thread\n\n",
              pages.size(), total / 1024.0 / pages.size(), ours.images);
  std::printf("| measure | ours (HtmlExtractor) | peer or limit | ratio |\n|---|---|---|---|\n");
  auto row = [&](const char* what, const Rate& peer) {
    std::printf("| %s pages/s | %.0f | %.0f | %.2f |\n", what, ours.pages_s, peer.pages_s,
                ours.pages_s / peer.pages_s);
    std::printf("| %s MB/s | %.1f | %.1f | %.2f |\n", what, ours.mb_s, peer.mb_s,
                ours.mb_s / peer.mb_s);
  };
  row("vs libxml2 DOM (htmlReadMemory)", dom);
  row("vs libxml2 bare SAX push (empty callbacks)", sax);
  return 0;
}
