// SAX event handling for one page (see page_builder.h).
#include "page_builder.h"

#include <strings.h>

#include <algorithm>
#include <cstring>

#include "image_source.h"
#include "warcpairs/text/normalize.h"

namespace warcpairs::html {
namespace {

constexpr std::size_t kMaxPathBuild = 4096;    // open-element path kept while parsing
constexpr std::size_t kMaxSegment = 32;        // a tag name, id or class in the path
constexpr std::size_t kMaxCaptionBytes = 4096; // figcaption / title text kept

std::string_view value_of(const char* v) { return v ? std::string_view(v) : std::string_view(); }

bool is_ws(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\f' || c == '\r'; }

std::string_view first_token(std::string_view s) {
  std::size_t b = 0;
  while (b < s.size() && is_ws(s[b])) ++b;
  std::size_t e = b;
  while (e < s.size() && !is_ws(s[e])) ++e;
  std::size_t n = std::min(e - b, kMaxSegment);
  // Never cut inside a UTF-8 sequence: back off to the start of the cut character.
  if (n < e - b) {
    while (n > 0 && (static_cast<unsigned char>(s[b + n]) & 0xC0) == 0x80) --n;
  }
  return s.substr(b, n);
}

// A tag name cut to kMaxSegment bytes, on a character boundary.
std::string_view segment(std::string_view s) {
  if (s.size() <= kMaxSegment) return s;
  std::size_t n = kMaxSegment;
  while (n > 0 && (static_cast<unsigned char>(s[n]) & 0xC0) == 0x80) --n;
  return s.substr(0, n);
}

void lower_into(std::string_view s, std::string& out) {
  for (char c : s) out.push_back((c >= 'A' && c <= 'Z') ? static_cast<char>(c + 32) : c);
}

}  // namespace

void PageBuilder::begin(const ExtractOptions& options, std::string_view page_url,
                        PageExtraction& out) {
  options_ = &options;
  out_ = &out;
  page_url_.assign(page_url);
  text_.clear();
  main_.clear();
  block_open_ = false;
  link_depth_ = 0;
  heading_depth_ = 0;
  frames_.clear();
  path_.clear();
  hidden_depth_ = svg_depth_ = 0;
  in_title_ = title_done_ = lang_done_ = has_base_ = false;
  title_raw_.clear();
  base_href_.clear();
  figure_count_ = 0;
  open_figures_.clear();
  caption_figure_ = -1;
  picture_depth_ = 0;
  image_count_ = 0;
}

void PageBuilder::push_frame(std::string_view name, TagInfo info, const char* const* attrs) {
  Frame f{name, static_cast<uint32_t>(path_.size()), -1, info, info.hidden, current_mark()};
  std::string_view id_all, cls_all, role, itemprop;
  for (const char* const* a = attrs; a && a[0]; a += 2) {
    const std::string_view n(a[0]);
    if (n == "id") id_all = value_of(a[1]);
    else if (n == "class") cls_all = value_of(a[1]);
    else if (n == "role") role = value_of(a[1]);
    else if (n == "itemprop") itemprop = value_of(a[1]);
    else if (n == "hidden") f.hides = true;
  }
  if (info.landmark || info.role == TagRole::kFigcaption || !id_all.empty() || !cls_all.empty() || !role.empty() || !itemprop.empty()) {
    uint8_t strength = 0;
    const Mark mark = mark_element(name, id_all, cls_all, role, itemprop, strength);
    if (mark != Mark::kNone) f.mark = main_.open_mark(mark, strength, f.mark, info.landmark);
  }
  const std::string_view id = first_token(id_all), cls = first_token(cls_all);
  if (path_.size() < kMaxPathBuild) {
    if (!path_.empty()) path_.push_back('>');
    path_.append(segment(name));
    if (!id.empty()) path_.append("#").append(id);
    if (!cls.empty()) path_.append(".").append(cls);
  }
  if (f.hides) ++hidden_depth_;
  frames_.push_back(f);
}

void PageBuilder::pop_frame() {
  const Frame f = frames_.back();
  frames_.pop_back();
  if (f.info.block) block_break();
  if (f.hides) --hidden_depth_;
  switch (f.info.role) {
    case TagRole::kLink: --link_depth_; break;
    case TagRole::kHeading: --heading_depth_; break;
    case TagRole::kSvg: --svg_depth_; break;
    case TagRole::kTitle:
      if (in_title_) in_title_ = false, title_done_ = true;
      break;
    case TagRole::kFigure:
      if (!open_figures_.empty()) open_figures_.pop_back();
      break;
    case TagRole::kFigcaption: caption_figure_ = f.aux; break;
    case TagRole::kPicture: --picture_depth_; break;
    default: break;
  }
  path_.resize(f.path_len);
}

void PageBuilder::start_element(std::string_view name, const char* const* attrs) {
  const TagInfo info = classify_tag(name);
  push_frame(name, info, attrs);
  if (info.block) block_break();
  if (info.role != TagRole::kOther) on_role_start(info.role, attrs, frames_.back());
  // libxml2 would keep a <source> open and nest the following <img> in it; close it now
  // (its later end event then matches nothing and is ignored).
  if (info.void_element) pop_frame();
}

void PageBuilder::block_break() {
  text_.block_break();
  block_open_ = false;
  if (caption_figure_ >= 0) figures_[caption_figure_].caption.block_break();
}

void PageBuilder::end_element(std::string_view name) {
  // libxml2 balances its events; still, match by name so a stray end cannot unbalance us.
  for (std::size_t i = frames_.size(); i-- > 0;) {
    if (frames_[i].name == name) {
      while (frames_.size() > i) pop_frame();
      return;
    }
  }
}

void PageBuilder::end_tag_ignored(std::string_view name) {
  static constexpr std::string_view kTextContent[] = {"noscript", "iframe", "noembed", "noframes",
                                                      "textarea"};
  if (std::find(std::begin(kTextContent), std::end(kTextContent), name) == std::end(kTextContent))
    return;
  for (std::size_t i = frames_.size(); i-- > 0;) {
    if (frames_[i].name != name) continue;
    // libxml2 keeps the element open (its end event comes later): only its hiding ends here.
    if (frames_[i].hides) frames_[i].hides = false, --hidden_depth_;
    return;
  }
}

void PageBuilder::on_role_start(TagRole role, const char* const* attrs, Frame& frame) {
  switch (role) {
    case TagRole::kHtml:
      for (const char* const* a = attrs; !lang_done_ && a && a[0]; a += 2) {
        if (std::strcmp(a[0], "lang") == 0) {
          lower_into(first_token(value_of(a[1])), out_->language);
          lang_done_ = true;
        }
      }
      lang_done_ = true;
      break;
    case TagRole::kMeta: on_meta(attrs); break;
    case TagRole::kTitle:
      if (svg_depth_ == 0 && !title_done_) in_title_ = true;
      break;
    case TagRole::kBase:  // HTML §4.2.3: the first <base> with an href sets the base URL
      for (const char* const* a = attrs; !has_base_ && a && a[0]; a += 2) {
        if (std::strcmp(a[0], "href") == 0 && a[1]) base_href_ = a[1], has_base_ = true;
      }
      break;
    case TagRole::kImg:
      if (hidden_depth_ == 0) {
        on_image(attrs);
      } else {
        ++out_->hidden_images;  // e.g. the <noscript> twin of a lazy-loaded image
      }
      break;
    case TagRole::kPicture:
      if (pictures_.size() <= picture_depth_) pictures_.emplace_back();
      pictures_[picture_depth_++].clear();
      break;
    case TagRole::kSource:
      if (frames_.size() >= 2 && frames_[frames_.size() - 2].info.role == TagRole::kPicture)
        on_source(attrs);
      break;
    case TagRole::kFigure:
      if (figures_.size() <= figure_count_) figures_.emplace_back();
      figures_[figure_count_].caption.clear();
      frame.aux = static_cast<int32_t>(figure_count_);
      open_figures_.push_back(static_cast<int32_t>(figure_count_++));
      break;
    case TagRole::kFigcaption:
      frame.aux = caption_figure_;
      caption_figure_ = open_figures_.empty() ? -1 : open_figures_.back();
      break;
    case TagRole::kSvg: ++svg_depth_; break;
    case TagRole::kHeading: ++heading_depth_; break;
    case TagRole::kLink: {
      if (links_.size() <= link_depth_) links_.emplace_back();
      std::string& href = links_[link_depth_++];
      href.clear();
      for (const char* const* a = attrs; a && a[0]; a += 2) {
        if (std::strcmp(a[0], "href") == 0 && a[1] && std::strlen(a[1]) <= kMaxCaptionBytes) {
          href = a[1];
          break;
        }
      }
      break;
    }
    default: break;
  }
}

// <meta name="robots" content="noindex, noai">: the page's own opt-outs (robots meta tag as
// Google documents it; "noai"/"noimageai" as DeviantArt/Spawning proposed). Only the generic
// name "robots" is read: a page cannot address warcpairs by a bot name it does not know.
void PageBuilder::on_meta(const char* const* attrs) {
  std::string_view name, content;
  for (const char* const* a = attrs; a && a[0]; a += 2) {
    if (std::strcmp(a[0], "name") == 0) name = value_of(a[1]);
    else if (std::strcmp(a[0], "content") == 0) content = value_of(a[1]);
  }
  if (name.size() != 6 || strncasecmp(name.data(), "robots", 6) != 0) return;
  std::string& out = out_->robots;
  constexpr std::size_t kMaxRobotsBytes = 256;
  std::size_t start = 0;
  while (start <= content.size() && out.size() < kMaxRobotsBytes) {
    std::size_t end = content.find(',', start);
    if (end == std::string_view::npos) end = content.size();
    std::string_view d = content.substr(start, end - start);
    while (!d.empty() && (d.front() == ' ' || d.front() == '\t' || d.front() == '\n')) d.remove_prefix(1);
    while (!d.empty() && (d.back() == ' ' || d.back() == '\t' || d.back() == '\n')) d.remove_suffix(1);
    if (!d.empty()) {
      if (!out.empty()) out.push_back(',');
      lower_into(d.substr(0, kMaxRobotsBytes), out);
    }
    start = end + 1;
  }
}

void PageBuilder::on_source(const char* const* attrs) {
  if (picture_depth_ == 0) return;
  PictureSources& picture = pictures_[picture_depth_ - 1];
  for (const char* const* a = attrs; a && a[0]; a += 2) {
    if (std::strcmp(a[0], "srcset") != 0 && std::strcmp(a[0], "data-srcset") != 0) continue;
    for (text::SrcsetCandidate& c : text::parse_srcset(value_of(a[1]))) {
      if (!is_data_uri(c.url)) picture.candidates.push_back(std::move(c));
    }
  }
  if (picture.first_source_end == 0) picture.first_source_end = picture.candidates.size();
}

void PageBuilder::characters(std::string_view chars) {
  if (hidden_depth_ > 0) {
    if (in_title_ && title_raw_.size() < kMaxCaptionBytes) title_raw_.append(chars);
    return;
  }
  const std::size_t before = text_.str().size();
  text_.append(chars);
  const std::string& t = text_.str();
  if (t.size() > before) {
    // A separator written before the new text belongs to neither block.
    const std::size_t begin = before + ((before > 0 && (t[before] == '\n' || t[before] == ' ')) ? 1 : 0);
    main_.add_text(begin, t.size(), !block_open_, current_mark(), heading_depth_ > 0,
                   link_depth_ > 0);
    block_open_ = true;
  }
  if (caption_figure_ >= 0) {
    VisibleText& caption = figures_[caption_figure_].caption;
    if (caption.str().size() < kMaxCaptionBytes) caption.append(chars);
  }
}

}  // namespace warcpairs::html
