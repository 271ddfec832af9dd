// What an element means to the extractor: block boundary, hidden subtree, or a tag with a
// role (img, figure, ...). Internal to the html layer.
#pragma once

#include <cstdint>
#include <string_view>

namespace warcpairs::html {

enum class TagRole : uint8_t {
  kOther, kHtml, kTitle, kBase, kImg, kPicture, kSource, kFigure, kFigcaption, kBr, kSvg,
  kLink, kHeading, kMeta,
};

struct TagInfo {
  TagRole role = TagRole::kOther;
  bool block = false;   // boundary of a block box: the visible text gets a "\n" break
  bool hidden = false;  // content is not visible text (head, script, style, ...)
  bool void_element = false;  // HTML5 void element libxml2 2.9 does not know (it would nest)
  bool landmark = false;  // main, article, nav, header, footer, aside, form: marks its content
};

// `name` as libxml2's HTML parser reports it (lower case).
TagInfo classify_tag(std::string_view name);

}  // namespace warcpairs::html
