// choose_crops: candidate windows on a stride grid, counted, then taken greedily.
#include "warcpairs/render/crops.h"

#include <algorithm>

namespace warcpairs::render {

int visible_tokens_inside(const std::vector<TokenBoxes>& tokens, const Box& region) {
  int n = 0;
  for (const auto& t : tokens) {
    if (!t.visible || t.boxes.empty()) continue;
    n += std::all_of(t.boxes.begin(), t.boxes.end(), [&](const Box& b) { return region.contains(b); });
  }
  return n;
}

std::vector<Box> choose_crops(const std::vector<TokenBoxes>& tokens, int viewport_width,
                              int viewport_height, const CropCriteria& c) {
  const double w = std::min(c.max_width, viewport_width);
  const double h = std::min(c.max_height, viewport_height);
  if (h < c.min_height || w <= 0 || c.max_crops <= 0) return {};
  const int stride = std::max(1, c.stride);
  struct Candidate {
    Box box;
    int count;
  };
  std::vector<Candidate> candidates;
  for (double y = 0; y + h <= viewport_height; y += stride)
    for (double x = 0; x + w <= viewport_width; x += stride) {
      const Box box{x, y, w, h};
      const int n = visible_tokens_inside(tokens, box);
      if (n >= c.min_visible_tokens) candidates.push_back({box, n});
    }
  // Most tokens first; ties top-to-bottom, left-to-right (stable: the grid order).
  std::stable_sort(candidates.begin(), candidates.end(),
                   [](const Candidate& a, const Candidate& b) { return a.count > b.count; });
  std::vector<Box> chosen;
  for (const auto& cand : candidates) {
    if (static_cast<int>(chosen.size()) >= c.max_crops) break;
    if (std::none_of(chosen.begin(), chosen.end(), [&](const Box& b) { return b.intersects(cand.box); }))
      chosen.push_back(cand.box);
  }
  return chosen;
}

}  // namespace warcpairs::render
