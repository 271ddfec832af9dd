// Language identification quality on real pages, the numbers behind text/language.h's
// choices: the page's detected language (extract's sample, and heads of 1 and 2 KiB for
// comparison) against <html lang>, counted as e2e.language counts (pages that declare one and
// get one detected, primary subtags equal); each context's language as HtmlExtractor gives it
// (its window, one pass per page) against CLD2 on the whole context and against its page's.
// Usage: lang_quality FILE.warc[.gz]...
#include <cstdio>
#include <string>
#include <vector>

#include "warc_html_bodies.h"
#include "warcpairs/html/extractor.h"
#include "warcpairs/text/language.h"

int main(int argc, char** argv) {
  std::vector<HtmlBody> pages;
  for (int i = 1; i < argc; ++i)
    for (HtmlBody& b : read_html_bodies(argv[i])) pages.push_back(std::move(b));
  if (pages.empty()) {
    std::fprintf(stderr, "usage: lang_quality FILE.warc[.gz]...\n");
    return 2;
  }
  using namespace warcpairs;
  html::ExtractOptions with_text;  // extract's defaults, and all visible text kept
  with_text.page_text = html::PageText::kAll;
  html::HtmlExtractor ex(with_text);
  html::PageExtraction out;
  struct Rate {
    const char* name;
    int agree = 0, both = 0;
  } rates[] = {{"extract's sample (text::detect_page_language)"}, {"first 2 KiB"}, {"first 1 KiB"}};
  std::size_t contexts = 0, same_whole = 0, same_page = 0, with_code = 0, reliable = 0;
  text::LanguageGuess g;
  for (const HtmlBody& p : pages) {
    ex.extract(p.body, p.url, p.content_type, out);
    const std::string declared = text::primary_language(out.language);
    const std::string codes[] = {out.text_language.code,
                                 text::detect_language(out.text).code,  // 2 KiB: the default
                                 (text::detect_language(out.text, g, 1024), g.code)};
    for (int k = 0; k < 3; ++k)
      if (!declared.empty() && !codes[k].empty())
        ++rates[k].both, rates[k].agree += text::primary_language(codes[k]) == declared;
    for (const html::ImageRecord& im : out.images) {
      if (im.context.empty()) continue;
      ++contexts;
      text::detect_language(im.context, g, im.context.size());
      same_whole += g.code == im.context_language;
      same_page += text::primary_language(im.context_language) ==
                   text::primary_language(out.text_language.code);
      with_code += !im.context_language.empty();
      reliable += im.context_language_reliable;
    }
  }
  std::printf("pages: %zu\n\n| page language from | agree with <html lang> | rate |\n|---|---|---|\n",
              pages.size());
  for (const Rate& r : rates)
    std::printf("| %s | %d / %d | %.1f %% |\n", r.name, r.agree, r.both, 100.0 * r.agree / r.both);
  const double n = contexts ? double(contexts) : 1.0;
  std::printf("\n| contexts (%zu non-empty) | count | share |\n|---|---|---|\n", contexts);
  std::printf("| with a language | %zu | %.1f %% |\n", with_code, 100.0 * with_code / n);
  std::printf("| reliable | %zu | %.1f %% |\n", reliable, 100.0 * reliable / n);
  std::printf("| same code as CLD2 on the whole context | %zu | %.1f %% |\n", same_whole,
              100.0 * same_whole / n);
  std::printf("| same primary subtag as their page's | %zu | %.1f %% |\n", same_page,
              100.0 * same_page / n);
  return 0;
}
