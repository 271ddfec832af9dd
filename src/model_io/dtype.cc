// Dtype names/sizes of the safetensors format and exact half/bfloat16 conversions.
#include "warcpairs/model_io/dtype.h"

#include <bit>
#include <cstring>
#include <string>

#include "warcpairs/core/error.h"

namespace warcpairs::model_io {
namespace {
struct DtypeInfo {
  Dtype dtype;
  std::string_view name;
  size_t size;
  int rank;  // index in the Rust crate's enum: BOOL=0, F4, F6_E2M3, F6_E3M2, U8=4, I8=5, ...
};
// Ranks from `pub enum Dtype` in safetensors/src/tensor.rs (huggingface/safetensors, 2026-05):
// BOOL, F4, F6_E2M3, F6_E3M2, U8, I8, F8_E5M2, F8_E4M3, F8_E8M0, F8_E4M3FNUZ, F8_E5M2FNUZ,
// I16, U16, F16, BF16, I32, U32, F32, C64, F64, I64, U64.
constexpr DtypeInfo kInfo[] = {
    {Dtype::kBool, "BOOL", 1, 0}, {Dtype::kU8, "U8", 1, 4},     {Dtype::kI8, "I8", 1, 5},
    {Dtype::kI16, "I16", 2, 11},  {Dtype::kF16, "F16", 2, 13},  {Dtype::kBF16, "BF16", 2, 14},
    {Dtype::kI32, "I32", 4, 15},  {Dtype::kF32, "F32", 4, 17},  {Dtype::kF64, "F64", 8, 19},
    {Dtype::kI64, "I64", 8, 20},
};
const DtypeInfo& info(Dtype d) { return kInfo[static_cast<size_t>(d)]; }
}  // namespace

std::optional<Dtype> parse_dtype(std::string_view name) {
  for (const DtypeInfo& i : kInfo)
    if (i.name == name) return i.dtype;
  return std::nullopt;
}
std::string_view dtype_name(Dtype d) { return info(d).name; }
size_t dtype_size(Dtype d) { return info(d).size; }
int dtype_alignment_rank(Dtype d) { return info(d).rank; }
bool is_float(Dtype d) {
  return d == Dtype::kF16 || d == Dtype::kBF16 || d == Dtype::kF32 || d == Dtype::kF64;
}

float f16_to_float(uint16_t h) {
  const uint32_t sign = static_cast<uint32_t>(h & 0x8000u) << 16;
  const uint32_t exp = (h >> 10) & 0x1fu;
  uint32_t mant = h & 0x3ffu;
  uint32_t bits;
  if (exp == 0x1f) {
    bits = sign | 0x7f800000u | (mant << 13);  // inf, or NaN with its payload
  } else if (exp != 0) {
    bits = sign | ((exp + 112) << 23) | (mant << 13);  // rebias 15 → 127
  } else if (mant == 0) {
    bits = sign;  // ±0
  } else {
    // Subnormal: value = mant · 2^-24; normalise into binary32.
    int e = -1;
    do {
      mant <<= 1;
      ++e;
    } while ((mant & 0x400u) == 0);
    bits = sign | static_cast<uint32_t>(112 - e) << 23 | ((mant & 0x3ffu) << 13);
  }
  return std::bit_cast<float>(bits);
}

float bf16_to_float(uint16_t b) { return std::bit_cast<float>(static_cast<uint32_t>(b) << 16); }

uint16_t float_to_bf16(float f) {
  uint32_t x = std::bit_cast<uint32_t>(f);
  if ((x & 0x7fffffffu) > 0x7f800000u) return static_cast<uint16_t>((x >> 16) | 0x40u);  // quiet NaN
  x += 0x7fffu + ((x >> 16) & 1u);  // round to nearest, ties to even
  return static_cast<uint16_t>(x >> 16);
}

uint16_t float_to_f16(float f) {
  const uint32_t x = std::bit_cast<uint32_t>(f);
  const uint16_t sign = static_cast<uint16_t>((x >> 16) & 0x8000u);
  const uint32_t ax = x & 0x7fffffffu;
  if (ax > 0x7f800000u) return sign | 0x7e00u | static_cast<uint16_t>((ax >> 13) & 0x3ffu);
  if (ax >= 0x477ff000u) return sign | 0x7c00u;  // ≥ 65520 rounds to inf (and inf itself)
  if (ax < 0x38800000u) {
    // Result is subnormal or zero: value / 2^-24, rounded to nearest even.
    if (ax < 0x33000000u) return sign;  // < 2^-25: rounds to 0
    const uint32_t e = ax >> 23;
    const uint32_t m = (ax & 0x7fffffu) | 0x800000u;
    const uint32_t shift = 126 - e;  // 14 + (113 - e) with the implicit bit at 23
    uint32_t h = m >> shift;
    const uint32_t rem = m & ((1u << shift) - 1), half = 1u << (shift - 1);
    if (rem > half || (rem == half && (h & 1u))) ++h;
    return sign | static_cast<uint16_t>(h);
  }
  uint32_t h = ((ax >> 13) - (112u << 10));
  const uint32_t rem = ax & 0x1fffu;
  if (rem > 0x1000u || (rem == 0x1000u && (h & 1u))) ++h;  // carry may roll into the exponent
  return sign | static_cast<uint16_t>(h);
}

void convert_to_float(Dtype dtype, std::span<const std::byte> bytes, std::span<float> out) {
  const size_t item = dtype_size(dtype);
  if (!is_float(dtype))
    throw Error("cannot convert dtype " + std::string(dtype_name(dtype)) + " to float");
  if (bytes.size() != out.size() * item)
    throw Error("convert_to_float: " + std::to_string(bytes.size()) + " bytes for " +
                std::to_string(out.size()) + " elements of " + std::string(dtype_name(dtype)));
  static_assert(std::endian::native == std::endian::little, "safetensors data is little-endian");
  const std::byte* p = bytes.data();
  for (size_t i = 0; i < out.size(); ++i, p += item) {
    switch (dtype) {  // memcpy: tensor data need not be aligned in a file from another writer
      case Dtype::kF16: { uint16_t v; std::memcpy(&v, p, 2); out[i] = f16_to_float(v); break; }
      case Dtype::kBF16: { uint16_t v; std::memcpy(&v, p, 2); out[i] = bf16_to_float(v); break; }
      case Dtype::kF32: std::memcpy(&out[i], p, 4); break;
      default: { double v; std::memcpy(&v, p, 8); out[i] = static_cast<float>(v); break; }
    }
  }
}

std::string shape_text(std::span<const int64_t> shape) {
  std::string s = "[";
  for (size_t i = 0; i < shape.size(); ++i) {
    if (i) s += ',';
    s += std::to_string(shape[i]);
  }
  s += ']';
  return s;
}

}  // namespace warcpairs::model_io
