// The peer of bench/extract/run.sh: a bare libxml2 HTML SAX push parse (empty callbacks, no
// work) of exactly the pages extract parses, timed in CPU seconds of this thread.
// The pages are read first, outside the timing, with the project's own WARC reader and HTTP
// parser (gzip members, chunked and gzip bodies undone) and the same choice as extract: HTML
// by declared type (or a look at the first bytes when none is declared), 2xx status.
// Usage: bare_parse_bench [--rounds N] FILE.warc[.gz]...
// Prints one line: pages=P html_bytes=B cpu_s=S (S: the fastest of N rounds over all pages).
#include <time.h>

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

#include "../html/bare_sax_parser.h"
#include "warcpairs/core/limits.h"
#include "warcpairs/core/skip_log.h"
#include "warcpairs/html/page_type.h"
#include "warcpairs/warc/http.h"
#include "warcpairs/warc/reader.h"

namespace {

double thread_cpu_seconds() {
  timespec t{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
  return static_cast<double>(t.tv_sec) + t.tv_nsec / 1e9;
}

void read_pages(const char* path, std::vector<std::string>& pages) {
  const warcpairs::Limits limits;
  warcpairs::SkipLog skips;
  warcpairs::warc::WarcReader reader(path, limits, skips);
  reader.set_type_filter({warcpairs::warc::RecordType::response, warcpairs::warc::RecordType::resource});
  warcpairs::warc::HttpParser http(limits);
  warcpairs::warc::HttpResponse response;
  std::string error;
  while (const warcpairs::warc::WarcRecord* rec = reader.next()) {
    std::string_view content_type = rec->content_type(), body = rec->block;
    if (rec->type == warcpairs::warc::RecordType::response) {
      if (!http.parse(rec->block, response, error)) continue;
      if (response.status < 200 || response.status > 299) continue;
      content_type = response.header("Content-Type");
      body = response.body;
    }
    if (warcpairs::html::is_html(warcpairs::html::media_type(content_type), body)) pages.emplace_back(body);
  }
}

}  // namespace

int main(int argc, char** argv) {
  int rounds = 3;
  std::vector<std::string> pages;
  for (int i = 1; i < argc; ++i) {
    if (std::strcmp(argv[i], "--rounds") == 0 && i + 1 < argc) {
      rounds = std::max(1, std::atoi(argv[++i]));
      continue;
    }
    read_pages(argv[i], pages);
  }
  if (pages.empty()) {
    std::fprintf(stderr, "usage: bare_parse_bench [--rounds N] FILE.warc[.gz]...\n");
    return 2;
  }
  std::size_t bytes = 0;
  for (const std::string& p : pages) bytes += p.size();

  BareSaxParser bare;
  double best = 0;
  for (int r = 0; r < rounds; ++r) {
    const double start = thread_cpu_seconds();
    for (const std::string& p : pages) bare.parse(p);
    const double s = thread_cpu_seconds() - start;
    if (r == 0 || s < best) best = s;
  }
  std::printf("pages=%zu html_bytes=%zu cpu_s=%.4f\n", pages.size(), bytes, best);
  return 0;
}
