// Parity with PIL 9.4 on the fixtures of data/cases.txt (made by data/make_fixtures.py):
// resampling, the CLIP uint8 stage and draft-scaled JPEG decodes bit-exact, phash equal,
// decodes within a stated tolerance (0, CMYK 1).
#include <string>

#include <gtest/gtest.h>

#include "fixtures.h"
#include "warcpairs/image/image.h"

namespace warcpairs::image {
namespace {

using test::cases;
using test::load_rgb;
using test::max_abs_diff;

Filter filter_named(const std::string& name) {
  if (name == "box") return Filter::box;
  if (name == "bilinear") return Filter::bilinear;
  if (name == "bicubic") return Filter::bicubic;
  return Filter::lanczos;
}

TEST(PilParity, ResampleIsBitExact) {
  const auto all = cases("resample");
  ASSERT_GE(all.size(), 30u);
  for (const auto& c : all) {
    const Image src = load_rgb(c[1], std::stoi(c[2]), std::stoi(c[3]));
    ASSERT_GT(src.width, 0) << c[1];
    const int ow = std::stoi(c[5]), oh = std::stoi(c[6]);
    const Image want = load_rgb(c[7], ow, oh);
    ASSERT_GT(want.width, 0) << c[7];
    EXPECT_EQ(max_abs_diff(resample(src, ow, oh, filter_named(c[4])), want), 0) << c[7];
  }
}

TEST(PilParity, ClipResizeCropIsBitExact) {
  const auto all = cases("clip");
  ASSERT_GE(all.size(), 5u);
  for (const auto& c : all) {
    const Image src = load_rgb(c[1], std::stoi(c[2]), std::stoi(c[3]));
    const int size = std::stoi(c[4]);
    const Image want = load_rgb(c[5], size, size);
    ASSERT_GT(want.width, 0) << c[5];
    EXPECT_EQ(max_abs_diff(clip_resize_crop(src, size), want), 0) << c[5];
  }
}

TEST(PilParity, PhashEqualsImagehashSteps) {
  const auto all = cases("phash");
  ASSERT_GE(all.size(), 3u);
  for (const auto& c : all) {
    const Image src = load_rgb(c[1], std::stoi(c[2]), std::stoi(c[3]));
    char buf[17];
    std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(phash(src)));
    EXPECT_EQ(std::string(buf), c[4]) << c[1];
  }
}

// Same libjpeg-turbo, libpng and libwebp as PIL: the decodes match exactly, except where PIL
// converts itself (CMYK -> RGB rounds differently: <= 1).
TEST(PilParity, DecodesMatchPil) {
  const auto all = cases("decode");
  ASSERT_GE(all.size(), 10u);
  for (const auto& c : all) {
    const auto bytes = test::read_bytes(test::data_dir() + c[1]);
    ASSERT_FALSE(bytes.empty()) << c[1];
    const DecodeResult r = decode(bytes);
    ASSERT_TRUE(r.ok) << c[1] << ": " << r.error << " " << r.detail;
    const Image want = load_rgb(c[2], std::stoi(c[3]), std::stoi(c[4]));
    const int tolerance = c[1].find("cmyk") != std::string::npos ? 1 : 0;
    const int diff = max_abs_diff(r.image, want);
    EXPECT_GE(diff, 0) << c[1];
    EXPECT_LE(diff, tolerance) << c[1];
  }
}

// DecodeLimits::min_side picks the scale as PIL's draft() does, and libjpeg-turbo then gives
// PIL's pixels; the original size is still reported.
TEST(PilParity, JpegMinSideEqualsPilDraft) {
  const auto all = cases("draft");
  ASSERT_GE(all.size(), 4u);
  for (const auto& c : all) {
    const auto bytes = test::read_bytes(test::data_dir() + c[1]);
    const DecodeResult r = decode(bytes, {.min_side = std::stoi(c[2])});
    ASSERT_TRUE(r.ok) << c[3];
    EXPECT_EQ(r.width, 200);
    EXPECT_EQ(max_abs_diff(r.image, load_rgb(c[3], std::stoi(c[4]), std::stoi(c[5]))), 0) << c[3];
  }
}

}  // namespace
}  // namespace warcpairs::image
