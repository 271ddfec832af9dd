// A lean Parquet file writer (Apache Parquet format 2.x, data pages v1): flat typed columns,
// optional (nullable) with definition levels, row groups, dictionary encoding for strings with
// a PLAIN fallback when a column chunk's dictionary grows too big, zstd-compressed pages and
// null counts as statistics. Columns may sit in one level of required groups ("image.bytes").
// Read by pyarrow, Hugging Face datasets, DuckDB and hyparquet (tests/e2e/parquet_peers_test.sh).
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace warcpairs::parquet {

enum class ColumnType { int64, float64, boolean, string, binary };

struct ColumnSpec {
  std::string name;
  ColumnType type = ColumnType::string;
  bool optional = true;  // nullable: null() allowed
  std::string group;     // "" or a required group: consecutive columns of one group share it
};

struct WriterOptions {
  int64_t row_group_rows = 100000;       // a row group ends at this many rows...
  int64_t row_group_bytes = 128 << 20;   // ...or once its buffered values pass this size
  int64_t page_bytes = 1 << 20;          // data pages of about this many value bytes
  int64_t dictionary_bytes = 1 << 20;    // a bigger dictionary: the chunk falls back to PLAIN
                                         // (so does one over half distinct after 4,096 values)
  int zstd_level = 1;                    // 0: pages stored uncompressed
  std::vector<std::pair<std::string, std::string>> metadata;  // the footer's key_value_metadata
};

// Writes PATH.tmp and renames it to PATH in close(): a file named PATH is always whole.
// Row by row: one call per column (in column order or not), then end_row(). A column not set
// in a row is null (an error for a required column).
class Writer {
 public:
  Writer(std::filesystem::path path, std::vector<ColumnSpec> columns, WriterOptions options = {});
  ~Writer();  // without close(): the temporary file is removed
  Writer(const Writer&) = delete;
  Writer& operator=(const Writer&) = delete;

  void set_int64(std::size_t column, int64_t v);
  void set_double(std::size_t column, double v);
  void set_bool(std::size_t column, bool v);
  void set_bytes(std::size_t column, std::string_view v);  // string or binary columns
  void end_row();
  // Flushes the last row group, writes the footer, fsyncs and renames. Throws warcpairs::Error.
  void close();

  int64_t rows() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace warcpairs::parquet
