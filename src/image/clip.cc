// CLIP image preprocessing in the order Hugging Face's CLIPImageProcessor applies it.
#include "warcpairs/image/clip.h"

#include <cstddef>

#include "warcpairs/image/resize.h"

namespace warcpairs::image {

// transformers' get_resize_output_image_size(default_to_square=False) for an int size:
// short side = size, long side = int(size * long / short) (truncated, Python float math);
// then PIL resize with BICUBIC on the uint8 image; then center_crop with top = (h - size) // 2.
Image clip_resize_crop(const Image& image, int32_t size) {
  if (image.width <= 0 || image.height <= 0 || size <= 0) return {};
  const bool portrait = image.width <= image.height;
  const int32_t shortest = portrait ? image.width : image.height;
  const int32_t longest = portrait ? image.height : image.width;
  if (shortest == size) {
    return crop(image, (image.width - size) / 2, (image.height - size) / 2, size, size);
  }
  const auto new_long = static_cast<int32_t>(static_cast<double>(size) * longest / shortest);
  const int32_t w = portrait ? size : new_long, h = portrait ? new_long : size;
  // After the resize the short side is size and the long one >= size: never the padding case.
  // Only the crop window is computed (same pixels as resize-then-crop).
  return resample_crop(image, w, h, Filter::bicubic, (w - size) / 2, (h - size) / 2, size, size);
}

std::vector<float> clip_pixels(const Image& image, int32_t size) {
  const Image crop = clip_resize_crop(image, size);
  if (crop.width != size) return {};
  const size_t plane = static_cast<size_t>(size) * size;
  std::vector<float> out(3 * plane);
  // rescale: float64 * (1/255) cast to float32; normalize: (x - mean) / std in float32.
  for (int c = 0; c < 3; ++c) {
    float* dst = out.data() + c * plane;
    for (size_t i = 0; i < plane; ++i) {
      const float v = static_cast<float>(crop.rgb[i * 3 + c] * (1.0 / 255.0));
      dst[i] = (v - kClipMean[c]) / kClipStd[c];
    }
  }
  return out;
}

}  // namespace warcpairs::image
