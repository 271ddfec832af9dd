// Tag classification: CSS display:block elements of the HTML Living Standard §15.3 (the
// user-agent style sheet) and the elements whose content is never rendered as text.
#include "tags.h"

#include <algorithm>
#include <array>

namespace warcpairs::html {
namespace {

struct Entry { std::string_view name; TagInfo info; };

constexpr TagInfo kBlock{TagRole::kOther, true, false};
constexpr TagInfo kHidden{TagRole::kOther, false, true};

// Sorted by name for binary search.
constexpr Entry kTags[] = {
    {"address", kBlock}, {"article", kBlock}, {"aside", kBlock}, {"base", {TagRole::kBase}},
    {"blockquote", kBlock}, {"body", kBlock}, {"br", {TagRole::kBr, true, false}},
    {"button", kBlock}, {"canvas", kHidden}, {"caption", kBlock}, {"center", kBlock},
    {"datalist", kHidden}, {"dd", kBlock}, {"details", kBlock}, {"dialog", kBlock},
    {"dir", kBlock}, {"div", kBlock}, {"dl", kBlock}, {"dt", kBlock}, {"fieldset", kBlock},
    {"figcaption", {TagRole::kFigcaption, true, false}}, {"figure", {TagRole::kFigure, true, false}},
    {"footer", kBlock}, {"form", kBlock}, {"frameset", kHidden}, {"h1", kBlock}, {"h2", kBlock},
    {"h3", kBlock}, {"h4", kBlock}, {"h5", kBlock}, {"h6", kBlock}, {"head", kHidden},
    {"header", kBlock}, {"hgroup", kBlock}, {"hr", kBlock}, {"html", {TagRole::kHtml}},
    {"iframe", kHidden}, {"img", {TagRole::kImg}}, {"legend", kBlock}, {"li", kBlock},
    {"main", kBlock}, {"menu", kBlock}, {"nav", kBlock}, {"noembed", kHidden},
    {"noframes", kHidden}, {"noscript", kHidden}, {"object", kHidden}, {"ol", kBlock},
    {"option", kBlock}, {"p", kBlock}, {"picture", {TagRole::kPicture}}, {"pre", kBlock},
    {"script", kHidden}, {"section", kBlock}, {"select", kHidden},
    {"source", {TagRole::kSource, false, false, true}}, {"style", kHidden}, {"summary", kBlock},
    {"svg", {TagRole::kSvg, false, true}}, {"table", kBlock}, {"tbody", kBlock}, {"td", kBlock},
    {"template", kHidden}, {"textarea", kHidden}, {"tfoot", kBlock}, {"th", kBlock},
    {"thead", kBlock}, {"title", {TagRole::kTitle, false, true}}, {"tr", kBlock}, {"track", {TagRole::kOther, false, false, true}},
    {"ul", kBlock}, {"video", kHidden}, {"wbr", {TagRole::kOther, false, false, true}},
};

}  // namespace

TagInfo classify_tag(std::string_view name) {
  const auto it = std::lower_bound(std::begin(kTags), std::end(kTags), name,
                                   [](const Entry& e, std::string_view n) { return e.name < n; });
  if (it == std::end(kTags) || it->name != name) return {};
  return it->info;
}

}  // namespace warcpairs::html
