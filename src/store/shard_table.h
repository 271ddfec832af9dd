// A shard group as a table: rows buffered and appended a chunk at a time (writer), or read
// back a batch at a time into reused row structs (reader). Column lists: shard_layout.h.
#pragma once

#include <hdf5.h>

#include <array>
#include <cstring>
#include <string>
#include <type_traits>
#include <vector>

#include "column_io.h"
#include "shard_layout.h"
#include "warcpairs/core/error.h"

namespace warcpairs::store {

// Reused gather/scatter buffers, one per memory type.
struct ColumnScratch {
  std::vector<int64_t> i64;
  std::vector<int32_t> i32;
  std::vector<uint8_t> u8;
  std::vector<const char*> str;
  std::vector<double> f64;
};

template <class Row, std::size_t N>
class TableWriter {
 public:
  TableWriter(hid_t file, const char* group, const std::array<layout::Column<Row>, N>& columns,
              hsize_t chunk_rows, const column::MemTypes& types, const std::string& path)
      : columns_(columns), chunk_(chunk_rows), path_(path), types_(&types),
        group_(H5Gcreate2(file, group, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT), "create group", path) {
    for (std::size_t i = 0; i < N; ++i)
      datasets_[i] = column::create(group_.get(), columns_[i].name,
                                    column::Kind(columns_[i].member.index()), chunk_, path_);
    rows_.resize(chunk_);
  }

  // Copy-assigning into a kept row reuses its strings' capacity: no allocation per row.
  int64_t add(const Row& row) {
    rows_[buffered_++] = row;
    if (buffered_ == chunk_) flush();
    return total_++;
  }

  void flush() {
    for (std::size_t i = 0; i < N; ++i) {
      const void* buf = gather(columns_[i].member);
      column::append(datasets_[i].get(), types_->of(column::Kind(columns_[i].member.index())),
                     written_, buffered_, buf, path_);
    }
    written_ += buffered_;
    buffered_ = 0;
  }
  int64_t total() const { return total_; }

 private:
  const void* gather(const layout::Member<Row>& member) {
    return std::visit(
        [&](auto ptr) -> const void* {
          using T = std::remove_cvref_t<decltype(std::declval<Row>().*ptr)>;
          if constexpr (std::is_same_v<T, int64_t>) return fill(scratch_.i64, ptr);
          else if constexpr (std::is_same_v<T, int32_t>) return fill(scratch_.i32, ptr);
          else if constexpr (std::is_same_v<T, bool>) return fill(scratch_.u8, ptr);
          else if constexpr (std::is_same_v<T, double>) return fill(scratch_.f64, ptr);
          else return fill(scratch_.str, ptr);
        },
        member);
  }
  template <class Out, class Ptr>
  const void* fill(std::vector<Out>& out, Ptr ptr) {
    out.resize(buffered_);
    for (std::size_t r = 0; r < buffered_; ++r) {
      if constexpr (std::is_same_v<Out, const char*>) out[r] = (rows_[r].*ptr).c_str();
      else out[r] = static_cast<Out>(rows_[r].*ptr);
    }
    return out.data();
  }

  const std::array<layout::Column<Row>, N>& columns_;
  hsize_t chunk_;
  std::string path_;
  const column::MemTypes* types_;
  h5::Handle group_;
  std::array<h5::Handle, N> datasets_;
  std::vector<Row> rows_;
  ColumnScratch scratch_;
  std::size_t buffered_ = 0;
  hsize_t written_ = 0;
  int64_t total_ = 0;
};

template <class Row, std::size_t N>
class TableReader {
 public:
  TableReader(hid_t file, const char* group, const std::array<layout::Column<Row>, N>& columns,
              const std::string& path)
      : columns_(columns), path_(path),
        group_(H5Gopen2(file, group, H5P_DEFAULT),
               (std::string("open group ") + group).c_str(), path) {
    for (std::size_t i = 0; i < N; ++i) {
      datasets_[i] = column::open(group_.get(), columns_[i].name,
                                  column::Kind(columns_[i].member.index()), path_);
      hsize_t n = column::length(datasets_[i].get(), path_);
      if (i == 0) rows_ = n;
      else if (n != rows_)
        throw Error(std::string("columns of ") + group + " differ in length", path_);
    }
  }

  int64_t rows() const { return static_cast<int64_t>(rows_); }

  void read(int64_t first, int64_t max_rows, std::vector<Row>& out,
            const column::MemTypes& types, column::VlenArena& arena) {
    if (first < 0 || max_rows < 0) throw Error("negative row range", path_);
    hsize_t begin = std::min<hsize_t>(first, rows_);
    hsize_t n = std::min<hsize_t>(max_rows, rows_ - begin);
    out.resize(n);
    for (std::size_t i = 0; i < N; ++i) {
      std::visit([&](auto ptr) { scatter(i, ptr, begin, n, out, types, arena); },
                 columns_[i].member);
    }
  }

 private:
  template <class Ptr>
  void scatter(std::size_t i, Ptr ptr, hsize_t first, hsize_t n, std::vector<Row>& out,
               const column::MemTypes& types, column::VlenArena& arena) {
    using T = std::remove_cvref_t<decltype(std::declval<Row>().*ptr)>;
    auto kind = column::Kind(columns_[i].member.index());
    auto run = [&](auto& buf) {
      buf.resize(n);
      column::read(datasets_[i].get(), types.of(kind), arena.xfer(), first, n, buf.data(), path_);
    };
    if constexpr (std::is_same_v<T, std::string>) {
      run(scratch_.str);
      for (hsize_t r = 0; r < n; ++r) {
        const char* s = scratch_.str[r];
        if (s) (out[r].*ptr).assign(s, std::strlen(s));
        else (out[r].*ptr).clear();
      }
      arena.reset();
    } else if constexpr (std::is_same_v<T, bool>) {
      run(scratch_.u8);
      for (hsize_t r = 0; r < n; ++r) out[r].*ptr = scratch_.u8[r] != 0;
    } else if constexpr (std::is_same_v<T, double>) {
      run(scratch_.f64);
      for (hsize_t r = 0; r < n; ++r) out[r].*ptr = scratch_.f64[r];
    } else if constexpr (std::is_same_v<T, int32_t>) {
      run(scratch_.i32);
      for (hsize_t r = 0; r < n; ++r) out[r].*ptr = scratch_.i32[r];
    } else {
      run(scratch_.i64);
      for (hsize_t r = 0; r < n; ++r) out[r].*ptr = scratch_.i64[r];
    }
  }

  const std::array<layout::Column<Row>, N>& columns_;
  std::string path_;
  h5::Handle group_;
  std::array<h5::Handle, N> datasets_;
  ColumnScratch scratch_;
  hsize_t rows_ = 0;
};

}  // namespace warcpairs::store
