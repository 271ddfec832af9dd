// decode() on bad bytes: pixel bombs refused from the header before any allocation, every
// truncation reported as image_truncated, corruption as image_corrupt, never a crash.
#include <chrono>
#include <cstring>

#include <gtest/gtest.h>

#include "encoders.h"
#include "fixtures.h"
#include "warcpairs/image/image.h"

namespace warcpairs::image {
namespace {

using Clock = std::chrono::steady_clock;

std::vector<uint8_t> png_header_only(uint32_t w, uint32_t h) {
  std::vector<uint8_t> out = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
  std::vector<uint8_t> ihdr;
  for (uint32_t v : {w, h}) {
    for (int i = 3; i >= 0; --i) ihdr.push_back(static_cast<uint8_t>(v >> (8 * i)));
  }
  ihdr.insert(ihdr.end(), {8, 2, 0, 0, 0});  // 8-bit RGB
  test::png_chunk(out, "IHDR", ihdr);
  return out;
}

TEST(DecodeBomb, PngClaiming100000SquaredFailsFastWithoutAllocating) {
  const auto start = Clock::now();
  const auto r = decode(png_header_only(100000, 100000));
  const auto took = Clock::now() - start;
  EXPECT_FALSE(r.ok);
  EXPECT_EQ(r.error, kErrTooManyPixels);
  EXPECT_EQ(r.width, 100000);
  EXPECT_EQ(r.height, 100000);
  EXPECT_TRUE(r.image.rgb.empty());
  EXPECT_EQ(r.image.rgb.capacity(), 0u);  // nothing allocated for 30 GB of pixels
  EXPECT_LT(took, std::chrono::milliseconds(50));
}

TEST(DecodeBomb, CapIsInclusiveAndConfigurable) {
  const auto bytes = test::encode_png({.width = 10, .height = 10,
                                       .samples = std::vector<uint8_t>(300, 7)});
  EXPECT_TRUE(decode(bytes, {.max_pixels = 100}).ok);
  const auto r = decode(bytes, {.max_pixels = 99});
  EXPECT_EQ(r.error, kErrTooManyPixels);
  EXPECT_EQ(r.width, 10);
}

TEST(DecodeBomb, JpegWebpGifHeadersAreCheckedBeforeDecoding) {
  // JPEG: patch the SOF0 frame size (B.2.2: P, Y, X after the length) to 60000 x 60000.
  auto jpeg = encode_jpeg(test::smooth(16, 16));
  for (size_t i = 2; i + 8 < jpeg.size(); ++i) {
    if (jpeg[i] == 0xFF && jpeg[i + 1] == 0xC0) {
      jpeg[i + 5] = 0xEA, jpeg[i + 6] = 0x60, jpeg[i + 7] = 0xEA, jpeg[i + 8] = 0x60;
      break;
    }
  }
  auto r = decode(jpeg);
  EXPECT_EQ(r.error, kErrTooManyPixels);
  EXPECT_EQ(r.width, 60000);
  // WebP lossless: the VP8L header's 14-bit width-1 and height-1 (after the 0x2f signature).
  const Image small = test::smooth(8, 8);
  auto webp = test::encode_webp(small.rgb.data(), 8, 8, false, true);
  ASSERT_EQ(std::memcmp(webp.data() + 12, "VP8L", 4), 0);
  uint32_t bits;
  std::memcpy(&bits, webp.data() + 21, 4);
  bits = (bits & ~0x0FFFFFFFu) | 0x3FFF | (0x3FFFu << 14);  // 16384 x 16384
  std::memcpy(webp.data() + 21, &bits, 4);
  r = decode(webp);
  EXPECT_EQ(r.error, kErrTooManyPixels);
  EXPECT_EQ(r.width, 16384);
  // GIF: a 65535 x 65535 logical screen around a 1x1 frame.
  const auto gif = test::encode_gif(65535, 65535, {0, 0, 0, 255, 255, 255},
                                    {{.width = 1, .height = 1, .indices = {1}}});
  r = decode(gif);
  EXPECT_EQ(r.error, kErrTooManyPixels);
  EXPECT_EQ(r.height, 65535);
}

// Every prefix that cuts into the pixel data is image_truncated; shorter ones (inside the
// signature) are unsupported or truncated; none crashes. `tail`: trailing bytes that carry no
// pixels (PNG's IEND chunk, GIF's trailer): losing only those is not an error.
void expect_prefixes_truncated(const std::vector<uint8_t>& bytes, size_t from, const char* name,
                               size_t tail = 0) {
  ASSERT_TRUE(decode(bytes).ok) << name;
  for (size_t n = 0; n < bytes.size() - tail; n += 1 + n / 16) {
    const auto r = decode(std::span(bytes.data(), n));
    EXPECT_FALSE(r.ok) << name << " prefix " << n;
    if (n >= from) {
      EXPECT_EQ(r.error, kErrTruncated) << name << " prefix " << n << " " << r.detail;
    }
  }
}

TEST(DecodeTruncated, EveryFormat) {
  const Image src = test::synth(40, 30, 9);
  expect_prefixes_truncated(encode_jpeg(src), 3, "jpeg");
  const auto png = test::encode_png({.width = 40, .height = 30, .samples = src.rgb});
  expect_prefixes_truncated(png, 8, "png", 12);
  EXPECT_TRUE(decode(std::span(png.data(), png.size() - 12)).ok);  // no IEND: all pixels there
  expect_prefixes_truncated(test::encode_webp(src.rgb.data(), 40, 30, false, false), 12, "webp lossy");
  expect_prefixes_truncated(test::encode_webp(src.rgb.data(), 40, 30, false, true), 12, "webp lossless");
  std::vector<uint8_t> idx(40 * 30);
  for (size_t i = 0; i < idx.size(); ++i) idx[i] = static_cast<uint8_t>(i % 4);
  const auto gif = test::encode_gif(40, 30, {0, 0, 0, 255, 0, 0, 0, 255, 0, 0, 0, 255},
                                    {{.width = 40, .height = 30, .indices = idx}});
  // The trailer and the block terminator carry no pixels.
  expect_prefixes_truncated(gif, 6, "gif", 2);
  const auto pil = test::read_bytes(test::data_dir() + "a_q75_progressive_444.jpg");
  expect_prefixes_truncated(pil, 3, "progressive jpeg");
  expect_prefixes_truncated(test::read_bytes(test::data_dir() + "a_anim.webp"), 12, "animated webp");
}

TEST(DecodeCorrupt, ReasonTokens) {
  EXPECT_EQ(decode({}).error, kErrUnsupportedFormat);
  const std::vector<uint8_t> bmp = {'B', 'M', 0, 0, 0, 0};
  EXPECT_EQ(decode(bmp).error, kErrUnsupportedFormat);
  // PNG with a broken IHDR CRC.
  auto png = png_header_only(4, 4);
  png.back() ^= 0x55;
  EXPECT_EQ(decode(png).error, kErrCorrupt);
  // PNG header with a 0 x 5 size.
  EXPECT_EQ(decode(png_header_only(0, 5)).error, kErrCorrupt);
  // JPEG: SOI then garbage where markers belong.
  std::vector<uint8_t> jpeg = {0xFF, 0xD8, 0xFF, 0x01, 0x02, 0x03, 0x04, 0x05};
  EXPECT_FALSE(decode(jpeg).ok);
  // GIF: an LZW code past the table (first code after clear must be a literal).
  auto gif = test::encode_gif(2, 1, {0, 0, 0, 255, 255, 255}, {{.width = 2, .height = 1, .indices = {0, 1}}});
  // Codes clear, 0, 1, end: 36 bits in one 5-byte sub-block before the terminator and trailer.
  const size_t data = gif.size() - 2 - 5;
  ASSERT_EQ(gif[data - 1], 5);  // the sub-block size
  gif[data] = 0x00, gif[data + 1] = 0xFF, gif[data + 2] = 0xFF;  // clear, then code 511
  EXPECT_EQ(decode(gif).error, kErrCorrupt);
}

TEST(DecodeCorrupt, FlippedBytesNeverCrash) {
  const Image src = test::synth(48, 32, 10);
  const std::vector<std::vector<uint8_t>> files = {
      encode_jpeg(src), test::encode_png({.width = 48, .height = 32, .samples = src.rgb}),
      test::encode_webp(src.rgb.data(), 48, 32, false, false),
      test::read_bytes(test::data_dir() + "a_interlaced.gif")};
  uint32_t s = 12345;
  int failures = 0, runs = 0;
  for (const auto& f : files) {
    for (int trial = 0; trial < 200; ++trial) {
      auto bytes = f;
      for (int k = 0; k < 3; ++k) {
        s ^= s << 13, s ^= s >> 17, s ^= s << 5;
        bytes[8 + s % (bytes.size() - 8)] ^= static_cast<uint8_t>(1 + (s >> 8) % 255);
      }
      const auto r = decode(bytes);
      ++runs;
      if (!r.ok) {
        ++failures;
        EXPECT_TRUE(r.error == kErrCorrupt || r.error == kErrTruncated ||
                    r.error == kErrTooManyPixels || r.error == kErrUnsupportedFormat) << r.error;
        EXPECT_TRUE(r.image.rgb.empty());
      } else {
        EXPECT_EQ(r.image.rgb.size(), static_cast<size_t>(r.image.width) * r.image.height * 3);
      }
    }
  }
  EXPECT_GT(failures, 0);  // the flips do reach the decoders
  EXPECT_LT(failures, runs);
}

}  // namespace
}  // namespace warcpairs::image
