// F16/BF16 ↔ float conversions: named IEEE 754 values, exhaustive round trips, and the
// compiler's own _Float16 conversion as an independent reference for rounding.
#include <gtest/gtest.h>

#include <bit>
#include <cmath>
#include <cstring>
#include <limits>

#include "warcpairs/core/error.h"
#include "warcpairs/model_io/dtype.h"

using namespace warcpairs;
using namespace warcpairs::model_io;

TEST(Dtype, NamesSizesAndParse) {
  for (auto d : {Dtype::kBool, Dtype::kU8, Dtype::kI8, Dtype::kI16, Dtype::kF16, Dtype::kBF16, Dtype::kI32,
                 Dtype::kF32, Dtype::kF64, Dtype::kI64})
    EXPECT_EQ(parse_dtype(dtype_name(d)), d);
  EXPECT_EQ(dtype_size(Dtype::kBF16), 2u);
  EXPECT_EQ(dtype_size(Dtype::kI64), 8u);
  EXPECT_EQ(dtype_size(Dtype::kBool), 1u);
  EXPECT_FALSE(parse_dtype("F8_E4M3"));
  EXPECT_FALSE(parse_dtype("bf16"));
  EXPECT_GT(dtype_alignment_rank(Dtype::kI64), dtype_alignment_rank(Dtype::kF64));  // enum order in tensor.rs
  EXPECT_GT(dtype_alignment_rank(Dtype::kBF16), dtype_alignment_rank(Dtype::kF16));
  EXPECT_GT(dtype_alignment_rank(Dtype::kI8), dtype_alignment_rank(Dtype::kU8));
}

TEST(Dtype, F16NamedValues) {
  EXPECT_EQ(f16_to_float(0x3c00), 1.0f);
  EXPECT_EQ(f16_to_float(0xc000), -2.0f);
  EXPECT_EQ(f16_to_float(0x7bff), 65504.0f);                  // largest finite
  EXPECT_EQ(f16_to_float(0x0400), std::ldexp(1.0f, -14));     // smallest normal
  EXPECT_EQ(f16_to_float(0x0001), std::ldexp(1.0f, -24));     // smallest subnormal
  EXPECT_EQ(f16_to_float(0x03ff), std::ldexp(1023.0f, -24));  // largest subnormal
  EXPECT_EQ(f16_to_float(0x8001), -std::ldexp(1.0f, -24));
  EXPECT_EQ(f16_to_float(0x3555), 0.333251953125f);
  EXPECT_EQ(f16_to_float(0x7c00), std::numeric_limits<float>::infinity());
  EXPECT_EQ(f16_to_float(0xfc00), -std::numeric_limits<float>::infinity());
  EXPECT_TRUE(std::signbit(f16_to_float(0x8000)) && f16_to_float(0x8000) == 0.0f);
  EXPECT_TRUE(std::isnan(f16_to_float(0x7e00)));
  EXPECT_TRUE(std::isnan(f16_to_float(0x7c01)));  // signalling NaN stays a NaN
  EXPECT_EQ(std::bit_cast<uint32_t>(f16_to_float(0xfe01)), 0xffc02000u);  // sign and payload kept
}

TEST(Dtype, F16ExhaustiveRoundTripAndAgainstCompiler) {
  for (uint32_t h = 0; h <= 0xffff; ++h) {
    const float f = f16_to_float(static_cast<uint16_t>(h));
    const _Float16 ref = std::bit_cast<_Float16>(static_cast<uint16_t>(h));
    if (std::isnan(f)) {
      EXPECT_TRUE(std::isnan(static_cast<float>(ref)));
      EXPECT_EQ(float_to_f16(f) & 0x7e00u, 0x7e00u) << h;  // quiet NaN out
      continue;
    }
    ASSERT_EQ(std::bit_cast<uint32_t>(f), std::bit_cast<uint32_t>(static_cast<float>(ref))) << h;
    ASSERT_EQ(float_to_f16(f), h) << h;
  }
}

