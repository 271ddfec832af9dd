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

void silent(void*, const char*, ...) {}
void silent_structured(void*, xmlErrorPtr) {}

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
  xmlInitParser();
  xmlSetGenericErrorFunc(nullptr, silent);
  xmlSetStructuredErrorFunc(nullptr, silent_structured);

  warcpairs::html::HtmlExtractor extractor({});
  warcpairs::html::PageExtraction out;
  const Rate ours = measure(pages, seconds, [&](const HtmlBody& p) {
    extractor.extract(p.body, p.url, p.content_type, out);
    return out.images.size();
  });
  const int opts = HTML_PARSE_RECOVER | HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING |
                   HTML_PARSE_NONET | HTML_PARSE_COMPACT;
  const Rate dom = measure(pages, seconds, [&](const HtmlBody& p) {
    htmlDocPtr doc = htmlReadMemory(p.body.data(), static_cast<int>(p.body.size()),
                                    p.url.c_str(), nullptr, opts);
    if (doc) xmlFreeDoc(doc);
    return std::size_t{0};
  });
  htmlSAXHandler empty{};
  empty.initialized = XML_SAX2_MAGIC;
  empty.serror = silent_structured;
  htmlParserCtxtPtr ctxt = htmlCreatePushParserCtxt(&empty, nullptr, nullptr, 0, nullptr,
                                                    XML_CHAR_ENCODING_NONE);
  const Rate sax = measure(pages, seconds, [&](const HtmlBody& p) {
    xmlCtxtResetPush(ctxt, nullptr, 0, nullptr, nullptr);
    ctxt->html = 1;
    ctxt->progressive = 1;
    htmlCtxtUseOptions(ctxt, opts);
    htmlParseChunk(ctxt, p.body.data(), static_cast<int>(p.body.size()), 1);
    return std::size_t{0};
  });
  htmlFreeParserCtxt(ctxt);

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
