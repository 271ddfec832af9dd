// Synthetic rows: URLs, titles, alt texts and contexts of realistic lengths, reproducible by seed.
#include "synthetic_rows.h"

namespace warcpairs::bench {

SyntheticRows::SyntheticRows(RowShape shape, uint64_t seed) : shape_(shape), rng_(seed) {
  static const char* kSyllables[] = {"ka", "to", "re", "mi", "sun", "lo", "ver", "an", "ti",
                                     "gre", "ph", "ol", "da", "ne", "qu", "ä", "é", "st"};
  std::uniform_int_distribution<int> syl(0, std::size(kSyllables) - 1), len(1, 4);
  for (int w = 0; w < 4000; ++w) {
    std::string word;
    for (int n = len(rng_); n > 0; --n) word += kSyllables[syl(rng_)];
    vocab_.push_back(std::move(word));
  }
}

void SyntheticRows::words(int chars, std::string& out) {
  out.clear();
  std::uniform_int_distribution<std::size_t> pick(0, vocab_.size() - 1);
  while (static_cast<int>(out.size()) < chars) {
    if (!out.empty()) out += ' ';
    out += vocab_[pick(rng_)];
  }
}

void SyntheticRows::page(int64_t i, store::PageRecord& p) {
  p.warc_offset = 40000 * i + 1234;
  p.record_id = "<urn:uuid:" + std::to_string(0x10000000 + i) + "-0000-4000-8000-000000000000>";
  words(24, p.url);
  for (char& c : p.url) if (c == ' ') c = '/';
  p.url = "https://www.example-" + std::to_string(i % 997) + ".com/" + p.url;
  p.crawl_date = "2024-03-01T12:34:56Z";
  p.http_status = 200;
  p.content_type = "text/html";
  p.charset = "utf-8";
  p.language = i % 3 ? "en" : "de";
  words(shape_.title_chars, p.title);
  p.image_count = shape_.images_per_page;
}

void SyntheticRows::image(int64_t i, int64_t page_row, int32_t index, html::ImageRecord& im) {
  im.page_row = page_row;
  im.index = index;
  im.src = "/img/" + std::to_string(i) + ".jpg";
  im.url = "https://cdn.example-" + std::to_string(i % 991) + ".com" + im.src;
  im.srcset = i % 4 ? "" : im.url + " 1x, " + im.url + "?w=2x 2x";
  words(shape_.alt_chars, im.alt);
  im.has_alt = true;
  im.title = "";
  im.width = 640;
  im.height = 480;
  im.figcaption = i % 5 ? "" : im.alt;
  im.dom_path = "html>body>div.content>article>figure>img";
  words(shape_.context_chars / 2, im.context);
  im.image_pos = static_cast<int32_t>(im.context.size());  // bytes = code points is not needed here
  im.context += ' ';
  im.label_start = im.image_pos + 1;
  im.context += im.alt;
  im.label_end = im.label_start + static_cast<int32_t>(im.alt.size());
  std::string tail;
  words(shape_.context_chars / 2, tail);
  im.context += ' ';
  im.context += tail;
}

}  // namespace warcpairs::bench