TEST(Dtype, FloatToF16RoundingMatchesCompiler) {
  // Every binary32 pattern whose low 12 bits are a few edge cases (ties, just above/below).
  uint64_t checked = 0;
  for (uint32_t hi = 0; hi < (1u << 20); ++hi) {
    for (uint32_t lo : {0x000u, 0x001u, 0x7ffu, 0x800u, 0x801u, 0xfffu}) {
      const uint32_t bits = (hi << 12) | lo;
      const float f = std::bit_cast<float>(bits);
      if (std::isnan(f)) continue;
      const uint16_t ref = std::bit_cast<uint16_t>(static_cast<_Float16>(f));
      ASSERT_EQ(float_to_f16(f), ref) << std::hex << bits;
      ++checked;
    }
  }
  EXPECT_GT(checked, 6000000u);
}

TEST(Dtype, FloatToF16NamedCases) {
  EXPECT_EQ(float_to_f16(65519.996f), 0x7bffu);
  EXPECT_EQ(float_to_f16(65520.0f), 0x7c00u);  // rounds up past the largest finite
  EXPECT_EQ(float_to_f16(1e10f), 0x7c00u);
  EXPECT_EQ(float_to_f16(-INFINITY), 0xfc00u);
  EXPECT_EQ(float_to_f16(1.0f + std::ldexp(1.0f, -11)), 0x3c00u);      // tie → even
  EXPECT_EQ(float_to_f16(1.0f + 3 * std::ldexp(1.0f, -11)), 0x3c02u);  // tie → even (up)
  EXPECT_EQ(float_to_f16(std::ldexp(1.0f, -25)), 0x0000u);             // tie with 0 → 0
  EXPECT_EQ(float_to_f16(std::ldexp(1.5f, -25)), 0x0001u);
  EXPECT_EQ(float_to_f16(-1e-9f), 0x8000u);
  EXPECT_EQ(float_to_f16(std::ldexp(1023.5f, -24)), 0x0400u);  // subnormal rounds into the normals
}

TEST(Dtype, Bf16) {
  EXPECT_EQ(bf16_to_float(0x3f80), 1.0f);
  EXPECT_EQ(bf16_to_float(0x4049), 3.140625f);
  EXPECT_EQ(bf16_to_float(0xff80), -INFINITY);
  EXPECT_EQ(bf16_to_float(0x0001), std::bit_cast<float>(0x00010000u));  // subnormal
  EXPECT_TRUE(std::isnan(bf16_to_float(0x7fc1)));
  EXPECT_EQ(float_to_bf16(1.0f + std::ldexp(1.0f, -8)), 0x3f80u);       // tie → even
  EXPECT_EQ(float_to_bf16(1.0f + 3 * std::ldexp(1.0f, -8)), 0x3f82u);   // tie → even (up)
  EXPECT_EQ(float_to_bf16(1.0f + std::ldexp(1.0f, -8) + std::ldexp(1.0f, -20)), 0x3f81u);
  EXPECT_EQ(float_to_bf16(std::numeric_limits<float>::max()), 0x7f80u);  // overflow → inf
  EXPECT_EQ(float_to_bf16(std::bit_cast<float>(0x7f800001u)) & 0x7fc0u, 0x7fc0u);  // NaN stays NaN
  for (uint32_t b = 0; b <= 0xffff; ++b) {
    const float f = bf16_to_float(static_cast<uint16_t>(b));
    if (std::isnan(f)) continue;
    ASSERT_EQ(float_to_bf16(f), b);
  }
}

TEST(Dtype, ConvertToFloatUnalignedAndErrors) {
  alignas(8) unsigned char buf[1 + 3 * 4] = {0};
  const float src[3] = {1.5f, -0.0f, 1e-40f};  // last one a binary32 subnormal
  std::memcpy(buf + 1, src, sizeof src);
  float out[3];
  convert_to_float(Dtype::kF32, std::span(reinterpret_cast<const std::byte*>(buf + 1), 12), out);
  EXPECT_EQ(std::memcmp(out, src, sizeof src), 0);
  const unsigned char f16[4] = {0x00, 0x3c, 0x01, 0x00};
  float two[2];
  convert_to_float(Dtype::kF16, std::as_bytes(std::span(f16)), two);
  EXPECT_EQ(two[0], 1.0f);
  EXPECT_EQ(two[1], std::ldexp(1.0f, -24));
  EXPECT_THROW(convert_to_float(Dtype::kI32, std::as_bytes(std::span(f16)), std::span(two, 1)), Error);
  EXPECT_THROW(convert_to_float(Dtype::kF16, std::as_bytes(std::span(f16)), std::span(two, 1)), Error);
}
