// CLIP image preprocessing as Hugging Face's CLIPImageProcessor (openai/clip-vit-base-patch32).
#pragma once

#include <cstdint>
#include <vector>

#include "warcpairs/image/types.h"

namespace warcpairs::image {

inline constexpr float kClipMean[3] = {0.48145466f, 0.4578275f, 0.40821073f};
inline constexpr float kClipStd[3] = {0.26862954f, 0.26130258f, 0.27577711f};

// Shortest side -> size with PIL BICUBIC (get_resize_output_image_size, default_to_square=
// False: the long side is int(size * long / short)), uint8 result; centre crop size x size;
// * 1/255; (x - mean) / std. Returns CHW floats, 3 * size * size. The uint8 stage is
// bit-exact with PIL 9.4 (tests/unit/image/clip_test.cc). Empty image -> empty vector.
std::vector<float> clip_pixels(const Image& image, int32_t size = 224);
// The uint8 stage alone (resized and cropped, before rescale/normalise): for tests and caches.
Image clip_resize_crop(const Image& image, int32_t size = 224);

}  // namespace warcpairs::image
