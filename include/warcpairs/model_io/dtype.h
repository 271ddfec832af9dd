// Element types of safetensors files and the F16/BF16/F32 → float conversions the model loader needs.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace warcpairs::model_io {

// The dtypes warcpairs reads and writes: the byte-sized subset of the safetensors spec
// (F8/F6/F4, U16/U32/U64 and C64 are refused with a clear error).
enum class Dtype : uint8_t { kBool, kU8, kI8, kI16, kF16, kBF16, kI32, kF32, kF64, kI64 };

// "F32" → kF32; nullopt for names not listed above.
std::optional<Dtype> parse_dtype(std::string_view name);
// A tensor shape as the checkers print it: "[768,3072]".
std::string shape_text(std::span<const int64_t> shape);
std::string_view dtype_name(Dtype d);
size_t dtype_size(Dtype d);
// Position of the dtype in the Rust crate's `enum Dtype` (safetensors/src/tensor.rs), which is
// declared in increasing alignment order; the canonical writer sorts by it, descending.
int dtype_alignment_rank(Dtype d);
bool is_float(Dtype d);

// IEEE 754 binary16 → binary32, exact (subnormals, ±inf and NaN payloads kept).
float f16_to_float(uint16_t h);
// bfloat16 is the top half of a binary32: exact.
float bf16_to_float(uint16_t b);
// binary32 → binary16 / bfloat16, round to nearest even; NaN stays a quiet NaN, overflow → ±inf.
uint16_t float_to_f16(float f);
uint16_t float_to_bf16(float f);

// Converts little-endian elements of type `dtype` (F16, BF16, F32 or F64) to float. `bytes` may
// be unaligned. Throws warcpairs::Error for other dtypes or when out.size() != bytes.size()/itemsize.
void convert_to_float(Dtype dtype, std::span<const std::byte> bytes, std::span<float> out);

}  // namespace warcpairs::model_io
