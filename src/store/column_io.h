// One shard column = one extendible, chunked, compressed 1-D dataset; typed append and read.
#pragma once

#include <hdf5.h>

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "hdf5_handle.h"

namespace warcpairs::store::column {

// Same order as layout::Member's alternatives, so Kind(member.index()) names the type.
enum class Kind { kInt64 = 0, kInt32 = 1, kBool = 2, kString = 3, kFloat64 = 4 };

// The in-memory types of the kinds (the string one is an object, so it is owned here).
class MemTypes {
 public:
  explicit MemTypes(const std::string& file);
  hid_t of(Kind kind) const;

 private:
  h5::Handle string_;
};

h5::Handle create(hid_t group, const char* name, Kind kind, hsize_t chunk_rows,
                  const std::string& file);
// Grows the dataset to at + n rows and writes buf (n values of the kind's memory type) there.
void append(hid_t dset, hid_t mem_type, hsize_t at, hsize_t n, const void* buf,
            const std::string& file);

// Opens a column and checks its on-disk type class against the kind; throws Error otherwise.
h5::Handle open(hid_t group, const char* name, Kind kind, const std::string& file);
hsize_t length(hid_t dset, const std::string& file);
void read(hid_t dset, hid_t mem_type, hid_t xfer, hsize_t first, hsize_t n, void* buf,
          const std::string& file);

// Bump allocator handed to HDF5 for variable-length strings during a read: one batch's
// strings live in a few large blocks that are reused for the next batch, instead of one
// malloc + free per string.
class VlenArena {
 public:
  VlenArena();
  // A dataset transfer property list that allocates vlen data from this arena.
  hid_t xfer() const { return xfer_.get(); }
  void reset();  // invalidates every string of the last read

 private:
  static void* allocate(std::size_t size, void* self);
  static void release(void*, void*) {}
  std::vector<std::unique_ptr<char[]>> blocks_;
  std::vector<std::size_t> sizes_;
  std::size_t block_ = 0, used_ = 0;
  h5::Handle xfer_;
};

}  // namespace warcpairs::store::column
