// A shard group as a table: rows buffered and appended a chunk at a time (writer), or read
// back a batch at a time into reused row structs (reader). Column lists: shard_layout.h.
// A text column is two datasets (column_io.h): its bytes and rows + 1 offsets.
#pragma once

#include <hdf5.h>

#include <algorithm>
#include <array>
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
  std::vector<char> bytes;
  std::vector<double> f64;

  // The buffer of a numeric field type T (bool is stored as uint8).
  template <class T>
  auto& of() {
    if constexpr (std::is_same_v<T, bool>) return u8;
    else if constexpr (std::is_same_v<T, double>) return f64;
    else if constexpr (std::is_same_v<T, int32_t>) return i32;
    else return i64;
  }
};

template <class Row, std::size_t N>
class TableWriter {
 public:
  TableWriter(hid_t file, const char* group, const std::array<layout::Column<Row>, N>& columns,
              hsize_t chunk_rows, const std::string& path)
      : columns_(columns), chunk_(chunk_rows), path_(path),
        group_(H5Gcreate2(file, group, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT), "create group", path) {
    for (std::size_t i = 0; i < N; ++i) {
      auto kind = column::Kind(columns_[i].member.index());
      const char* name = columns_[i].name;
      if (kind == column::Kind::kString) {
        datasets_[i] = column::create(group_.get(), column::offsets_name(name).c_str(),
                                      column::Kind::kInt64, chunk_, path_);
        bytes_[i] = column::create(group_.get(), column::bytes_name(name).c_str(),
                                   column::Kind::kBytes, layout::kTextChunkBytes, path_);
      } else {
        datasets_[i] = column::create(group_.get(), name, kind, chunk_, path_);
      }
    }
    rows_.resize(chunk_);
  }

  // Copy-assigning into a kept row reuses its strings' capacity: no allocation per row.
  int64_t add(const Row& row) {
    rows_[buffered_++] = row;
    if (buffered_ == chunk_) flush();
    return total_++;
  }

  // The first flush also writes each text column's leading offset 0, so a table flushed
  // with no rows still has offsets of length rows + 1.
  void flush() {
    if (buffered_ == 0 && flushed_) return;
    for (std::size_t i = 0; i < N; ++i)
      std::visit([&](auto ptr) { write_column(i, ptr); }, columns_[i].member);
    written_ += buffered_;
    buffered_ = 0;
    flushed_ = true;
  }
  int64_t total() const { return total_; }

 private:
  template <class Ptr>
  void write_column(std::size_t i, Ptr ptr) {
    using T = std::remove_cvref_t<decltype(std::declval<Row>().*ptr)>;
    auto kind = column::Kind(columns_[i].member.index());
    auto put = [&](auto& out) {
      out.resize(buffered_);
      for (std::size_t r = 0; r < buffered_; ++r)
        out[r] = static_cast<std::remove_cvref_t<decltype(out[0])>>(rows_[r].*ptr);
      column::append(datasets_[i].get(), kind, written_, buffered_, out.data(), path_);
    };
    if constexpr (std::is_same_v<T, std::string>) {
      auto& bytes = scratch_.bytes;
      auto& offsets = scratch_.i64;
      bytes.clear();
      offsets.clear();
      if (!flushed_) offsets.push_back(0);
      for (std::size_t r = 0; r < buffered_; ++r) {
        const std::string& s = rows_[r].*ptr;
        bytes.insert(bytes.end(), s.begin(), s.end());
        offsets.push_back(text_end_[i] + static_cast<int64_t>(bytes.size()));
      }
      column::append(bytes_[i].get(), column::Kind::kBytes, text_end_[i], bytes.size(),
                     bytes.data(), path_);
      column::append(datasets_[i].get(), column::Kind::kInt64, flushed_ ? written_ + 1 : 0,
                     offsets.size(), offsets.data(), path_);
      text_end_[i] += static_cast<int64_t>(bytes.size());
    } else {
      put(scratch_.template of<T>());
    }
  }

