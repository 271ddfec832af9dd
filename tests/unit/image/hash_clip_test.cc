// phash behaviour (robust to resizing and re-encoding, apart for different images) and the
// CLIP tensor layout and normalisation.
#include <cmath>

#include <gtest/gtest.h>

#include "fixtures.h"
#include "warcpairs/image/image.h"

namespace warcpairs::image {
namespace {

TEST(Phash, SameImageResizedOrReencodedIsClose) {
  const Image a = test::load_rgb("src_a.rgb", 120, 90);
  ASSERT_GT(a.width, 0);
  const uint64_t h = phash(a);
  EXPECT_LE(hamming(h, phash(resample(a, 60, 45, Filter::bicubic))), 4);
  EXPECT_LE(hamming(h, phash(resample(a, 480, 360, Filter::bicubic))), 4);
  EXPECT_LE(hamming(h, phash(decode(encode_jpeg(a, 70)).image)), 4);
}

TEST(Phash, DifferentImagesAreFar) {
  const Image a = test::load_rgb("src_a.rgb", 120, 90);
  const Image b = test::load_rgb("src_b.rgb", 90, 200);
  const Image c = test::smooth(120, 90);
  EXPECT_GE(hamming(phash(a), phash(b)), 16);
  EXPECT_GE(hamming(phash(a), phash(c)), 16);
  EXPECT_GE(hamming(phash(b), phash(c)), 16);
  EXPECT_EQ(phash(Image{}), 0u);
  EXPECT_EQ(hamming(0, ~0ull), 64);
}

TEST(Clip, LayoutAndNormalisation) {
  // A solid image: every value of plane c is (v / 255 - mean[c]) / std[c].
  const Image in = test::solid(300, 200, 0, 128, 255);
  const auto t = clip_pixels(in);
  ASSERT_EQ(t.size(), 3u * 224 * 224);
  const float want[3] = {(0.0f - kClipMean[0]) / kClipStd[0],
                         (128 / 255.0f - kClipMean[1]) / kClipStd[1],
                         (1.0f - kClipMean[2]) / kClipStd[2]};
  for (int c = 0; c < 3; ++c) {
    EXPECT_NEAR(t[c * 224 * 224], want[c], 1e-6);
    EXPECT_NEAR(t[c * 224 * 224 + 224 * 224 - 1], want[c], 1e-6);
  }
  EXPECT_NEAR(want[0], -1.7922625, 1e-5);  // -0.48145466 / 0.26862954
}

TEST(Clip, ChannelsFollowTheCroppedPixels) {
  const Image src = test::load_rgb("src_b.rgb", 90, 200);
  const Image crop = clip_resize_crop(src, 64);
  const auto t = clip_pixels(src, 64);
  ASSERT_EQ(t.size(), 3u * 64 * 64);
  for (int i : {0, 100, 4095}) {
    for (int c = 0; c < 3; ++c) {
      const float v = static_cast<float>(crop.rgb[i * 3 + c] * (1.0 / 255.0));
      EXPECT_FLOAT_EQ(t[c * 4096 + i], (v - kClipMean[c]) / kClipStd[c]);
    }
  }
  EXPECT_TRUE(clip_pixels(Image{}).empty());
}

}  // namespace
}  // namespace warcpairs::image
