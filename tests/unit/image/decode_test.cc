// decode() on files encoded in the test with libpng, libwebp and libjpeg-turbo: every PNG
// colour type and depth, Adam7, alpha on white, WebP lossless/lossy, JPEG DCT scaling, reuse.
#include <cmath>

#include <gtest/gtest.h>

#include "encoders.h"
#include "fixtures.h"
#include "warcpairs/image/image.h"

namespace warcpairs::image {
namespace {

using test::max_abs_diff;
using test::synth;

uint8_t white(uint8_t c, uint8_t a) { return static_cast<uint8_t>(std::lround(c * a / 255.0 + 255 - a)); }

TEST(Sniff, MagicBytes) {
  const std::vector<uint8_t> riff = {'R', 'I', 'F', 'F', 0, 0, 0, 0, 'W', 'E', 'B', 'P'};
  const std::vector<uint8_t> wave = {'R', 'I', 'F', 'F', 0, 0, 0, 0, 'W', 'A', 'V', 'E'};
  EXPECT_EQ(sniff(riff), Format::webp);
  EXPECT_EQ(sniff(wave), Format::unknown);
  EXPECT_EQ(sniff(std::vector<uint8_t>{0xFF, 0xD8, 0xFF, 0xE0}), Format::jpeg);
  EXPECT_EQ(sniff(std::vector<uint8_t>{0xFF, 0xD8}), Format::unknown);
  EXPECT_EQ(sniff(std::vector<uint8_t>{'G', 'I', 'F', '8', '7', 'a'}), Format::gif);
  EXPECT_EQ(sniff(std::vector<uint8_t>{'G', 'I', 'F', '8', '8', 'a'}), Format::unknown);
  EXPECT_EQ(sniff({}), Format::unknown);
  EXPECT_STREQ(mime_type(Format::webp), "image/webp");
  EXPECT_STREQ(mime_type(Format::unknown), "application/octet-stream");
}

TEST(DecodePng, Rgb8PlainAndAdam7AreExact) {
  const Image src = synth(37, 29, 3);
  for (bool interlaced : {false, true}) {
    const auto bytes = test::encode_png({.width = 37, .height = 29, .interlaced = interlaced,
                                         .samples = src.rgb});
    const DecodeResult r = decode(bytes);
    ASSERT_TRUE(r.ok) << r.error << r.detail;
    EXPECT_EQ(r.format, Format::png);
    EXPECT_EQ(r.width, 37);
    EXPECT_EQ(r.height, 29);
    EXPECT_EQ(max_abs_diff(r.image, src), 0) << "interlaced " << interlaced;
  }
}

TEST(DecodePng, RgbaIsCompositedOnWhite) {
  const Image src = synth(20, 10, 4);
  std::vector<uint8_t> rgba;
  Image want{20, 10, {}};
  for (int i = 0; i < 200; ++i) {
    const uint8_t a = static_cast<uint8_t>(i * 255 / 199);
    rgba.insert(rgba.end(), {src.rgb[i * 3], src.rgb[i * 3 + 1], src.rgb[i * 3 + 2], a});
    for (int c = 0; c < 3; ++c) want.rgb.push_back(white(src.rgb[i * 3 + c], a));
  }
  for (bool interlaced : {false, true}) {
    const auto r = decode(test::encode_png({.width = 20, .height = 10,
                                            .color_type = PNG_COLOR_TYPE_RGBA,
                                            .interlaced = interlaced, .samples = rgba}));
    ASSERT_TRUE(r.ok) << r.detail;
    EXPECT_EQ(max_abs_diff(r.image, want), 0);
  }
  EXPECT_EQ(want.rgb[0], 255);  // alpha 0 is white whatever the colour
}

TEST(DecodePng, GrayGrayAlphaAnd16Bit) {
  std::vector<uint8_t> gray, gray_alpha, rgb16;
  Image want_gray{16, 4, {}}, want_ga{16, 4, {}}, want16{16, 4, {}};
  for (int i = 0; i < 64; ++i) {
    const uint8_t v = static_cast<uint8_t>(i * 4), a = static_cast<uint8_t>(255 - i * 3);
    gray.push_back(v);
    gray_alpha.insert(gray_alpha.end(), {v, a});
    // 16-bit samples: the high byte survives (PIL's RGB;16B), the low byte is noise.
    rgb16.insert(rgb16.end(), {v, 0xFF, static_cast<uint8_t>(255 - v), 0x80, a, 0x01});
    want_gray.rgb.insert(want_gray.rgb.end(), {v, v, v});
    want_ga.rgb.insert(want_ga.rgb.end(), 3, white(v, a));
    want16.rgb.insert(want16.rgb.end(), {v, static_cast<uint8_t>(255 - v), a});
  }
  auto r = decode(test::encode_png({.width = 16, .height = 4, .color_type = PNG_COLOR_TYPE_GRAY,
                                    .samples = gray}));
  ASSERT_TRUE(r.ok);
  EXPECT_EQ(max_abs_diff(r.image, want_gray), 0);
  r = decode(test::encode_png({.width = 16, .height = 4, .color_type = PNG_COLOR_TYPE_GRAY_ALPHA,
                               .samples = gray_alpha}));
  ASSERT_TRUE(r.ok);
  EXPECT_EQ(max_abs_diff(r.image, want_ga), 0);
  r = decode(test::encode_png({.width = 16, .height = 4, .bit_depth = 16, .samples = rgb16}));
  ASSERT_TRUE(r.ok);
  EXPECT_EQ(max_abs_diff(r.image, want16), 0);
}

TEST(DecodePng, FourBitPaletteWithTransparency) {
  // 4-bit indices, two per byte; entry 2 fully transparent, entry 3 half.
  std::vector<png_color> pal = {{255, 0, 0}, {0, 255, 0}, {0, 0, 255}, {10, 20, 30}};
  const std::vector<uint8_t> trns = {255, 255, 0, 128};
  const std::vector<uint8_t> samples = {0x01, 0x23, 0x32, 0x10};  // 4x2: 0 1 2 3 / 3 2 1 0
  const auto r = decode(test::encode_png({.width = 4, .height = 2,
                                          .color_type = PNG_COLOR_TYPE_PALETTE, .bit_depth = 4,
                                          .samples = samples, .palette = pal, .trns = trns}));
  ASSERT_TRUE(r.ok) << r.detail;
  const std::vector<uint8_t> want = {255, 0, 0, 0, 255, 0, 255, 255, 255,
                                     white(10, 128), white(20, 128), white(30, 128)};
  EXPECT_EQ(std::vector<uint8_t>(r.image.rgb.begin(), r.image.rgb.begin() + 12), want);
  EXPECT_EQ(r.image.rgb[12], white(10, 128));  // second row starts with index 3
}

TEST(DecodeWebp, LosslessExactLossyClose) {
  const Image src = synth(41, 23, 5);
  auto r = decode(test::encode_webp(src.rgb.data(), 41, 23, false, true));
  ASSERT_TRUE(r.ok) << r.detail;
  EXPECT_EQ(r.format, Format::webp);
  EXPECT_EQ(max_abs_diff(r.image, src), 0);
  r = decode(test::encode_webp(src.rgb.data(), 41, 23, false, false));
  ASSERT_TRUE(r.ok);
  EXPECT_EQ(r.image.width, 41);
  double err = 0;
  for (size_t i = 0; i < src.rgb.size(); ++i) err += std::abs(src.rgb[i] - r.image.rgb[i]);
  EXPECT_LT(err / src.rgb.size(), 12.0);  // lossy q90 on a noisy image
  std::vector<uint8_t> rgba;
  for (size_t i = 0; i < src.rgb.size(); i += 3) rgba.insert(rgba.end(), {src.rgb[i], src.rgb[i + 1], src.rgb[i + 2], 0});
  r = decode(test::encode_webp(rgba.data(), 41, 23, true, true));
  ASSERT_TRUE(r.ok);
  EXPECT_EQ(max_abs_diff(r.image, test::solid(41, 23, 255, 255, 255)), 0);
}

TEST(DecodeJpeg, EncodeRoundTripIsClose) {
  const Image src = test::smooth(64, 48);
  const auto bytes = encode_jpeg(src, 95);
  ASSERT_GT(bytes.size(), 100u);
  const auto r = decode(bytes);
  ASSERT_TRUE(r.ok);
  double mse = 0;
  for (size_t i = 0; i < src.rgb.size(); ++i) mse += std::pow(src.rgb[i] - r.image.rgb[i], 2);
  mse /= src.rgb.size();
  EXPECT_GT(10 * std::log10(255.0 * 255.0 / mse), 38.0);  // PSNR in dB
  EXPECT_TRUE(encode_jpeg(Image{}).empty());
}

TEST(DecodeJpeg, DctScalingKeepsBothSidesAtLeastMinSide) {
  const Image src = test::smooth(640, 480);
  const auto bytes = encode_jpeg(src, 90);
  const auto full = decode(bytes);
  const auto fast = decode(bytes, {.min_side = 224});
  ASSERT_TRUE(full.ok && fast.ok);
  EXPECT_EQ(fast.width, 640);  // the original size is reported
  EXPECT_EQ(fast.height, 480);
  EXPECT_EQ(fast.image.width, 320);  // 1/2: 240 >= 224
  EXPECT_EQ(fast.image.height, 240);
  EXPECT_EQ(decode(bytes, {.min_side = 100}).image.width, 160);  // 1/4 -> 120 high
  EXPECT_EQ(decode(bytes, {.min_side = 241}).image.width, 640);  // 5/8 would do: not SIMD
  EXPECT_EQ(decode(bytes, {.min_side = 481}).image.width, 640);  // never upscaled
  // The scaled decode looks like the full one shrunk: compare both at 160x120 (box).
  const Image a = resample(full.image, 160, 120, Filter::box);
  const Image b = resample(fast.image, 160, 120, Filter::box);
  double err = 0;
  for (size_t i = 0; i < a.rgb.size(); ++i) err += std::abs(a.rgb[i] - b.rgb[i]);
  EXPECT_LT(err / a.rgb.size(), 1.0);
}

TEST(Decode, ReusedResultIsResetBetweenCalls) {
  const Image src = synth(30, 20, 8);
  DecodeResult out;
  decode(encode_jpeg(src), {}, out);
  ASSERT_TRUE(out.ok);
  const std::vector<uint8_t> garbage = {1, 2, 3};
  decode(garbage, {}, out);
  EXPECT_FALSE(out.ok);
  EXPECT_EQ(out.error, kErrUnsupportedFormat);
  EXPECT_TRUE(out.image.rgb.empty());
  EXPECT_EQ(out.width, 0);
  decode(test::encode_png({.width = 30, .height = 20, .samples = src.rgb}), {}, out);
  ASSERT_TRUE(out.ok);
  EXPECT_TRUE(out.error.empty());
  EXPECT_EQ(max_abs_diff(out.image, src), 0);
}

}  // namespace
}  // namespace warcpairs::image
