// The parts of parquet.thrift (Apache Parquet format 2.x) that warcpairs writes and reads:
// the footer (FileMetaData: schema, row groups, column chunks) and page headers, with their
// Thrift compact encoding and decoding. Fields a reader does not need are skipped.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace warcpairs::parquet::format {

enum Physical : int32_t { kBoolean = 0, kInt32 = 1, kInt64 = 2, kInt96 = 3, kFloat = 4, kDouble = 5,
                          kByteArray = 6, kFixedLenByteArray = 7 };
enum Repetition : int32_t { kRequired = 0, kOptional = 1, kRepeated = 2 };
enum Encoding : int32_t { kPlain = 0, kPlainDictionary = 2, kRle = 3, kBitPacked = 4, kDeltaBinaryPacked = 5,
                          kDeltaLengthByteArray = 6, kDeltaByteArray = 7, kRleDictionary = 8, kByteStreamSplit = 9 };
enum Codec : int32_t { kUncompressed = 0, kSnappy = 1, kGzip = 2, kLzo = 3, kBrotli = 4, kLz4 = 5, kZstd = 6, kLz4Raw = 7 };
enum PageType : int32_t { kDataPage = 0, kIndexPage = 1, kDictionaryPage = 2, kDataPageV2 = 3 };
constexpr int32_t kConvertedUtf8 = 0;

const char* physical_name(int32_t t);
const char* encoding_name(int32_t e);
const char* codec_name(int32_t c);

struct SchemaElement {
  std::optional<int32_t> type;  // absent for a group
  int32_t type_length = 0;
  std::optional<int32_t> repetition;
  std::string name;
  int32_t num_children = 0;
  std::optional<int32_t> converted_type;
  bool logical_string = false;  // LogicalType STRING
};

struct ColumnMeta {
  int32_t type = 0;
  std::vector<int32_t> encodings;
  std::vector<std::string> path;
  int32_t codec = kUncompressed;
  int64_t num_values = 0;
  int64_t total_uncompressed_size = 0, total_compressed_size = 0;
  int64_t data_page_offset = 0;
  std::optional<int64_t> dictionary_page_offset;
  std::optional<int64_t> null_count;  // Statistics.null_count
};

struct RowGroup {
  std::vector<ColumnMeta> columns;
  int64_t total_byte_size = 0, num_rows = 0;
};

struct FileMetaData {
  int32_t version = 1;
  std::vector<SchemaElement> schema;  // depth-first, the root first
  int64_t num_rows = 0;
  std::vector<RowGroup> row_groups;
  std::vector<std::pair<std::string, std::string>> key_value;
  std::string created_by;
};

struct PageHeader {
  int32_t type = 0;
  int32_t uncompressed_size = 0, compressed_size = 0;
  int32_t num_values = 0;          // data page (v1, v2) or dictionary page
  int32_t encoding = kPlain;
  // v2 only: levels are stored uncompressed before the (maybe compressed) values.
  int32_t num_nulls = 0, num_rows = 0;
  int32_t def_levels_bytes = 0, rep_levels_bytes = 0;
  bool v2_compressed = true;
};

void write_file_metadata(const FileMetaData& m, std::string& out);
void write_page_header(const PageHeader& h, std::string& out);

// Both throw warcpairs::Error naming the malformed part and its byte offset within `data`.
FileMetaData read_file_metadata(const uint8_t* data, std::size_t size);
// Sets `used` to the header's length in bytes.
PageHeader read_page_header(const uint8_t* data, std::size_t size, std::size_t& used);

}  // namespace warcpairs::parquet::format
