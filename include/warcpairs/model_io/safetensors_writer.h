// Writes safetensors files byte for byte as the Hugging Face `safetensors` library does.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <span>
#include <string>
#include <vector>

#include "warcpairs/model_io/dtype.h"

namespace warcpairs::model_io {

// One tensor to write; `data` holds numel · itemsize little-endian bytes and must stay alive
// until the write returns.
struct TensorToWrite {
  std::string name;
  Dtype dtype;
  std::vector<int64_t> shape;
  std::span<const std::byte> data;
};

// What transformers' save_pretrained puts in "__metadata__".
inline std::map<std::string, std::string> pytorch_metadata() { return {{"format", "pt"}}; }

// The 8-byte length plus the JSON header, in the canonical layout of safetensors/src/tensor.rs
// `prepare`: tensors ordered by descending dtype alignment, then by name; data laid out in that
// order from offset 0; compact JSON ("__metadata__" first, then per tensor dtype, shape,
// data_offsets); header padded with spaces to a multiple of 8 so every tensor starts 8-aligned.
// Metadata keys are written sorted (the Rust crate keeps a HashMap: any order is valid).
// Throws Error on duplicate or reserved names, negative dims, or data of the wrong size.
std::string safetensors_header(const std::vector<TensorToWrite>& tensors,
                               const std::map<std::string, std::string>& metadata = {});

// The whole file in memory.
std::vector<std::byte> serialize_safetensors(const std::vector<TensorToWrite>& tensors,
                                             const std::map<std::string, std::string>& metadata = {});

// Writes "<path>.tmp", fsyncs it, renames it to `path` and fsyncs the directory, so `path` is
// either the old file or the complete new one.
void write_safetensors(const std::string& path, const std::vector<TensorToWrite>& tensors,
                       const std::map<std::string, std::string>& metadata = {});

// The same atomic write for any small file (config.json, vocab.txt, ...).
void write_file_atomically(const std::string& path, std::span<const std::span<const std::byte>> parts);

}  // namespace warcpairs::model_io
