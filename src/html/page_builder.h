// SAX event state for one page: element stack, visible text, figures, pictures and the
// images waiting for their context. Internal to the html layer.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "image_source.h"
#include "main_content.h"
#include "tags.h"
#include "visible_text.h"
#include "warcpairs/html/extractor.h"
#include "warcpairs/text/url.h"

namespace warcpairs::html {

class PageBuilder {
 public:
  // Starts a page; buffers keep their capacity from the previous page.
  void begin(const ExtractOptions& options, std::string_view page_url, PageExtraction& out);
  // `attrs`: libxml2 SAX1 name/value pairs, null-terminated; a value may be null.
  void start_element(std::string_view name, const char* const* attrs);
  void end_element(std::string_view name);
  // libxml2 ignored the end tag `name` (an element it will not close above it, e.g.
  // `<noscript><div></noscript>`). Browsers read noscript/iframe/noembed/noframes/textarea
  // content as text, so their end tag always ends them: what follows is rendered again.
  void end_tag_ignored(std::string_view name);
  void characters(std::string_view chars);
  // After the last event: every image gets its URL resolved against the final base URL,
  // its figcaption (which may have come after it) and its context window.
  void finish();

 private:
  struct Frame {
    std::string_view name;  // libxml2's interned tag name: lives as long as the parse
    uint32_t path_len;      // length of path_ before this element
    int32_t aux;         // figure: its index; figcaption: the caption target it replaced
    TagInfo info;
    bool hides;          // this element opened a hidden subtree
    int32_t mark;        // innermost marked element (main_content.h) inside this one, -1 none
  };
  struct Figure {
    VisibleText caption;
  };
  struct PendingImage {
    ImageRecord record;
    std::string url;  // as chosen, resolved in finish()
    std::vector<text::SrcsetCandidate> candidates;
    std::size_t anchor = 0;
    int32_t figure = -1;
    int32_t mark = -1;      // innermost marked element around the image
    uint32_t block = 0;     // the text block it stands in or before
    std::size_t context_begin = 0;   // where record.context starts in its source text
    std::size_t context_anchor = 0;  // where the image stands in that text
    std::string img_class, img_id, link;  // evidence of its kind (image_kind.h); link as written
  };

  void push_frame(std::string_view name, TagInfo info, const char* const* attrs);
  void pop_frame();
  void on_role_start(TagRole role, const char* const* attrs, Frame& frame);
  void on_image(const char* const* attrs);
  void on_source(const char* const* attrs);
  void on_meta(const char* const* attrs);
  void finish_image(PendingImage& p, std::string_view base, ImageRecord& out);
  void detect_context_languages(const std::string& source);
  void block_break();
  int32_t current_mark() const { return frames_.empty() ? -1 : frames_.back().mark; }

  const ExtractOptions* options_ = nullptr;
  PageExtraction* out_ = nullptr;
  std::string page_url_;
  VisibleText text_;
  // detect_context_languages' buffers (capacity reused): one window per image with a
  // context (`at`: where its bytes start in the buffer), the text of one CLD2 pass (also the
  // page's language sample), the chunks of that pass.
  struct LanguageWindow {
    std::size_t begin, end, image, at;
  };
  std::vector<LanguageWindow> language_windows_;
  std::string language_buffer_;
  std::vector<text::LanguageChunk> language_chunks_;
  MainContent main_;
  std::string main_text_;
  bool block_open_ = false;   // text has come since the last block boundary
  int32_t heading_depth_ = 0;
  std::vector<Frame> frames_;
  std::string path_;            // "html>body>div.post>..." of the open elements
  int32_t hidden_depth_ = 0;
  int32_t svg_depth_ = 0;
  bool in_title_ = false, title_done_ = false, lang_done_ = false, has_base_ = false;
  std::string title_raw_, base_href_;
  std::vector<Figure> figures_;  // capacity reused; figure_count_ in use
  std::size_t figure_count_ = 0;
  std::vector<int32_t> open_figures_;
  int32_t caption_figure_ = -1;  // figure whose <figcaption> is open
  std::vector<PictureSources> pictures_;  // open <picture> elements' sources
  std::size_t picture_depth_ = 0;
  std::vector<std::string> links_;  // open <a> elements' href ("" without one)
  std::size_t link_depth_ = 0;
  std::vector<PendingImage> images_;  // capacity reused; image_count_ in use
  std::size_t image_count_ = 0;
  std::string scratch_;
};

}  // namespace warcpairs::html
