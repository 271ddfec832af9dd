// One shard column = one extendible, chunked, compressed 1-D dataset; typed append and read.
// A text column is two such datasets: "<name>.bytes" (the UTF-8 of every row, concatenated)
// and "<name>.offsets" (int64, rows + 1 entries from 0: row i is bytes[offsets[i], offsets[i+1])).
#pragma once

#include <hdf5.h>

#include <cstdint>
#include <string>

#include "hdf5_handle.h"

namespace warcpairs::store::column {

// kInt64..kFloat64 in the order of layout::Member's alternatives, so Kind(member.index())
// names a field's type (kString: the field is text, stored as kBytes + kInt64 offsets).
enum class Kind { kInt64 = 0, kInt32 = 1, kBool = 2, kString = 3, kFloat64 = 4, kBytes = 5 };

// The in-memory HDF5 type of a numeric kind or of kBytes (uint8).
hid_t mem_type(Kind kind);

// The dataset names of a text column.
std::string bytes_name(const char* column);
std::string offsets_name(const char* column);

// kind: any but kString (create its two datasets as kBytes and kInt64).
h5::Handle create(hid_t group, const char* name, Kind kind, hsize_t chunk_rows,
                  const std::string& file);
// Grows the dataset to at + n rows and writes buf (n values of the kind's memory type) there.
void append(hid_t dset, Kind kind, hsize_t at, hsize_t n, const void* buf,
            const std::string& file);

// Opens a column and checks its on-disk type class against the kind; throws Error otherwise.
h5::Handle open(hid_t group, const char* name, Kind kind, const std::string& file);
hsize_t length(hid_t dset, const std::string& file);
void read(hid_t dset, Kind kind, hsize_t first, hsize_t n, void* buf, const std::string& file);

}  // namespace warcpairs::store::column
