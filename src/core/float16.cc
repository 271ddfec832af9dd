// float16.h: binary16 through GCC's _Float16 (libgcc's __truncsfhf2 / __extendhfsf2, or F16C
// instructions when the compiler may use them); bit patterns moved with memcpy. Compilers
// without _Float16 on the target (clang 14 on x86-64, which builds the fuzz targets) use the
// bit-level conversions below, which the unit test holds equal to _Float16 on every binary16
// and on a sweep of floats.
#include "warcpairs/core/float16.h"

#include <cstring>

namespace warcpairs {
namespace {

uint32_t bits_of(float f) {
  uint32_t u;
  std::memcpy(&u, &f, sizeof u);
  return u;
}
float float_of(uint32_t u) {
  float f;
  std::memcpy(&f, &u, sizeof f);
  return f;
}

}  // namespace

// Round to nearest, ties to even (F. Giesen's well-known formulation): the subnormal range by
// one float addition whose rounding is the half's, the normal range by a biased carry.
uint16_t float16_bits_portable(float f) {
  const uint32_t x = bits_of(f);
  const uint32_t sign = (x >> 16) & 0x8000u;
  uint32_t a = x & 0x7fffffffu;
  constexpr uint32_t kInf32 = 255u << 23, kMax16 = (127u + 16u) << 23;  // 2^16: rounds to inf
  constexpr uint32_t kDenormMagic = ((127u - 15u) + (23u - 10u) + 1u) << 23;
  uint16_t h;
  if (a >= kMax16) {
    h = a > kInf32 ? 0x7e00 : 0x7c00;  // NaN (quiet) or infinity
  } else if (a < (113u << 23)) {       // below 2^-14: a binary16 subnormal or zero
    h = static_cast<uint16_t>(bits_of(float_of(a) + float_of(kDenormMagic)) - kDenormMagic);
  } else {
    const uint32_t odd = (a >> 13) & 1u;
    a += (static_cast<uint32_t>(15 - 127) << 23) + 0xfffu + odd;
    h = static_cast<uint16_t>(a >> 13);
  }
  return static_cast<uint16_t>(h | sign);
}

float float_from_float16_bits_portable(uint16_t h) {
  constexpr uint32_t kShiftedExp = 0x7c00u << 13;
  uint32_t o = (h & 0x7fffu) << 13;
  const uint32_t exp = o & kShiftedExp;
  o += (127u - 15u) << 23;
  if (exp == kShiftedExp) {
    o += (128u - 16u) << 23;  // infinity or NaN
  } else if (exp == 0) {      // zero or subnormal: renormalise with one float subtraction
    o += 1u << 23;
    o = bits_of(float_of(o) - float_of(113u << 23));
  }
  return float_of(o | (static_cast<uint32_t>(h & 0x8000u) << 16));
}

#if defined(__FLT16_MANT_DIG__) && !defined(__clang__)
static_assert(sizeof(_Float16) == sizeof(uint16_t));

void to_float16(const float* in, std::size_t n, uint16_t* out) {
  for (std::size_t i = 0; i < n; ++i) {
    const _Float16 h = static_cast<_Float16>(in[i]);
    std::memcpy(out + i, &h, sizeof h);
  }
}

void from_float16(const uint16_t* in, std::size_t n, float* out) {
  for (std::size_t i = 0; i < n; ++i) {
    _Float16 h;
    std::memcpy(&h, in + i, sizeof h);
    out[i] = static_cast<float>(h);
  }
}
#else
void to_float16(const float* in, std::size_t n, uint16_t* out) {
  for (std::size_t i = 0; i < n; ++i) out[i] = float16_bits_portable(in[i]);
}

void from_float16(const uint16_t* in, std::size_t n, float* out) {
  for (std::size_t i = 0; i < n; ++i) out[i] = float_from_float16_bits_portable(in[i]);
}
#endif

}  // namespace warcpairs
