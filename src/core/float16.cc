// float16.h: binary16 through GCC's _Float16 (libgcc's __truncsfhf2 / __extendhfsf2, or F16C
// instructions when the compiler may use them); bit patterns moved with memcpy.
#include "warcpairs/core/float16.h"

#include <cstring>

namespace warcpairs {

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

}  // namespace warcpairs
