// What an image is for (content, logo, icon, ...) from evidence that needs no pixels: the
// one rule, with the reason it fired, so a user can see why an image was kept or skipped.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace warcpairs::html {

// Kinds as stored in the shards and the database (images.kind). `chrome` is site furniture
// without a more specific kind: inside header/nav/footer/aside, or (decided at merge, see
// docs/storage.md) the same URL on many pages of one host. `placeholder` is decided only
// after `score` (the same bytes served for many URLs), never by classify_image.
inline constexpr std::string_view kImageKinds[] = {
    "content", "logo", "icon", "avatar", "badge", "ad", "spacer", "chrome", "placeholder",
    "unknown"};

// The evidence one <img> gives in its page. Views into the caller's strings.
struct ImageEvidence {
  std::string_view url;       // resolved image URL
  std::string_view page_url;  // the page's URL (its host and root make "home")
  std::string_view img_id;    // the <img>'s own id attribute
  std::string_view img_class; // the <img>'s own class attribute, every token
  std::string_view dom_path;  // ancestors, "html>body>header#top.site>a>img" (first class only)
  std::string_view link;      // resolved href of the enclosing <a>, "" when none
  std::string_view alt;
  bool in_figure = false;     // inside <figure> (or it has a figcaption)
  int32_t width = -1;         // declared size in CSS pixels, -1 when absent
  int32_t height = -1;
  // Where main-content detection put the image ("main", "nav", "header", "footer", "aside",
  // "" while no detector ran): when set, it replaces the dom_path position rule.
  std::string_view region;
};

struct ImageKind {
  std::string_view kind;  // one of kImageKinds
  std::string reason;     // "class:logo", "link:home", "size:16x16", "path:footer", ...
};

// The rule, first match wins: ad host or token → ad; spacer name or a side ≤ 2 → spacer;
// avatar/logo/icon/badge/flag/emoji/sprite tokens in the file name or the img's class/id,
// then in its ancestors' class/id; declared size (≤ 48×48 icon, small and wide badge); a
// link to a site's home page → logo; position in header/nav/footer/aside → chrome; else
// content, with the positive evidence named when there is some.
ImageKind classify_image(const ImageEvidence& e);

}  // namespace warcpairs::html
