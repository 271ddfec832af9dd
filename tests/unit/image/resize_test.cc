// img2dataset's resize modes: output sizes, content placement, solid colours stay solid.
#include <gtest/gtest.h>

#include "fixtures.h"
#include "warcpairs/image/image.h"

namespace warcpairs::image {
namespace {

struct SizeCase {
  int w, h, size;
  ResizeMode mode;
  int want_w, want_h;
};

TEST(Resize, OutputSizesFollowImg2dataset) {
  const SizeCase cases[] = {
      {640, 480, 256, ResizeMode::keep_ratio, 341, 256},  // 341.33 -> 341
      {480, 640, 256, ResizeMode::keep_ratio, 256, 341},
      {300, 200, 100, ResizeMode::keep_ratio, 150, 100},
      {50, 30, 100, ResizeMode::keep_ratio, 167, 100},    // enlarged (resize_only_if_bigger off)
      {10, 1000, 64, ResizeMode::keep_ratio, 64, 6400},
      {5, 3, 4, ResizeMode::keep_ratio, 7, 4},            // 6.67 -> 7
      {6, 4, 2, ResizeMode::keep_ratio, 3, 2},
      {10, 4, 2, ResizeMode::keep_ratio, 5, 2},
      {7, 4, 8, ResizeMode::keep_ratio, 14, 8},
      {5, 2, 1, ResizeMode::keep_ratio, 2, 1},            // 2.5 -> 2: half to even
      {7, 2, 1, ResizeMode::keep_ratio, 4, 1},            // 3.5 -> 4
      {640, 480, 256, ResizeMode::center_crop, 256, 256},
      {17, 900, 32, ResizeMode::center_crop, 32, 32},
      {640, 480, 256, ResizeMode::border, 256, 256},
      {1, 1000, 256, ResizeMode::border, 256, 256},
      {256, 256, 256, ResizeMode::keep_ratio, 256, 256},  // untouched
  };
  for (const auto& c : cases) {
    const Image out = resize(test::synth(c.w, c.h, 2), c.size, c.mode);
    EXPECT_EQ(out.width, c.want_w) << c.w << "x" << c.h << " -> " << c.size;
    EXPECT_EQ(out.height, c.want_h) << c.w << "x" << c.h << " -> " << c.size;
    EXPECT_EQ(out.rgb.size(), static_cast<size_t>(out.width) * out.height * 3);
  }
  EXPECT_EQ(resize(Image{}, 10, ResizeMode::border).width, 0);
  EXPECT_EQ(resize(test::synth(4, 4), 0, ResizeMode::border).width, 0);
}

TEST(Resize, SolidStaysSolidInEveryModeAndDirection) {
  for (auto mode : {ResizeMode::keep_ratio, ResizeMode::center_crop}) {
    for (int size : {3, 50, 333}) {
      const Image in = test::solid(97, 61, 12, 200, 99);
      const Image out = resize(in, size, mode);
      ASSERT_GT(out.width, 0);
      EXPECT_EQ(test::max_abs_diff(out, test::solid(out.width, out.height, 12, 200, 99)), 0)
          << size;
    }
  }
}

TEST(Resize, BorderPadsWithWhiteAndCentres) {
  const Image out = resize(test::solid(200, 100, 0, 0, 0), 64, ResizeMode::border);
  ASSERT_EQ(out.width, 64);
  // 200x100 -> 64x32, top pad (64 - 32) / 2 = 16 rows of white, then black, then white.
  auto px = [&](int x, int y) { return out.rgb[(y * 64 + x) * 3]; };
  EXPECT_EQ(px(10, 15), 255);
  EXPECT_EQ(px(10, 16), 0);
  EXPECT_EQ(px(63, 47), 0);
  EXPECT_EQ(px(0, 48), 255);
}

TEST(Resize, CentredSquareEndsCentred) {
  // A black square in the middle of a white 300x200 image.
  Image in = test::solid(300, 200, 255, 255, 255);
  for (int y = 75; y < 125; ++y) {
    for (int x = 125; x < 175; ++x) std::fill_n(&in.rgb[(y * 300 + x) * 3], 3, 0);
  }
  const Image out = resize(in, 100, ResizeMode::center_crop);  // 150x100 then the middle 100
  ASSERT_EQ(out.width, 100);
  // The square spans 25 px at this scale: rows/columns 37.5..62.5 in both axes.
  double sx = 0, sy = 0, mass = 0;
  for (int y = 0; y < 100; ++y) {
    for (int x = 0; x < 100; ++x) {
      const double dark = 255 - out.rgb[(y * 100 + x) * 3];
      sx += dark * x, sy += dark * y, mass += dark;
    }
  }
  EXPECT_NEAR(sx / mass, 49.5, 0.01);
  EXPECT_NEAR(sy / mass, 49.5, 0.01);
  EXPECT_NEAR(mass / 255, 25 * 25, 1.0);  // box filter: area preserved
  EXPECT_EQ(out.rgb[(50 * 100 + 50) * 3], 0);
  EXPECT_EQ(out.rgb[(10 * 100 + 10) * 3], 255);
}

TEST(Resize, DownscaleAntialiases) {
  // A 1-pixel checkerboard shrunk 4x must become flat grey, not a moire of 0s and 255s.
  Image in{64, 64, std::vector<uint8_t>(64 * 64 * 3)};
  for (int i = 0; i < 64 * 64; ++i) std::fill_n(&in.rgb[i * 3], 3, ((i % 64 + i / 64) % 2) * 255);
  const Image out = resize(in, 16, ResizeMode::keep_ratio);
  for (uint8_t v : out.rgb) {
    EXPECT_GE(v, 126);
    EXPECT_LE(v, 129);
  }
}

// img2dataset's filters: area (PIL BOX here) down, lanczos up; resample itself is checked
// against PIL in pil_parity_test.cc.
TEST(Resize, FiltersFollowImg2datasetDefaults) {
  const Image a = test::load_rgb("src_a.rgb", 120, 90);
  const Image c = test::load_rgb("src_c.rgb", 37, 23);
  ASSERT_GT(a.width, 0);
  ASSERT_GT(c.width, 0);
  EXPECT_EQ(test::max_abs_diff(resize(a, 45, ResizeMode::keep_ratio), resample(a, 60, 45, Filter::box)), 0);
  EXPECT_EQ(test::max_abs_diff(resize(c, 46, ResizeMode::keep_ratio), resample(c, 74, 46, Filter::lanczos)), 0);
  EXPECT_GT(test::max_abs_diff(resize(c, 46, ResizeMode::keep_ratio), resample(c, 74, 46, Filter::bicubic)), 0);
}

TEST(Resize, CropChecksBounds) {
  const Image in = test::synth(10, 8);
  EXPECT_EQ(crop(in, 0, 0, 11, 8).width, 0);
  EXPECT_EQ(crop(in, -1, 0, 2, 2).width, 0);
  const Image c = crop(in, 3, 2, 4, 5);
  ASSERT_EQ(c.width, 4);
  EXPECT_EQ(c.rgb[0], in.rgb[(2 * 10 + 3) * 3]);
  EXPECT_EQ(c.rgb.back(), in.rgb[(6 * 10 + 6) * 3 + 2]);
}

}  // namespace
}  // namespace warcpairs::image
