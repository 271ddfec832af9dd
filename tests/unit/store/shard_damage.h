// Writing into a committed shard with the HDF5 C API, for the tests of damaged shards (kept
// apart from store_fixture.h, which tests of other layers include without HDF5).
#pragma once

#include <gtest/gtest.h>
#include <hdf5.h>

#include <cstdint>
#include <filesystem>

namespace warcpairs::store::testing {

// Damages a committed shard as a foreign tool might (the writer refuses such values):
// element `row` of the int64 dataset `dataset` (e.g. "/images/page_row") becomes `value`.
inline void overwrite_int64(const std::filesystem::path& shard, const char* dataset, hsize_t row,
                            int64_t value) {
  hid_t file = H5Fopen(shard.c_str(), H5F_ACC_RDWR, H5P_DEFAULT);
  hid_t dset = H5Dopen2(file, dataset, H5P_DEFAULT);
  hid_t fspace = H5Dget_space(dset);
  hsize_t one = 1;
  H5Sselect_hyperslab(fspace, H5S_SELECT_SET, &row, nullptr, &one, nullptr);
  hid_t mspace = H5Screate_simple(1, &one, nullptr);
  EXPECT_GE(H5Dwrite(dset, H5T_NATIVE_INT64, mspace, fspace, H5P_DEFAULT, &value), 0) << dataset;
  H5Sclose(mspace);
  H5Sclose(fspace);
  H5Dclose(dset);
  EXPECT_GE(H5Fclose(file), 0) << shard;
}

}  // namespace warcpairs::store::testing
