// The Thrift compact protocol (Thrift's doc/specs/thrift-compact-protocol.md), the encoding of
// Parquet's footer and page headers: a writer for the structs warcpairs writes and a reader
// that walks any struct field by field, skipping what it does not know.
//
// Written here rather than taken from Debian's libthrift-dev: that library needs the Thrift
// compiler at build time to generate ~10,000 lines of C++ from parquet.thrift, Boost headers and
// its shared_ptr transport stack, for a protocol of varints, zigzag and one byte per field header
// (about 200 lines below, every read bounds-checked for malformed files).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace warcpairs::parquet::thrift {

// Compact protocol type codes (field headers and list element types).
enum Type : uint8_t {
  kStop = 0, kTrue = 1, kFalse = 2, kByte = 3, kI16 = 4, kI32 = 5, kI64 = 6, kDouble = 7,
  kBinary = 8, kList = 9, kSet = 10, kMap = 11, kStruct = 12,
};

// Appends one struct's encoding to `out`: fields in increasing id order, nested structs and
// lists of structs or i32/binary values; end() closes the outermost struct.
class Writer {
 public:
  explicit Writer(std::string& out) : out_(out) {}
  void i32(int16_t id, int32_t v);
  void i64(int16_t id, int64_t v);
  void boolean(int16_t id, bool v);
  void binary(int16_t id, std::string_view v);
  void begin_struct(int16_t id);
  void end_struct();  // also ends the outermost struct
  void begin_list(int16_t id, Type element, std::size_t n);
  // A struct element of a list (no field header); closed by end_struct().
  void begin_element();
  void element_i32(int32_t v);
  void element_binary(std::string_view v);

 private:
  void field(int16_t id, uint8_t type);
  void varint(uint64_t v);
  std::string& out_;
  int16_t last_ = 0;
  std::vector<int16_t> stack_;
};

// A field header read by Reader::next_field: id and type; type kStop ends the struct.
struct Field {
  int16_t id = 0;
  uint8_t type = kStop;
};

// Reads from [data, data + size). Every method throws warcpairs::Error("<what> at byte N") on
// bytes past the end, a bad type code or nesting deeper than 64 (the caller adds the file name).
class Reader {
 public:
  Reader(const uint8_t* data, std::size_t size) : p_(data), begin_(data), end_(data + size) {}
  // Call after begin of a struct; returns kStop at its end.
  Field next_field();
  void begin_struct();  // before the first next_field() of a nested struct
  void end_struct();    // after its kStop
  int32_t read_i32();
  int64_t read_i64();
  bool read_bool(const Field& f);  // the value sits in the field type for struct fields
  std::string read_binary();
  // A list header: its element type and count (count capped by the bytes left).
  std::pair<uint8_t, uint32_t> read_list();
  void skip(uint8_t type);
  std::size_t offset() const { return static_cast<std::size_t>(p_ - begin_); }

 private:
  uint64_t varint();
  uint8_t byte();
  [[noreturn]] void fail(const char* what) const;
  const uint8_t* p_;
  const uint8_t* begin_;
  const uint8_t* end_;
  int16_t last_ = 0;
  std::vector<int16_t> stack_;
  int depth_ = 0;
};

}  // namespace warcpairs::parquet::thrift
