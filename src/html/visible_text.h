// The page's visible text as the SAX handler sees it: whitespace collapsed on the fly,
// block boundaries kept as "\n", and the context window around an image cut from it.
// Internal to the html layer.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace warcpairs::html {

class VisibleText {
 public:
  void clear() { text_.clear(); pending_ = kNone; }
  // Appends character data (valid UTF-8): runs of Unicode White_Space become one pending
  // space, written only when more text follows, so the text never ends in a separator.
  void append(std::string_view chars);
  // A block boundary: the next text starts on a new line ("\n" wins over " ").
  void block_break() { if (!text_.empty()) pending_ = kBreak; }
  // Where an image stands: the current end. An image separates words like a space.
  std::size_t anchor() {
    if (!text_.empty() && pending_ == kNone) pending_ = kSpace;
    return text_.size();
  }
  const std::string& str() const { return text_; }

  // Context of the image at `anchor` (see ImageRecord::context and html/extractor.h):
  // up to `chars` code points on each side, cut at a word boundary when one is near.
  // Returns where `out` starts in str().
  std::size_t context(std::size_t anchor, int32_t chars, std::string& out,
                      int32_t& image_pos) const;

 private:
  enum Pending : uint8_t { kNone, kSpace, kBreak };
  std::string text_;
  Pending pending_ = kNone;
};

// The same window cut from any text built like VisibleText's (words separated by " " or "\n",
// no leading or trailing separator), such as the main-content text. Returns where `out`
// starts in `text` (out is text.substr(that, out.size())).
std::size_t cut_context(const std::string& text, std::size_t anchor, int32_t chars,
                        std::string& out, int32_t& image_pos);

}  // namespace warcpairs::html
