// Reads Hugging Face safetensors files: a validated index over a byte buffer or a memory map.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "warcpairs/model_io/dtype.h"

namespace warcpairs::model_io {

// One tensor of a safetensors file: a view into the file's bytes (little-endian, row-major),
// valid while the SafetensorsView / SafetensorsFile it came from lives. `data` may be unaligned
// in files from other writers; warcpairs' own writer aligns every tensor to 8 bytes.
struct TensorView {
  std::string_view name;
  Dtype dtype;
  std::span<const int64_t> shape;
  const std::byte* data;
  size_t size;  // bytes

  int64_t numel() const;
  std::span<const std::byte> bytes() const { return {data, size}; }
  // F16/BF16/F32/F64 → float, fresh vector; throws Error for other dtypes.
  std::vector<float> to_float() const;
};

// A parsed, fully validated safetensors buffer (format: github.com/huggingface/safetensors
// README "Format"; checks mirror safetensors/src/tensor.rs `read_metadata`/`validate`).
// Non-owning: the bytes must outlive it. Throws warcpairs::Error naming `source` and the tensor.
class SafetensorsView {
 public:
  static constexpr uint64_t kMaxHeaderBytes = 100'000'000;  // MAX_HEADER_SIZE in tensor.rs

  SafetensorsView(std::span<const std::byte> file, std::string source);

  // Tensor names in ascending byte order (std::string comparison).
  const std::vector<std::string>& names() const { return names_; }
  size_t size() const { return names_.size(); }
  bool contains(std::string_view name) const;
  std::optional<TensorView> find(std::string_view name) const;
  TensorView tensor(std::string_view name) const;  // throws Error if absent
  // The optional "__metadata__" string → string map.
  const std::map<std::string, std::string>& metadata() const { return metadata_; }
  uint64_t header_bytes() const { return header_bytes_; }  // N of the 8-byte prefix
  const std::string& source() const { return source_; }

 private:
  struct Entry {
    Dtype dtype;
    std::vector<int64_t> shape;
    uint64_t begin, end;  // relative to the data section
  };
  void parse(std::span<const std::byte> file);

  std::string source_;
  const std::byte* data_ = nullptr;  // start of the data section
  uint64_t header_bytes_ = 0;
  std::vector<std::string> names_;   // sorted, parallel to entries_
  std::vector<Entry> entries_;
  std::map<std::string, std::string> metadata_;
};

// A safetensors file mapped read-only into memory (mmap; closed and unmapped on destruction).
class SafetensorsFile {
 public:
  explicit SafetensorsFile(const std::string& path);
  ~SafetensorsFile();
  SafetensorsFile(const SafetensorsFile&) = delete;
  SafetensorsFile& operator=(const SafetensorsFile&) = delete;

  const SafetensorsView& view() const { return *view_; }
  const std::vector<std::string>& names() const { return view_->names(); }
  std::optional<TensorView> find(std::string_view name) const { return view_->find(name); }
  TensorView tensor(std::string_view name) const { return view_->tensor(name); }
  const std::map<std::string, std::string>& metadata() const { return view_->metadata(); }

 private:
  class Mapping;
  std::unique_ptr<Mapping> mapping_;
  std::unique_ptr<SafetensorsView> view_;
};

}  // namespace warcpairs::model_io
