// The GIF decoder (giflib) on hand-written GIFs (exact expectations): palettes, interlace,
// transparency, a frame smaller than the screen, several frames, LZW code-size growth.
#include <gtest/gtest.h>

#include "encoders.h"
#include "fixtures.h"
#include "warcpairs/image/image.h"

namespace warcpairs::image {
namespace {

using test::GifFrameSpec;

// 16 distinct colours: entry i is (i*16, 255 - i*16, i*7).
std::vector<uint8_t> palette16(int shift = 0) {
  std::vector<uint8_t> p;
  for (int i = 0; i < 16; ++i) {
    const int j = (i + shift) % 16;
    p.insert(p.end(), {static_cast<uint8_t>(j * 16), static_cast<uint8_t>(255 - j * 16),
                       static_cast<uint8_t>(j * 7)});
  }
  return p;
}

std::vector<uint8_t> indices(int w, int h, int seed) {
  std::vector<uint8_t> idx(static_cast<size_t>(w) * h);
  for (int y = 0; y < h; ++y) {
    for (int x = 0; x < w; ++x) idx[y * w + x] = static_cast<uint8_t>((x * 3 + y * 5 + seed) % 16);
  }
  return idx;
}

Image expected(int sw, int sh, const GifFrameSpec& f, const std::vector<uint8_t>& pal) {
  Image im = test::solid(sw, sh, 255, 255, 255);
  for (int y = 0; y < f.height; ++y) {
    for (int x = 0; x < f.width; ++x) {
      const int i = f.indices[y * f.width + x];
      if (i == f.transparent) continue;
      uint8_t* p = &im.rgb[((f.top + y) * sw + f.left + x) * 3];
      p[0] = pal[i * 3], p[1] = pal[i * 3 + 1], p[2] = pal[i * 3 + 2];
    }
  }
  return im;
}

TEST(DecodeGif, GlobalPaletteWithLongDataAcrossManySubBlocks) {
  // 100x70 = 7000 codes: many clear codes and many 255-byte sub-blocks.
  const GifFrameSpec f{.width = 100, .height = 70, .indices = indices(100, 70, 1)};
  const auto r = decode(test::encode_gif(100, 70, palette16(), {f}));
  ASSERT_TRUE(r.ok) << r.error << " " << r.detail;
  EXPECT_EQ(r.format, Format::gif);
  EXPECT_EQ(test::max_abs_diff(r.image, expected(100, 70, f, palette16())), 0);
}

TEST(DecodeGif, InterlacedRowsLandInPlace) {
  for (int h : {1, 2, 3, 5, 8, 9, 17, 33}) {  // every pass empty or not
    const GifFrameSpec f{.width = 7, .height = h, .interlaced = true, .indices = indices(7, h, h)};
    const auto r = decode(test::encode_gif(7, h, palette16(), {f}));
    ASSERT_TRUE(r.ok) << h;
    EXPECT_EQ(test::max_abs_diff(r.image, expected(7, h, f, palette16())), 0) << "height " << h;
  }
}

TEST(DecodeGif, LocalPaletteWinsOverGlobal) {
  const GifFrameSpec f{.width = 9, .height = 4, .local_palette = palette16(5),
                       .indices = indices(9, 4, 2)};
  const auto r = decode(test::encode_gif(9, 4, palette16(), {f}));
  ASSERT_TRUE(r.ok);
  EXPECT_EQ(test::max_abs_diff(r.image, expected(9, 4, f, palette16(5))), 0);
  EXPECT_GT(test::max_abs_diff(r.image, expected(9, 4, f, palette16())), 0);
}

TEST(DecodeGif, TransparencyAndSmallFrameShowWhite) {
  const GifFrameSpec f{.left = 3, .top = 2, .width = 5, .height = 4, .transparent = 7,
                       .indices = indices(5, 4, 3)};
  const auto r = decode(test::encode_gif(12, 9, palette16(), {f}));
  ASSERT_TRUE(r.ok);
  EXPECT_EQ(r.width, 12);
  EXPECT_EQ(r.height, 9);
  const Image want = expected(12, 9, f, palette16());
  EXPECT_EQ(test::max_abs_diff(r.image, want), 0);
  EXPECT_EQ(r.image.rgb[0], 255);  // outside the frame
}

TEST(DecodeGif, FrameBeyondTheScreenGrowsTheCanvas) {
  const GifFrameSpec f{.left = 4, .top = 0, .width = 6, .height = 3, .indices = indices(6, 3, 4)};
  const auto r = decode(test::encode_gif(5, 2, palette16(), {f}));
  ASSERT_TRUE(r.ok);
  EXPECT_EQ(r.image.width, 10);
  EXPECT_EQ(r.image.height, 3);
  EXPECT_EQ(test::max_abs_diff(r.image, expected(10, 3, f, palette16())), 0);
}

TEST(DecodeGif, FirstFrameOfSeveral) {
  const GifFrameSpec a{.width = 6, .height = 6, .indices = indices(6, 6, 0)};
  const GifFrameSpec b{.width = 6, .height = 6, .local_palette = palette16(3),
                       .indices = indices(6, 6, 9)};
  const auto r = decode(test::encode_gif(6, 6, palette16(), {a, b}));
  ASSERT_TRUE(r.ok);
  EXPECT_EQ(test::max_abs_diff(r.image, expected(6, 6, a, palette16())), 0);
}

TEST(DecodeGif, EarlyEndCodeLeavesTheRestWhiteAndNoPaletteIsGray) {
  // The data announce 4x4 but hold 3 pixels: browsers show the rest as background.
  GifFrameSpec f{.width = 4, .height = 4, .indices = {1, 2, 3}};
  auto bytes = test::encode_gif(4, 4, {}, {f});
  const auto r = decode(bytes);
  ASSERT_TRUE(r.ok) << r.error;
  EXPECT_EQ(r.image.rgb[3], 2);  // no colour table: index as grey
  EXPECT_EQ(r.image.rgb[6], 3);
  EXPECT_EQ(r.image.rgb[9], 255);
  EXPECT_EQ(r.image.rgb.back(), 255);
}

TEST(DecodeGif, EarlyEndCodeInsideALaterInterlacedRow) {
  // 5x9 interlaced, 12 pixels: rows 0 and 8 whole, then 2 pixels of row 4 (Appendix E order).
  std::vector<uint8_t> idx = indices(5, 9, 6);
  GifFrameSpec f{.width = 5, .height = 9, .interlaced = true, .indices = idx};
  const auto full = test::encode_gif(5, 9, palette16(), {f});
  f.interlaced = false;  // the encoder writes `indices` in the order given: data order here
  f.indices = {idx.begin(), idx.begin() + 5};
  f.indices.insert(f.indices.end(), idx.begin() + 40, idx.begin() + 45);
  f.indices.insert(f.indices.end(), idx.begin() + 20, idx.begin() + 22);
  auto bytes = test::encode_gif(5, 9, palette16(), {f});
  bytes[13 + 48 + 9] |= 0x40;  // set the interlace flag in the image descriptor's packed byte
  const auto r = decode(bytes);
  ASSERT_TRUE(r.ok) << r.error;
  const Image want = expected(5, 9, {.width = 5, .height = 9, .indices = idx}, palette16());
  for (int y = 0; y < 9; ++y) {
    for (int x = 0; x < 5; ++x) {
      const bool there = y == 0 || y == 8 || (y == 4 && x < 2);
      const uint8_t* got = &r.image.rgb[(y * 5 + x) * 3];
      const uint8_t* exp = &want.rgb[(y * 5 + x) * 3];
      EXPECT_EQ(got[0], there ? exp[0] : 255) << x << "," << y;
      EXPECT_EQ(got[1], there ? exp[1] : 255) << x << "," << y;
    }
  }
  ASSERT_TRUE(decode(full).ok);
}

TEST(DecodeGif, MissingBlockTerminatorAndTrailerStillDecode) {
  const GifFrameSpec f{.width = 30, .height = 20, .indices = indices(30, 20, 5)};
  const auto bytes = test::encode_gif(30, 20, palette16(), {f});
  const auto r = decode(std::span(bytes.data(), bytes.size() - 2));  // all pixel data there
  ASSERT_TRUE(r.ok) << r.error;
  EXPECT_EQ(test::max_abs_diff(r.image, expected(30, 20, f, palette16())), 0);
  // giflib reads whole sub-blocks: a cut inside the last one is a truncation, even where the
  // missing byte held only the end code.
  EXPECT_EQ(decode(std::span(bytes.data(), bytes.size() - 3)).error, kErrTruncated);
}

TEST(DecodeGif, NoImageBeforeTrailerIsCorrupt) {
  const std::vector<uint8_t> bytes = {'G', 'I', 'F', '8', '9', 'a', 1, 0, 1, 0, 0, 0, 0, 0x3B};
  const auto r = decode(bytes);
  EXPECT_EQ(r.error, kErrCorrupt);
  EXPECT_EQ(r.width, 1);
}

}  // namespace
}  // namespace warcpairs::image
