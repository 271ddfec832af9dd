// A score shard's optional /embeddings group: "image" (int64, n) and "vector" (float16, n × dim,
// the L2-normalised CLIP image embedding of each image; h5py reads it as numpy float16).
// Rows are buffered and appended kChunkRows at a time, like the other tables.
#pragma once

#include <hdf5.h>

#include <cstdint>
#include <string>
#include <vector>

#include "hdf5_handle.h"

namespace warcpairs::store {

// IEEE binary16, little-endian, as h5py makes it for numpy.float16 (no predefined HDF5 type).
h5::Handle float16_type(const std::string& file);

class EmbeddingGroupWriter {
 public:
  EmbeddingGroupWriter(hid_t file, int64_t dim, const std::string& path);
  // `vector`: dim floats, stored as float16.
  void add(int64_t image, const float* vector);
  void flush();
  int64_t dim() const { return dim_; }

 private:
  int64_t dim_;
  std::string path_;
  h5::Handle group_, images_, vectors_, type_;
  std::vector<int64_t> ids_;
  std::vector<uint16_t> halves_;
  hsize_t written_ = 0;
};

class EmbeddingGroupReader {
 public:
  EmbeddingGroupReader(hid_t file, const std::string& path);
  int64_t rows() const { return rows_; }
  int64_t dim() const { return dim_; }
  // Rows [first, first + n), n = min(max_rows, rows - first): ids and n × dim float16 bits.
  void read(int64_t first, int64_t max_rows, std::vector<int64_t>& ids, std::vector<uint16_t>& halves);

 private:
  std::string path_;
  h5::Handle group_, images_, vectors_, type_;
  int64_t rows_ = 0, dim_ = 0;
};

}  // namespace warcpairs::store
