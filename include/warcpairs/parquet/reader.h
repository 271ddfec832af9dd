// A lean Parquet file reader: flat columns (top-level or inside required/optional groups, no
// repeated fields), PLAIN, dictionary (PLAIN_DICTIONARY, RLE_DICTIONARY) and RLE-boolean
// encodings, data pages v1 and v2, codecs UNCOMPRESSED, SNAPPY (libsnappy) and ZSTD (libzstd).
// Anything else (another encoding or codec, nested lists) is a clear Error naming the file,
// the column and what it uses; malformed bytes are an Error naming the file, the part and the
// byte offset, never a crash (tests/fuzz/parquet_fuzz).
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace warcpairs::parquet {

// A leaf column: its dotted path ("url", "image.bytes"), physical type name, whether it holds
// text (UTF8 / STRING), and its definition level for a present value.
struct ColumnInfo {
  std::string path;
  int32_t physical = 0;  // parquet.thrift Type
  std::string type_name;
  bool text = false;
  int max_def = 0;
  bool repeated = false;  // under a repeated field: read() refuses it
  int32_t type_length = 0;
};

// One column of one row group, row by row. Integers (INT32, INT64, BOOLEAN as 0/1) in ints,
// floating point (FLOAT, DOUBLE) in doubles, byte arrays in bytes; valid[r] is 0 for a null.
struct ColumnValues {
  enum class Kind { integer, floating, bytes } kind = Kind::bytes;
  std::vector<uint8_t> valid;
  std::vector<int64_t> ints;
  std::vector<double> doubles;
  std::vector<std::string> bytes;
  std::size_t size() const { return valid.size(); }
};

// A file's bytes already in memory (the fuzz target), with the name errors give.
struct InMemory {
  std::string name, bytes;
};

class Reader {
 public:
  // Reads and checks the footer; throws warcpairs::Error (file set) when the file is not Parquet
  // or its footer is malformed.
  explicit Reader(std::filesystem::path path);
  explicit Reader(InMemory file);
  ~Reader();

  int64_t num_rows() const;
  std::size_t row_groups() const;
  int64_t row_group_rows(std::size_t group) const;
  const std::vector<ColumnInfo>& columns() const;
  // The index of the column at `path`, or -1.
  int find(std::string_view path) const;
  // The footer's key_value_metadata value for `key`, "" when absent.
  std::string metadata(std::string_view key) const;
  // Reads column `column` of row group `group`; throws warcpairs::Error naming file, column,
  // byte offset and what is wrong.
  ColumnValues read(std::size_t group, std::size_t column) const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace warcpairs::parquet
