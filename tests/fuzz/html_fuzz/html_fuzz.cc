// libFuzzer target: the first input byte picks a Content-Type (and the context window), the
// rest is the page. Checks the invariants every ImageRecord must hold.
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "warcpairs/html/extractor.h"
#include "warcpairs/text/normalize.h"

namespace {

constexpr std::string_view kContentTypes[] = {
    "text/html", "text/html; charset=utf-8", "text/html; charset=windows-1252",
    "text/html; charset=shift_jis", "text/html; charset=utf-16", "text/html; charset=gbk",
    "text/html; charset=\"euc-jp", "text/html; charset=iso-2022-jp", "", "text/html;charset=",
    "text/html; charset=x-user-defined", "text/html; charset=big5"};

void check(bool ok) {
  if (!ok) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  static warcpairs::html::HtmlExtractor small({.context_chars = 7, .max_html_bytes = 4096,
                                               .max_images_per_page = 8});
  static warcpairs::html::HtmlExtractor normal({});
  static warcpairs::html::PageExtraction out;
  const uint8_t pick = data[0];
  const std::string_view ct = kContentTypes[pick % std::size(kContentTypes)];
  const std::string_view html(reinterpret_cast<const char*>(data) + 1, size - 1);
  auto& ex = (pick & 0x80) ? small : normal;
  ex.extract(html, (pick & 0x40) ? "http://fuzz.example/a/b.html" : "", ct, out);
  using namespace warcpairs::text;
  check(is_valid_utf8(out.title) && is_valid_utf8(out.language));
  for (const warcpairs::html::ImageRecord& r : out.images) {
    const int32_t n = codepoint_count(r.context);
    check(is_valid_utf8(r.context) && is_valid_utf8(r.alt) && is_valid_utf8(r.figcaption) &&
          is_valid_utf8(r.dom_path) && is_valid_utf8(r.title) && is_valid_utf8(r.srcset));
    check(r.image_pos >= 0 && r.image_pos <= n);
    check(r.label_start == -1 || (r.label_start >= 0 && r.label_start < r.label_end && r.label_end <= n));
    check(!r.url.empty() && r.dom_path.size() <= 256);
  }
  return 0;
}
