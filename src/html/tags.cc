// Tag classification: CSS display:block elements of the HTML Living Standard §15.3 (the
// user-agent style sheet) and the elements whose content is never rendered as text.
#include "tags.h"

#include <array>
#include <cstdint>

namespace warcpairs::html {
namespace {

struct Entry { std::string_view name; TagInfo info; };

constexpr TagInfo kBlock{TagRole::kOther, true, false};
constexpr TagInfo kHidden{TagRole::kOther, false, true};
constexpr TagInfo kLandmark{TagRole::kOther, true, false, false, true};
constexpr TagInfo kHeading{TagRole::kHeading, true, false};

// Sorted by name for binary search.
constexpr Entry kTags[] = {
    {"a", {TagRole::kLink}}, {"address", kBlock}, {"article", kLandmark}, {"aside", kLandmark}, {"base", {TagRole::kBase}},
    {"blockquote", kBlock}, {"body", kBlock}, {"br", {TagRole::kBr, true, false}},
    {"button", kBlock}, {"canvas", kHidden}, {"caption", kBlock}, {"center", kBlock},
    {"datalist", kHidden}, {"dd", kBlock}, {"details", kBlock}, {"dialog", kBlock},
    {"dir", kBlock}, {"div", kBlock}, {"dl", kBlock}, {"dt", kBlock}, {"fieldset", kBlock},
    {"figcaption", {TagRole::kFigcaption, true, false}}, {"figure", {TagRole::kFigure, true, false}},
    {"footer", kLandmark}, {"form", kLandmark}, {"frameset", kHidden}, {"h1", kHeading}, {"h2", kHeading},
    {"h3", kHeading}, {"h4", kHeading}, {"h5", kHeading}, {"h6", kHeading}, {"head", kHidden},
    {"header", kLandmark}, {"hgroup", kBlock}, {"hr", kBlock}, {"html", {TagRole::kHtml}},
    {"iframe", kHidden}, {"img", {TagRole::kImg}}, {"legend", kBlock}, {"li", kBlock},
    {"main", kLandmark}, {"menu", kBlock}, {"meta", {TagRole::kMeta}}, {"nav", kLandmark}, {"noembed", kHidden},
    {"noframes", kHidden}, {"noscript", kHidden}, {"object", kHidden}, {"ol", kBlock},
    {"option", kBlock}, {"p", kBlock}, {"picture", {TagRole::kPicture}}, {"pre", kBlock},
    {"script", kHidden}, {"section", kBlock}, {"select", kHidden},
    {"source", {TagRole::kSource, false, false, true}}, {"style", kHidden}, {"summary", kBlock},
    {"svg", {TagRole::kSvg, false, true}}, {"table", kBlock}, {"tbody", kBlock}, {"td", kBlock},
    {"template", kHidden}, {"textarea", kHidden}, {"tfoot", kBlock}, {"th", kBlock},
    {"thead", kBlock}, {"title", {TagRole::kTitle, false, true}}, {"tr", kBlock}, {"track", {TagRole::kOther, false, false, true}},
    {"ul", kBlock}, {"video", kHidden}, {"wbr", {TagRole::kOther, false, false, true}},
};

// Where each first letter's entries start in kTags (sorted, so they are contiguous): a
// tag is compared only with the few names that share its first letter. This runs for
// every start tag; a binary search over all names cost more in memcmp calls.
constexpr auto kFirstLetter = [] {
  std::array<uint8_t, 27> start{};
  std::size_t e = 0;
  for (int letter = 0; letter < 26; ++letter) {
    start[letter] = static_cast<uint8_t>(e);
    while (e < std::size(kTags) && kTags[e].name[0] == 'a' + letter) ++e;
  }
  start[26] = static_cast<uint8_t>(e);
  return start;
}();
static_assert(kFirstLetter[26] == std::size(kTags), "kTags must be sorted, lower case a-z");

}  // namespace

TagInfo classify_tag(std::string_view name) {
  if (name.empty() || name[0] < 'a' || name[0] > 'z') return {};
  const int letter = name[0] - 'a';
  for (std::size_t e = kFirstLetter[letter]; e < kFirstLetter[letter + 1]; ++e) {
    const std::string_view n = kTags[e].name;
    if (n.size() != name.size()) continue;
    std::size_t k = 1;  // names are short: a byte loop beats a memcmp call
    while (k < n.size() && n[k] == name[k]) ++k;
    if (k == n.size()) return kTags[e].info;
  }
  return {};
}

}  // namespace warcpairs::html
