// Language identification speed: CLD2 (text/language.h) on the contexts and page texts of
// real pages (contexts/s and MB/s on one core), and what it adds to HtmlExtractor, measured
// as the extractor with and without ExtractOptions::detect_language in the same run.
// Usage: lang_bench [--seconds S] [--rounds N] FILE.warc[.gz]...   (one thread = one core)
#include <time.h>

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <functional>
#include <string>
#include <vector>

#include "warc_html_bodies.h"
#include "warcpairs/html/extractor.h"
#include "warcpairs/text/language.h"
#include "warcpairs/text/normalize.h"

namespace {

// This thread's CPU seconds: the machine is shared, and CPU time is what other load
// disturbs least (it still shares caches).
double cpu_seconds() {
  timespec t{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
  return double(t.tv_sec) + double(t.tv_nsec) * 1e-9;
}

// CPU seconds per round of each of `rounds`, taken in turn (a b c a b c ...) until at least
// min_rounds each and `seconds` in all; the best of each, so that both sides of a ratio saw
// the same moments of the machine.
std::vector<double> best_rounds(double seconds, int min_rounds,
                                const std::vector<std::function<void()>>& rounds) {
  std::vector<double> best(rounds.size(), 1e30);
  double total = 0;
  for (int r = 0; r < min_rounds || total < seconds; ++r)
    for (std::size_t k = 0; k < rounds.size(); ++k) {
      const double t0 = cpu_seconds();
      rounds[k]();
      const double s = cpu_seconds() - t0;
      best[k] = std::min(best[k], s);
      total += s;
    }
  return best;
}

}  // namespace

int main(int argc, char** argv) {
  double seconds = 3;
  int rounds = 3;
  std::vector<HtmlBody> pages;
  for (int i = 1; i < argc; ++i) {
    if (std::strcmp(argv[i], "--seconds") == 0 && i + 1 < argc) {
      seconds = std::atof(argv[++i]);
      continue;
    }
    if (std::strcmp(argv[i], "--rounds") == 0 && i + 1 < argc) {
      rounds = std::atoi(argv[++i]);
      continue;
    }
    for (HtmlBody& b : read_html_bodies(argv[i])) pages.push_back(std::move(b));
  }
  if (pages.empty()) {
    std::fprintf(stderr, "usage: lang_bench [--seconds S] [--rounds N] FILE.warc[.gz]...\n");
    return 2;
  }
  using namespace warcpairs;
  html::ExtractOptions with_id, without_id;
  with_id.page_text = without_id.page_text = html::PageText::kAll;  // keep the texts below
  without_id.detect_language = false;
  html::HtmlExtractor on(with_id), off(without_id);
  html::PageExtraction out;

  // The texts CLD2 sees in extract: every non-empty context, every page's visible text.
  std::vector<std::string> contexts, texts;
  std::string scratch;
  std::size_t context_bytes = 0, text_bytes = 0;
  for (const HtmlBody& p : pages) {
    off.extract(p.body, p.url, p.content_type, out);
    texts.push_back(out.text);
    text_bytes += text::page_language_sample(out.text, scratch).size();  // what CLD2 reads
    for (const auto& im : out.images)
      if (!im.context.empty()) {  // the window extract reads, each on its own here
        const auto [first, last] = text::language_window(
            im.context, text::byte_offset_of_codepoint(im.context, im.image_pos));
        contexts.push_back(im.context.substr(first, last - first));
        context_bytes += last - first;
      }
  }
  text::LanguageGuess g;
  std::size_t sink = 0;
  const std::vector<double> t = best_rounds(seconds, rounds, {
      [&] {
        for (const std::string& c : contexts)
          text::detect_language(c, g, c.size()), sink += g.code.size();
      },
      [&] {
        for (const std::string& x : texts)
          text::detect_page_language(x, g, scratch), sink += g.code.size();
      },
      [&] { for (const HtmlBody& p : pages) off.extract(p.body, p.url, p.content_type, out), sink += out.images.size(); },
      [&] { for (const HtmlBody& p : pages) on.extract(p.body, p.url, p.content_type, out), sink += out.images.size(); },
  });
  const double t_contexts = t[0], t_texts = t[1], t_off = t[2], t_on = t[3];

  std::printf("pages: %zu, non-empty contexts: %zu (windows %.1f MB), page samples: %.1f MB as CLD2 sees "
              "them; one thread, CPU seconds, best of >= %d interleaved rounds (checksum %zu)\n\n",
              pages.size(), contexts.size(), context_bytes / 1e6, text_bytes / 1e6, rounds, sink);
  std::printf("| measure | ours | peer or limit | ratio |\n|---|---|---|---|\n");
  std::printf("| CLD2 on contexts' windows (each on its own): contexts/s per core | %.0f | - | - |\n",
              contexts.size() / t_contexts);
  std::printf("| CLD2 on contexts' windows: MB/s | %.1f | - | - |\n", context_bytes / t_contexts / 1e6);
  std::printf("| CLD2 on page samples (text::detect_page_language): pages/s per core | %.0f | - | - |\n",
              texts.size() / t_texts);
  std::printf("| HtmlExtractor pages/s, language id on vs off | %.0f | %.0f | %.3f |\n",
              pages.size() / t_on, pages.size() / t_off, t_off / t_on);
  std::printf("| language id's share of HtmlExtractor time (on - off) / on | %.1f %% | goal < 5 %% | - |\n",
              100.0 * (t_on - t_off) / t_on);
  std::printf("| CLD2 alone (each context + page samples) / HtmlExtractor without it | %.1f %% | - | - |\n",
              100.0 * (t_contexts + t_texts) / t_off);
  return 0;
}
