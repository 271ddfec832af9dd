// libFuzzer target for image::decode (all four formats) and what the score stage does next
// with a decoded image: resize, phash, CLIP preprocessing. The first byte picks the limits.
#include <cstdint>
#include <cstdlib>
#include <span>

#include "warcpairs/image/image.h"

namespace {

void check(bool ok) {
  if (!ok) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace warcpairs::image;
  if (size == 0) return 0;
  const uint8_t pick = data[0];
  // A small pixel cap keeps each run fast; the cap's own logic is what is under test.
  DecodeLimits limits{.max_pixels = (pick & 1) ? 4'000'000 : 4096,
                      .min_side = (pick & 2) ? 16 : 0};
  static DecodeResult out;  // reused, as the score stage does
  const std::span<const uint8_t> bytes(data + 1, size - 1);
  decode(bytes, limits, out);
  check(out.format == sniff(bytes));
  if (!out.ok) {
    check(!out.error.empty());
    check(out.image.rgb.empty());
    return 0;
  }
  const Image& im = out.image;
  check(out.error.empty());
  check(im.width > 0 && im.height > 0);
  check(static_cast<int64_t>(im.width) * im.height <= limits.max_pixels);
  check(im.rgb.size() == static_cast<size_t>(im.width) * im.height * 3);
  check(im.width <= out.width && im.height <= out.height);
  if (static_cast<int64_t>(im.width) * im.height > 250'000) return 0;
  const auto mode = static_cast<ResizeMode>((pick >> 2) % 3);
  const Image small = resize(im, 1 + (pick >> 4), mode);
  check(small.rgb.size() == static_cast<size_t>(small.width) * small.height * 3);
  if (mode != ResizeMode::keep_ratio) check(small.width == 1 + (pick >> 4));
  phash(im);
  check(clip_pixels(im, 8).size() == 3 * 8 * 8);
  return 0;
}