  const std::array<layout::Column<Row>, N>& columns_;
  hsize_t chunk_;
  std::string path_;
  h5::Handle group_;
  std::array<h5::Handle, N> datasets_;  // a text column's offsets
  std::array<h5::Handle, N> bytes_;     // a text column's bytes (unused for other columns)
  std::array<int64_t, N> text_end_{};   // bytes written so far per text column
  std::vector<Row> rows_;
  ColumnScratch scratch_;
  std::size_t buffered_ = 0;
  hsize_t written_ = 0;
  bool flushed_ = false;
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
      auto kind = column::Kind(columns_[i].member.index());
      const char* name = columns_[i].name;
      hsize_t n = 0;
      if (kind == column::Kind::kString) {
        datasets_[i] = column::open(group_.get(), column::offsets_name(name).c_str(),
                                    column::Kind::kInt64, path_);
        bytes_[i] = column::open(group_.get(), column::bytes_name(name).c_str(),
                                 column::Kind::kBytes, path_);
        text_size_[i] = column::length(bytes_[i].get(), path_);
        n = column::length(datasets_[i].get(), path_);
        if (n == 0)
          throw Error(std::string("text column ") + group + "/" + name + " has no offsets", path_);
        --n;
      } else {
        datasets_[i] = column::open(group_.get(), name, kind, path_);
        n = column::length(datasets_[i].get(), path_);
      }
      if (i == 0) rows_ = n;
      else if (n != rows_)
        throw Error(std::string("columns of ") + group + " differ in length", path_);
    }
  }

  int64_t rows() const { return static_cast<int64_t>(rows_); }

  void read(int64_t first, int64_t max_rows, std::vector<Row>& out) {
    if (first < 0 || max_rows < 0) throw Error("negative row range", path_);
    hsize_t begin = std::min<hsize_t>(first, rows_);
    hsize_t n = std::min<hsize_t>(max_rows, rows_ - begin);
    out.resize(n);
    if (n == 0) return;
    for (std::size_t i = 0; i < N; ++i)
      std::visit([&](auto ptr) { scatter(i, ptr, begin, n, out); }, columns_[i].member);
  }

 private:
  template <class Ptr>
  void scatter(std::size_t i, Ptr ptr, hsize_t first, hsize_t n, std::vector<Row>& out) {
    using T = std::remove_cvref_t<decltype(std::declval<Row>().*ptr)>;
    auto kind = column::Kind(columns_[i].member.index());
    auto get = [&](auto& buf) {
      buf.resize(n);
      column::read(datasets_[i].get(), kind, first, n, buf.data(), path_);
      for (hsize_t r = 0; r < n; ++r) {
        if constexpr (std::is_same_v<T, bool>) out[r].*ptr = buf[r] != 0;
        else out[r].*ptr = buf[r];
      }
    };
    if constexpr (std::is_same_v<T, std::string>) read_text(i, ptr, first, n, out);
    else get(scratch_.template of<T>());
  }

  // Rows [first, first + n) of a text column: offsets [first, first + n], then the bytes
  // they span in one read. Offsets that decrease or leave the buffer mean a corrupt shard.
  template <class Ptr>
  void read_text(std::size_t i, Ptr ptr, hsize_t first, hsize_t n, std::vector<Row>& out) {
    auto& offsets = scratch_.i64;
    offsets.resize(n + 1);
    column::read(datasets_[i].get(), column::Kind::kInt64, first, n + 1, offsets.data(), path_);
    for (hsize_t r = 0; r < n; ++r)
      if (offsets[r] < 0 || offsets[r + 1] < offsets[r] ||
          static_cast<hsize_t>(offsets[r + 1]) > text_size_[i])
        throw Error(std::string("corrupt offsets in text column ") + columns_[i].name +
                        " at row " + std::to_string(first + r), path_);
    const int64_t lo = offsets[0];
    auto& bytes = scratch_.bytes;
    bytes.resize(static_cast<std::size_t>(offsets[n] - lo));
    column::read(bytes_[i].get(), column::Kind::kBytes, lo, bytes.size(), bytes.data(), path_);
    for (hsize_t r = 0; r < n; ++r)
      (out[r].*ptr).assign(bytes.data() + (offsets[r] - lo), offsets[r + 1] - offsets[r]);
  }

  const std::array<layout::Column<Row>, N>& columns_;
  std::string path_;
  h5::Handle group_;
  std::array<h5::Handle, N> datasets_;  // a text column's offsets
  std::array<h5::Handle, N> bytes_;
  std::array<hsize_t, N> text_size_{};
  ColumnScratch scratch_;
  hsize_t rows_ = 0;
};

}  // namespace warcpairs::store
