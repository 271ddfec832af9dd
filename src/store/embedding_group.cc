// EmbeddingGroupWriter/Reader (embedding_group.h): a 1-D id column (column_io.h) beside one
// chunked 2-D float16 dataset.
#include "embedding_group.h"

#include "column_io.h"
#include "shard_layout.h"
#include "warcpairs/core/error.h"
#include "warcpairs/core/float16.h"

namespace warcpairs::store {

h5::Handle float16_type(const std::string& file) {
  h5::Handle t(H5Tcopy(H5T_IEEE_F32LE), "copy float type", file);
  // sign bit 15, exponent bits 10..14, mantissa bits 0..9, bias 15: binary16 (h5py's recipe).
  h5::check(H5Tset_fields(t.get(), 15, 10, 5, 0, 10), "set float16 fields", file);
  h5::check(H5Tset_size(t.get(), 2), "set float16 size", file);
  h5::check(H5Tset_ebias(t.get(), 15), "set float16 bias", file);
  return t;
}

namespace {

// Rows [first, first + n) of a rows × dim dataset: the file's selection and a memory space.
struct RowSelection {
  h5::Handle file_space, memory_space;
};
RowSelection select_rows(hid_t dset, hsize_t first, hsize_t n, hsize_t dim, const std::string& path) {
  RowSelection s{h5::Handle(H5Dget_space(dset), "get dataspace", path), {}};
  hsize_t start[2] = {first, 0}, count[2] = {n, dim};
  h5::check(H5Sselect_hyperslab(s.file_space.get(), H5S_SELECT_SET, start, nullptr, count, nullptr),
            "select rows", path);
  s.memory_space = h5::Handle(H5Screate_simple(2, count, nullptr), "create memory space", path);
  return s;
}

}  // namespace

EmbeddingGroupWriter::EmbeddingGroupWriter(hid_t file, int64_t dim, const std::string& path)
    : dim_(dim), path_(path),
      group_(H5Gcreate2(file, "embeddings", H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT),
             "create group embeddings", path),
      type_(float16_type(path)) {
  if (dim < 1) throw Error("embedding dimension " + std::to_string(dim), path);
  images_ = column::create(group_.get(), "image", column::Kind::kInt64, layout::kChunkRows, path);
  hsize_t zero[2] = {0, static_cast<hsize_t>(dim)};
  hsize_t max[2] = {H5S_UNLIMITED, static_cast<hsize_t>(dim)};
  hsize_t chunk[2] = {256, static_cast<hsize_t>(dim)};
  h5::Handle space(H5Screate_simple(2, zero, max), "create dataspace", path);
  h5::Handle dcpl(H5Pcreate(H5P_DATASET_CREATE), "create dcpl", path);
  h5::check(H5Pset_chunk(dcpl.get(), 2, chunk), "set chunk", path);
  // No compression: float16 noise does not deflate, and merge reads every value once.
  vectors_ = h5::Handle(H5Dcreate2(group_.get(), "vector", type_.get(), space.get(), H5P_DEFAULT,
                                   dcpl.get(), H5P_DEFAULT), "create dataset vector", path);
}

void EmbeddingGroupWriter::add(int64_t image, const float* vector) {
  ids_.push_back(image);
  const std::size_t at = halves_.size();
  halves_.resize(at + static_cast<std::size_t>(dim_));
  to_float16(vector, static_cast<std::size_t>(dim_), halves_.data() + at);
  if (ids_.size() >= layout::kChunkRows) flush();
}

void EmbeddingGroupWriter::flush() {
  if (ids_.empty()) return;
  const hsize_t n = ids_.size();
  column::append(images_.get(), column::Kind::kInt64, written_, n, ids_.data(), path_);
  hsize_t total[2] = {written_ + n, static_cast<hsize_t>(dim_)};
  h5::check(H5Dset_extent(vectors_.get(), total), "extend vector", path_);
  const auto sel = select_rows(vectors_.get(), written_, n, static_cast<hsize_t>(dim_), path_);
  h5::check(H5Dwrite(vectors_.get(), type_.get(), sel.memory_space.get(), sel.file_space.get(),
                     H5P_DEFAULT, halves_.data()), "write vector", path_);
  written_ += n;
  ids_.clear();
  halves_.clear();
}

EmbeddingGroupReader::EmbeddingGroupReader(hid_t file, const std::string& path)
    : path_(path), group_(H5Gopen2(file, "embeddings", H5P_DEFAULT), "open group embeddings", path),
      type_(float16_type(path)) {
  images_ = column::open(group_.get(), "image", column::Kind::kInt64, path);
  rows_ = static_cast<int64_t>(column::length(images_.get(), path));
  vectors_ = h5::Handle(H5Dopen2(group_.get(), "vector", H5P_DEFAULT), "open dataset vector", path);
  h5::Handle ftype(H5Dget_type(vectors_.get()), "get vector type", path);
  h5::Handle space(H5Dget_space(vectors_.get()), "get dataspace", path);
  hsize_t dims[2] = {0, 0};
  if (H5Tget_class(ftype.get()) != H5T_FLOAT || H5Tget_size(ftype.get()) != 2 ||
      H5Sget_simple_extent_ndims(space.get()) != 2)
    throw Error("embeddings/vector is not a 2-D float16 dataset", path);
  H5Sget_simple_extent_dims(space.get(), dims, nullptr);
  if (static_cast<int64_t>(dims[0]) != rows_)
    throw Error("embeddings/vector has " + std::to_string(dims[0]) + " rows, embeddings/image " +
                    std::to_string(rows_), path);
  dim_ = static_cast<int64_t>(dims[1]);
}

void EmbeddingGroupReader::read(int64_t first, int64_t max_rows, std::vector<int64_t>& ids,
                                std::vector<uint16_t>& halves) {
  if (first < 0 || max_rows < 0) throw Error("negative row range", path_);
  const hsize_t begin = static_cast<hsize_t>(std::min(first, rows_));
  const hsize_t n = static_cast<hsize_t>(std::min<int64_t>(max_rows, rows_ - static_cast<int64_t>(begin)));
  ids.resize(n);
  halves.resize(n * static_cast<hsize_t>(dim_));
  if (n == 0) return;
  column::read(images_.get(), column::Kind::kInt64, begin, n, ids.data(), path_);
  const auto sel = select_rows(vectors_.get(), begin, n, static_cast<hsize_t>(dim_), path_);
  h5::check(H5Dread(vectors_.get(), type_.get(), sel.memory_space.get(), sel.file_space.get(),
                    H5P_DEFAULT, halves.data()), "read vector", path_);
}

}  // namespace warcpairs::store
