// Resizing: img2dataset's resize modes and PIL-exact convolution resampling (Resample.c).
#pragma once

#include <cstdint>
#include <vector>

#include "warcpairs/image/types.h"

namespace warcpairs::image {

// As img2dataset's resizer.py (its ResizeMode), with resize_only_if_bigger=False, its default:
// images smaller than `size` are scaled up too.
//   keep_ratio:  the SHORTEST side becomes size, aspect kept (the other side is
//                dim * size / shortest rounded half to even, albumentations' py3round).
//   center_crop: keep_ratio, then the centre size x size is cut out.
//   border:      the LONGEST side becomes size, then padded to size x size with white
//                (img2dataset pads with value [255, 255, 255]); pad top/left =
//                floor(missing / 2), as albumentations' pad.
enum class ResizeMode { keep_ratio, center_crop, border };

// PIL's resampling filters (Image.Resampling); the support grows with the downscale factor,
// so every filter antialiases when shrinking.
enum class Filter { box, bilinear, bicubic, lanczos };

// Resamples src to out_w x out_h exactly as PIL 9.4's Image.resize(size, filter) does on an
// RGB image (same coefficients, same 22-bit fixed point, horizontal pass first): bit-exact.
Image resample(const Image& src, int32_t out_w, int32_t out_h, Filter filter);
// The window [x, x+w) x [y, y+h) of resample(src, out_w, out_h, filter), computing only that
// window: bit-identical to resampling then cropping, cheaper (CLIP's centre crop).
Image resample_crop(const Image& src, int32_t out_w, int32_t out_h, Filter filter, int32_t x,
                    int32_t y, int32_t w, int32_t h);
// Same on one 8-bit channel (PIL mode "L"); used by phash.
std::vector<uint8_t> resample_gray(const std::vector<uint8_t>& src, int32_t w, int32_t h,
                                   int32_t out_w, int32_t out_h, Filter filter);

// img2dataset-style resize. Filters as img2dataset's defaults: "area" when shrinking, here
// PIL's BOX (area averaging sampled at pixel centres: equal to cv2's INTER_AREA for integer
// factors, within a level or two otherwise), "lanczos" when enlarging (PIL's LANCZOS).
// size must be >= 1; an empty image gives an empty image.
Image resize(const Image& src, int32_t size, ResizeMode mode);

// Crop [x, x+w) x [y, y+h); the rectangle must lie inside src.
Image crop(const Image& src, int32_t x, int32_t y, int32_t w, int32_t h);

}  // namespace warcpairs::image
