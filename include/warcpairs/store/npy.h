// NumPy .npy files (format version 1.0, numpy.lib.format) for the embeddings store: written
// atomically, read through a read-only memory map after the header is checked. Hand-written:
// Debian 12 packages no C or C++ reader or writer of the format, and the part we need is a
// 128-byte header (a Python dict literal) in front of the raw array.
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace warcpairs::store {

// Streams one C-order array into "<path>.tmp"; commit() checks that exactly the bytes the
// shape promised were written, fsyncs and renames to `path`. An uncommitted writer removes
// its temporary.
class NpyWriter {
 public:
  // descr: numpy's dtype string, "<f2" (float16) or "<i8" (int64) here.
  NpyWriter(std::filesystem::path path, const std::string& descr, std::vector<int64_t> shape);
  ~NpyWriter();
  NpyWriter(const NpyWriter&) = delete;
  NpyWriter& operator=(const NpyWriter&) = delete;
  void write(const void* data, std::size_t bytes);
  void commit();

 private:
  std::filesystem::path path_, tmp_;
  int fd_ = -1;
  std::size_t expected_ = 0, written_ = 0;
};

// A .npy file mapped read-only. Throws Error (naming the file and, for the header, the byte
// offset) when it is not a .npy of the expected dtype and rank, is in Fortran order, or is
// shorter or longer than its shape says.
class NpyMap {
 public:
  NpyMap(const std::filesystem::path& path, const std::string& descr, std::size_t ndim);
  ~NpyMap();
  NpyMap(NpyMap&& other) noexcept;
  NpyMap& operator=(NpyMap&&) = delete;
  NpyMap(const NpyMap&) = delete;

  const std::vector<int64_t>& shape() const { return shape_; }
  const void* data() const { return data_; }
  std::size_t data_bytes() const { return data_bytes_; }
  // Tells the kernel the data will be read front to back (MADV_SEQUENTIAL + WILLNEED).
  void advise_sequential() const;

 private:
  void* map_ = nullptr;
  std::size_t map_bytes_ = 0;
  const void* data_ = nullptr;
  std::size_t data_bytes_ = 0;
  std::vector<int64_t> shape_;
};

// The header dictionary of a .npy: "{'descr': '<f2', 'fortran_order': False, 'shape': (3, 4), }"
// parsed strictly enough for what NpyWriter and numpy.save write. Exposed for the unit tests.
struct NpyHeader {
  std::string descr;
  bool fortran_order = false;
  std::vector<int64_t> shape;
};
// Throws Error with `where` when the dictionary is not one this reader understands.
NpyHeader parse_npy_header(const std::string& dict, const std::string& where);

}  // namespace warcpairs::store
