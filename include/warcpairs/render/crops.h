// Which regions of a rendered viewport become crops: windows of the largest allowed size slid
// over the viewport, kept when they hold enough visible tokens whole, taken greedily by token
// count without overlap. Pure: boxes in, regions out.
#pragma once

#include <vector>

namespace warcpairs::render {

struct Box {
  double x = 0, y = 0, width = 0, height = 0;
  double right() const { return x + width; }
  double bottom() const { return y + height; }
  bool contains(const Box& b, double slack = 0.5) const {
    return b.x >= x - slack && b.y >= y - slack && b.right() <= right() + slack &&
           b.bottom() <= bottom() + slack;
  }
  bool intersects(const Box& b) const {
    return b.x < right() && b.right() > x && b.y < bottom() && b.bottom() > y;
  }
};

struct CropCriteria {
  int min_height = 100;        // px (CSS px at the recorded device scale factor)
  int max_width = 512;
  int max_height = 256;
  int min_visible_tokens = 50;  // tokens visible and wholly inside the crop
  int max_crops = 4;            // per page
  int stride = 64;              // px between candidate windows, both directions
};

struct TokenBoxes {
  std::vector<Box> boxes;
  bool visible = false;
};

// Regions (viewport coordinates), best first. A viewport smaller than the window gives windows
// of the viewport's size; one shorter than min_height gives none.
std::vector<Box> choose_crops(const std::vector<TokenBoxes>& tokens, int viewport_width,
                              int viewport_height, const CropCriteria& criteria);

// Tokens wholly inside `region` that are visible.
int visible_tokens_inside(const std::vector<TokenBoxes>& tokens, const Box& region);

}  // namespace warcpairs::render
