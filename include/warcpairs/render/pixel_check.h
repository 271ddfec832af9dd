// The optional pixel check of render (--pixel-check): the viewport drawn twice, as is and with
// every text made transparent; a token whose boxes show no changed pixel is not drawn where a
// person could see it (covered by something the hit test passes through, or painted over), and
// a token the colour checks rejected whose boxes do change is drawn after all (text over a
// background image). Pure: two decoded screenshots and boxes in, shares out.
#pragma once

#include "warcpairs/image/types.h"
#include "warcpairs/render/crops.h"

namespace warcpairs::render {

// A channel difference up to this is no change (anti-aliasing noise, near-background colours).
inline constexpr int kPixelChangeThreshold = 24;

// Share of the pixels of `box` (CSS px; times `scale` for device pixels, clipped to the images)
// whose colour differs by more than kPixelChangeThreshold in some channel between the two
// images, which must be of the same size. 0 for a box outside the images.
double changed_share(const image::Image& with_text, const image::Image& without_text, const Box& box,
                     double scale);

}  // namespace warcpairs::render
