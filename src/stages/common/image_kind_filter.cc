// ImageKindFilter (image_kind_filter.h): parsing --image-kinds against the kinds there are.
#include "warcpairs/stages/common/image_kind_filter.h"

#include <algorithm>

#include "warcpairs/core/error.h"
#include "warcpairs/html/image_kind.h"

namespace warcpairs::stages {
namespace {

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

std::string all_kinds() {
  std::string out;
  for (std::string_view k : html::kImageKinds) out.append(out.empty() ? "" : ", ").append(k);
  return out;
}

}  // namespace

ImageKindFilter ImageKindFilter::parse(std::string_view list) {
  std::vector<std::string_view> names;
  for (std::size_t start = 0; start <= list.size();) {
    std::size_t end = list.find(',', start);
    if (end == std::string_view::npos) end = list.size();
    if (const std::string_view n = trim(list.substr(start, end - start)); !n.empty()) names.push_back(n);
    start = end + 1;
  }
  if (names.empty())
    throw UsageError("--image-kinds is empty: name kinds (" + all_kinds() + ") or all");
  ImageKindFilter f;
  if (names.size() == 1 && names[0] == "all") return f;
  for (std::string_view k : html::kImageKinds) {
    if (std::find(names.begin(), names.end(), k) != names.end()) f.kinds.emplace_back(k);
  }
  for (std::string_view n : names) {
    if (std::find(f.kinds.begin(), f.kinds.end(), n) == f.kinds.end())
      throw UsageError("--image-kinds: no kind '" + std::string(n) + "' (kinds: " + all_kinds() +
                       "; or all)");
  }
  return f;
}

bool ImageKindFilter::takes(std::string_view kind) const {
  return kinds.empty() || std::find(kinds.begin(), kinds.end(), kind) != kinds.end();
}

std::string ImageKindFilter::str() const {
  if (kinds.empty()) return "all";
  std::string out;
  for (const std::string& k : kinds) out.append(out.empty() ? "" : ",").append(k);
  return out;
}

std::string describe(const KindCounts& counts) {
  std::string out;
  for (const auto& [kind, n] : counts) out.append(out.empty() ? "" : ", ").append(kind + " " + std::to_string(n));
  return out.empty() ? "none" : out;
}

}  // namespace warcpairs::stages
