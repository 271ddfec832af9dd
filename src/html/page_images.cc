// The image half of PageBuilder: reading <img> attributes, then finishing every image at
// the end of the page (URL resolution, figcaption, context, label).
#include <algorithm>
#include <cstring>

#include "image_source.h"
#include "page_builder.h"
#include "warcpairs/html/image_kind.h"
#include "warcpairs/text/normalize.h"

namespace warcpairs::html {
namespace {

constexpr std::size_t kMaxPathBytes = 256;

std::string capped_path(const std::string& path) {
  if (path.size() <= kMaxPathBytes) return path;
  std::size_t cut = path.find('>', path.size() - kMaxPathBytes + 4);
  if (cut == std::string::npos) {  // one huge segment: cut on a character boundary
    cut = path.size() - kMaxPathBytes + 3;
    while (cut + 1 < path.size() && (static_cast<unsigned char>(path[cut + 1]) & 0xC0) == 0x80) ++cut;
  }
  return "...>" + path.substr(cut + 1);
}

struct ImgAttrs {
  ImageAttributes url;
  std::string_view alt, title, width, height, cls, id;
  bool has_alt = false, has_title = false;
};

ImgAttrs read_img_attrs(const char* const* attrs) {
  ImgAttrs r;
  for (const char* const* a = attrs; a && a[0]; a += 2) {
    const std::string_view n(a[0]);
    const std::string_view v = a[1] ? std::string_view(a[1]) : std::string_view();
    if (n == "src") r.url.src = v, r.url.has_src = true;
    else if (n == "srcset") r.url.srcset = v;
    else if (n == "alt") r.alt = v, r.has_alt = true;
    else if (n == "title") r.title = v, r.has_title = true;
    else if (n == "width") r.width = v;
    else if (n == "height") r.height = v;
    else if (n == "class") r.cls = v.substr(0, kMaxPathBytes);
    else if (n == "id") r.id = v.substr(0, kMaxPathBytes);
    else if (n == "data-srcset" || n == "data-lazy-srcset") {
      if (r.url.lazy_srcset.empty()) r.url.lazy_srcset = v;
    } else if (n == "data-src" || n == "data-lazy-src" || n == "data-original") {
      if (r.url.lazy_src.empty()) r.url.lazy_src = v;
    }
  }
  return r;
}

}  // namespace

void PageBuilder::on_image(const char* const* attrs) {
  const ImgAttrs a = read_img_attrs(attrs);
  const int32_t width = a.width.empty() ? -1 : parse_pixels(a.width);
  const int32_t height = a.height.empty() ? -1 : parse_pixels(a.height);
  if (width == 1 && height == 1) {  // tracking pixel
    ++out_->tracker_images;
    return;
  }
  if (images_.size() <= image_count_) images_.emplace_back();
  PendingImage& p = images_[image_count_];
  static const PictureSources kNoSources;
  const auto& sources = picture_depth_ > 0 ? pictures_[picture_depth_ - 1] : kNoSources;
  switch (choose_image_url(a.url, sources, p.url, p.candidates)) {
    case UrlChoice::kDataUri: ++out_->data_uri_images; return;
    case UrlChoice::kNone: ++out_->no_url_images; return;
    case UrlChoice::kUrl: break;
  }
  if (image_count_ >= options_->max_images_per_page) {
    ++out_->dropped_images;
    return;
  }
  ++image_count_;
  ImageRecord& r = p.record;
  r = ImageRecord{};
  r.src.assign(a.url.src);
  r.alt = text::collapse_whitespace(a.alt);
  r.has_alt = a.has_alt;
  if (a.has_title) r.title = text::collapse_whitespace(a.title);
  r.width = width;
  r.height = height;
  r.dom_path = capped_path(path_);
  p.mark = current_mark();
  p.block = main_.anchor_block(block_open_);
  p.anchor = text_.anchor();
  p.figure = open_figures_.empty() ? -1 : open_figures_.back();
  p.img_class.assign(a.cls);
  p.img_id.assign(a.id);
  if (link_depth_ > 0) p.link = links_[link_depth_ - 1];
  else p.link.clear();
}

void PageBuilder::finish_image(PendingImage& p, std::string_view base, ImageRecord& r) {
  r = std::move(p.record);
  r.url = text::resolve_url(base, p.url);
  if (r.url.empty()) r.url = p.url;  // no absolute page URL: keep the reference as written
  for (const text::SrcsetCandidate& c : p.candidates) {
    if (!r.srcset.empty()) r.srcset.append(", ");
    std::string resolved = text::resolve_url(base, c.url);
    r.srcset.append(resolved.empty() ? c.url : resolved);
    if (!c.descriptor.empty()) r.srcset.append(" ").append(c.descriptor);
  }
  if (p.figure >= 0) r.figcaption = text::collapse_whitespace(figures_[p.figure].caption.str());
  const Region region = main_.region_of(p.mark, p.block);
  r.region.assign(region_name(region));
  if (options_->context_from == ContextFrom::kAll) {
    p.context_begin = text_.context(p.anchor, options_->context_chars, r.context, r.image_pos);
    p.context_anchor = p.anchor;
  } else if (region == Region::kMain) {
    p.context_anchor = main_.main_anchor(p.block, p.anchor);
    p.context_begin = cut_context(main_text_, p.context_anchor, options_->context_chars,
                                  r.context, r.image_pos);
  } else {
    r.context.clear();
    r.image_pos = 0;
    p.context_begin = p.context_anchor = 0;
  }
  r.context_language.clear();
  r.context_language_reliable = false;
  if (const auto label = text::find_label(r.context, r.alt, r.image_pos)) {
    r.label_start = label->first;
    r.label_end = label->second;
  }
  ImageEvidence e;
  e.url = r.url;
  e.page_url = page_url_;
  e.img_class = p.img_class;
  e.img_id = p.img_id;
  e.dom_path = r.dom_path;
  const std::string link = p.link.empty() ? std::string() : text::resolve_url(base, p.link);
  e.link = link;
  e.alt = r.alt;
  e.in_figure = p.figure >= 0;
  e.width = r.width;
  e.height = r.height;
  e.region = r.region;  // main-content detection's: replaces the dom_path position rule
  ImageKind kind = classify_image(e);
  r.kind.assign(kind.kind);
  r.kind_reason = std::move(kind.reason);
}

// The contexts' languages with one CLD2 pass per page instead of one per context. Each
// context is read from its text::language_window (kContextLanguageBytes around the image): a
// window [begin, end) of the text it was cut from. Windows that overlap or touch are merged;
// the merged windows, joined by "\n", are read in one pass with CLD2's result chunks, and
// each window takes the language of the chunks it spans (text::language_of_range: most bytes;
// reliable when that language holds >= 3/4 of the known bytes and known chunks cover half the
// window); a window whose chunks are all unknown takes the pass's answer, unreliable. Where
// every window is the same bytes (one image, or neighbours sharing one window) the pass is a
// plain call on them: exactly what a call on that window alone gives. Measured on warc-real:
// CLD2 reads 0.47 MB of contexts in 698 calls instead of 1.36 MB in 2,662 (one call per
// distinct first 512 B), the same code as CLD2 on the whole context for 98.9 % of contexts
// (99.3 % before; bench/lang/lang_quality.cc, BENCHMARKS.md).
void PageBuilder::detect_context_languages(const std::string& source) {
  auto& windows = language_windows_;
  windows.clear();
  for (std::size_t i = 0; i < image_count_; ++i) {
    const ImageRecord& r = out_->images[i];
    if (r.context.empty()) continue;
    // The image's byte in the context (a separator at the anchor may put it one byte later:
    // the window does not need it exact).
    const std::size_t begin = images_[i].context_begin, anchor = images_[i].context_anchor;
    const std::size_t image = anchor - std::min(begin, anchor);
    const auto [first, last] = text::language_window(r.context, image);
    if (first == last) continue;
    windows.push_back({begin + first, begin + last, i, 0});
  }
  if (windows.empty()) return;
  std::sort(windows.begin(), windows.end(), [](const LanguageWindow& a, const LanguageWindow& b) {
    return a.begin < b.begin || (a.begin == b.begin && a.end < b.end);
  });
  // The merged windows into one buffer; each window's `at`: where its bytes start there.
  std::string& buffer = language_buffer_;
  buffer.clear();
  bool single = true;  // every window the same bytes
  for (std::size_t g = 0; g < windows.size();) {
    std::size_t end = windows[g].end, last = g + 1;
    while (last < windows.size() && windows[last].begin <= end)
      end = std::max(end, windows[last].end), ++last;
    const std::size_t begin = windows[g].begin;
    if (!buffer.empty()) buffer.push_back('\n');
    const std::size_t at = buffer.size();
    buffer.append(source, begin, end - begin);
    for (std::size_t k = g; k < last; ++k) {
      windows[k].at = at + (windows[k].begin - begin);
      single = single && windows[k].begin == windows[0].begin && windows[k].end == windows[0].end;
    }
    g = last;
  }
  text::LanguageGuess summary, one;
  if (single) {
    text::detect_language(buffer, summary, buffer.size());
    for (const LanguageWindow& w : windows) {
      ImageRecord& r = out_->images[w.image];
      r.context_language = summary.code;
      r.context_language_reliable = summary.reliable;
    }
    return;
  }
  text::detect_language_chunks(buffer, summary, language_chunks_, buffer.size());
  for (const LanguageWindow& w : windows) {
    text::language_of_range(language_chunks_, w.at, w.at + (w.end - w.begin), one);
    ImageRecord& r = out_->images[w.image];
    if (one.code.empty()) {
      r.context_language = summary.code;
      r.context_language_reliable = false;
    } else {
      r.context_language = one.code;
      r.context_language_reliable = one.reliable;
    }
  }
}

void PageBuilder::finish() {
  out_->title = text::collapse_whitespace(title_raw_);
  std::string base = page_url_;
  if (has_base_) {
    std::string resolved = text::resolve_url(page_url_, base_href_);
    if (!resolved.empty()) base = std::move(resolved);
  }
  main_.classify(text_.str());
  if (options_->detect_language)
    text::detect_page_language(text_.str(), out_->text_language, language_buffer_);
  const bool need_main = options_->page_text == PageText::kMain ||
                         (options_->context_from == ContextFrom::kMain && image_count_ > 0);
  if (need_main) main_.main_text(text_.str(), main_text_);
  switch (options_->page_text) {
    case PageText::kNone: out_->text.clear(); break;
    case PageText::kMain: out_->text = main_text_; break;
    case PageText::kAll: out_->text = text_.str(); break;
  }
  out_->images.resize(image_count_);
  for (std::size_t i = 0; i < image_count_; ++i) {
    finish_image(images_[i], base, out_->images[i]);
    out_->images[i].index = static_cast<int32_t>(i);
  }
  if (options_->detect_language)
    detect_context_languages(options_->context_from == ContextFrom::kAll ? text_.str()
                                                                         : main_text_);
}

}  // namespace warcpairs::html
