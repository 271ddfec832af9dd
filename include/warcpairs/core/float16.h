// IEEE 754 binary16 ("float16", numpy's '<f2') as the embeddings store keeps CLIP embeddings:
// conversion to and from float32 through GCC's _Float16 (round to nearest even, as numpy's
// astype(np.float16)), so no stage needs LibTorch to read or write them.
#pragma once

#include <cstddef>
#include <cstdint>

namespace warcpairs {

// n floats → n binary16 bit patterns (little-endian uint16 on every platform we build for).
void to_float16(const float* in, std::size_t n, uint16_t* out);
// n binary16 bit patterns → n floats (exact: every binary16 is a float32).
void from_float16(const uint16_t* in, std::size_t n, float* out);

// The same conversions by bit manipulation, for compilers without _Float16 on the target
// (to_float16/from_float16 use them there); public so the unit test compares the two.
uint16_t float16_bits_portable(float f);
float float_from_float16_bits_portable(uint16_t h);

}  // namespace warcpairs
