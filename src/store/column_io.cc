// Column datasets: creation properties (chunk, shuffle, deflate), append by hyperslab, read.
#include "column_io.h"

#include "shard_layout.h"
#include "warcpairs/core/error.h"

namespace warcpairs::store::column {

hid_t mem_type(Kind kind) {
  switch (kind) {
    case Kind::kInt64: return H5T_NATIVE_INT64;
    case Kind::kInt32: return H5T_NATIVE_INT32;
    case Kind::kBool: return H5T_NATIVE_UINT8;
    case Kind::kString: return H5I_INVALID_HID;
    case Kind::kFloat64: return H5T_NATIVE_DOUBLE;
    case Kind::kBytes: return H5T_NATIVE_UINT8;
  }
  return H5I_INVALID_HID;
}

std::string bytes_name(const char* column) { return std::string(column) + ".bytes"; }
std::string offsets_name(const char* column) { return std::string(column) + ".offsets"; }

namespace {
hid_t file_type(Kind kind) {
  switch (kind) {
    case Kind::kInt64: return H5T_STD_I64LE;
    case Kind::kInt32: return H5T_STD_I32LE;
    case Kind::kBool: return H5T_STD_U8LE;
    case Kind::kString: return H5I_INVALID_HID;
    case Kind::kFloat64: return H5T_IEEE_F64LE;
    case Kind::kBytes: return H5T_STD_U8LE;
  }
  return H5I_INVALID_HID;
}
}  // namespace

h5::Handle create(hid_t group, const char* name, Kind kind, hsize_t chunk_rows,
                  const std::string& file) {
  std::string what = std::string("create dataset ") + name;
  if (kind == Kind::kString) throw Error(what + ": a text column is two datasets", file);
  hsize_t zero = 0, unlimited = H5S_UNLIMITED;
  h5::Handle space(H5Screate_simple(1, &zero, &unlimited), "create dataspace", file);
  h5::Handle dcpl(H5Pcreate(H5P_DATASET_CREATE), "create dcpl", file);
  h5::check(H5Pset_chunk(dcpl.get(), 1, &chunk_rows), "set chunk", file);
  // Shuffle groups the bytes of neighbouring integers, which is what makes offsets and
  // small counts compress; single bytes (text) have nothing to group.
  if (kind != Kind::kBytes) h5::check(H5Pset_shuffle(dcpl.get()), "set shuffle", file);
  unsigned level = kind == Kind::kBytes ? layout::kTextDeflateLevel : layout::kDeflateLevel;
  if (level > 0) h5::check(H5Pset_deflate(dcpl.get(), level), "set deflate", file);
  return h5::Handle(
      H5Dcreate2(group, name, file_type(kind), space.get(), H5P_DEFAULT, dcpl.get(), H5P_DEFAULT),
      what.c_str(), file);
}

void append(hid_t dset, Kind kind, hsize_t at, hsize_t n, const void* buf,
            const std::string& file) {
  if (n == 0) return;
  hsize_t total = at + n;
  h5::check(H5Dset_extent(dset, &total), "extend dataset", file);
  h5::Handle fspace(H5Dget_space(dset), "get dataspace", file);
  h5::check(H5Sselect_hyperslab(fspace.get(), H5S_SELECT_SET, &at, nullptr, &n, nullptr),
            "select rows", file);
  h5::Handle mspace(H5Screate_simple(1, &n, nullptr), "create memory space", file);
  h5::check(H5Dwrite(dset, mem_type(kind), mspace.get(), fspace.get(), H5P_DEFAULT, buf),
            "write rows", file);
}

h5::Handle open(hid_t group, const char* name, Kind kind, const std::string& file) {
  std::string what = std::string("open dataset ") + name;
  h5::Handle dset(H5Dopen2(group, name, H5P_DEFAULT), what.c_str(), file);
  h5::Handle type(H5Dget_type(dset.get()), "get dataset type", file);
  H5T_class_t cls = H5Tget_class(type.get());
  bool ok = kind == Kind::kFloat64  ? cls == H5T_FLOAT
            : kind == Kind::kBytes ? cls == H5T_INTEGER && H5Tget_size(type.get()) == 1
                                   : kind != Kind::kString && cls == H5T_INTEGER;
  h5::Handle space(H5Dget_space(dset.get()), "get dataspace", file);
  if (!ok || H5Sget_simple_extent_ndims(space.get()) != 1)
    throw Error(std::string("dataset ") + name + " has an unexpected type or rank", file);
  return dset;
}

hsize_t length(hid_t dset, const std::string& file) {
  h5::Handle space(H5Dget_space(dset), "get dataspace", file);
  hsize_t n = 0;
  if (H5Sget_simple_extent_dims(space.get(), &n, nullptr) != 1)
    throw Error("dataset is not one-dimensional", file);
  return n;
}

void read(hid_t dset, Kind kind, hsize_t first, hsize_t n, void* buf, const std::string& file) {
  if (n == 0) return;
  h5::Handle fspace(H5Dget_space(dset), "get dataspace", file);
  h5::check(H5Sselect_hyperslab(fspace.get(), H5S_SELECT_SET, &first, nullptr, &n, nullptr),
            "select rows", file);
  h5::Handle mspace(H5Screate_simple(1, &n, nullptr), "create memory space", file);
  h5::check(H5Dread(dset, mem_type(kind), mspace.get(), fspace.get(), H5P_DEFAULT, buf),
            "read rows", file);
}

}  // namespace warcpairs::store::column
