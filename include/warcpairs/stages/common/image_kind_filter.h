// Which image kinds (html/image_kind.h) score, export and review take: `--image-kinds`.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace warcpairs::stages {

// The kinds a stage takes; the rest are skipped and counted by kind.
struct ImageKindFilter {
  std::vector<std::string> kinds;  // the kinds taken, in kImageKinds order; empty: every kind

  // "content" (the default), "content,unknown", "all". Throws UsageError naming the kinds
  // there are when a name is not one of them, or the list is empty.
  static ImageKindFilter parse(std::string_view list);
  bool takes(std::string_view kind) const;
  std::string str() const;  // "content,unknown" or "all"
};

inline constexpr const char* kImageKindsHelp =
    "image kinds to take, comma-separated, or all: content, logo, icon, avatar, badge, ad, "
    "spacer, chrome, placeholder, unknown (docs/image-kinds.md); the others are skipped and "
    "counted by kind";

// Images skipped by kind, for the stats files and the screen.
using KindCounts = std::map<std::string, int64_t>;
// "logo 12, icon 3" ("none" when empty).
std::string describe(const KindCounts& counts);

}  // namespace warcpairs::stages
