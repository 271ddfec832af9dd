// Thrift compact protocol: varints (LEB128), zigzag integers, field headers with id deltas.
#include "thrift_compact.h"

#include "warcpairs/core/error.h"

namespace warcpairs::parquet::thrift {
namespace {
uint64_t zigzag(int64_t v) { return (static_cast<uint64_t>(v) << 1) ^ static_cast<uint64_t>(v >> 63); }
int64_t unzigzag(uint64_t v) { return static_cast<int64_t>(v >> 1) ^ -static_cast<int64_t>(v & 1); }
constexpr int kMaxDepth = 64;
}  // namespace

void Writer::varint(uint64_t v) {
  while (v >= 0x80) {
    out_.push_back(static_cast<char>((v & 0x7f) | 0x80));
    v >>= 7;
  }
  out_.push_back(static_cast<char>(v));
}

void Writer::field(int16_t id, uint8_t type) {
  const int delta = id - last_;
  if (delta > 0 && delta <= 15) {
    out_.push_back(static_cast<char>((delta << 4) | type));
  } else {
    out_.push_back(static_cast<char>(type));
    varint(zigzag(id));
  }
  last_ = id;
}

void Writer::i32(int16_t id, int32_t v) { field(id, kI32), varint(zigzag(v)); }
void Writer::i64(int16_t id, int64_t v) { field(id, kI64), varint(zigzag(v)); }
void Writer::boolean(int16_t id, bool v) { field(id, v ? kTrue : kFalse); }
void Writer::binary(int16_t id, std::string_view v) {
  field(id, kBinary);
  varint(v.size());
  out_.append(v);
}
void Writer::begin_struct(int16_t id) {
  field(id, kStruct);
  begin_element();
}
void Writer::begin_element() {
  stack_.push_back(last_);
  last_ = 0;
}
void Writer::end_struct() {
  out_.push_back(static_cast<char>(kStop));
  if (!stack_.empty()) last_ = stack_.back(), stack_.pop_back();
}
void Writer::begin_list(int16_t id, Type element, std::size_t n) {
  field(id, kList);
  if (n < 15) {
    out_.push_back(static_cast<char>((n << 4) | element));
  } else {
    out_.push_back(static_cast<char>(0xf0 | element));
    varint(n);
  }
}
void Writer::element_i32(int32_t v) { varint(zigzag(v)); }
void Writer::element_binary(std::string_view v) {
  varint(v.size());
  out_.append(v);
}

void Reader::fail(const char* what) const {
  throw Error(std::string("Thrift compact: ") + what + " at byte " + std::to_string(p_ - begin_));
}

uint8_t Reader::byte() {
  if (p_ >= end_) fail("struct cut short");
  return *p_++;
}

uint64_t Reader::varint() {
  uint64_t v = 0;
  for (int shift = 0; shift < 64; shift += 7) {
    const uint8_t b = byte();
    v |= static_cast<uint64_t>(b & 0x7f) << shift;
    if (!(b & 0x80)) return v;
  }
  fail("varint longer than 10 bytes");
}

Field Reader::next_field() {
  const uint8_t b = byte();
  Field f;
  f.type = b & 0x0f;
  if (f.type == kStop) return f;
  if (f.type > kStruct) fail("unknown field type");
  const int delta = b >> 4;
  if (delta != 0) {
    f.id = static_cast<int16_t>(last_ + delta);
  } else {
    f.id = static_cast<int16_t>(unzigzag(varint()));
  }
  last_ = f.id;
  return f;
}

void Reader::begin_struct() {
  if (++depth_ > kMaxDepth) fail("structs nested deeper than 64");
  stack_.push_back(last_);
  last_ = 0;
}

void Reader::end_struct() {
  if (stack_.empty()) return;
  last_ = stack_.back(), stack_.pop_back(), --depth_;
}

int32_t Reader::read_i32() {
  const int64_t v = unzigzag(varint());
  if (v < INT32_MIN || v > INT32_MAX) fail("i32 out of range");
  return static_cast<int32_t>(v);
}
int64_t Reader::read_i64() { return unzigzag(varint()); }
bool Reader::read_bool(const Field& f) {
  if (f.type == kTrue) return true;
  if (f.type == kFalse) return false;
  fail("a boolean field of another type");
}

std::string Reader::read_binary() {
  const uint64_t n = varint();
  if (n > static_cast<uint64_t>(end_ - p_)) fail("string longer than the bytes left");
  std::string s(reinterpret_cast<const char*>(p_), n);
  p_ += n;
  return s;
}

std::pair<uint8_t, uint32_t> Reader::read_list() {
  const uint8_t b = byte();
  uint64_t n = b >> 4;
  if (n == 15) n = varint();
  // Every element takes at least one byte (booleans and empty structs too).
  if (n > static_cast<uint64_t>(end_ - p_)) fail("list longer than the bytes left");
  const uint8_t type = b & 0x0f;
  if (type == kStop || type > kStruct) fail("unknown list element type");
  return {type, static_cast<uint32_t>(n)};
}

void Reader::skip(uint8_t type) {
  switch (type) {
    case kTrue: case kFalse: return;  // struct fields: the value is the type
    case kByte: byte(); return;
    case kI16: case kI32: case kI64: varint(); return;
    case kDouble:
      if (end_ - p_ < 8) fail("double cut short");
      p_ += 8;
      return;
    case kBinary: read_binary(); return;
    case kList: case kSet: {
      const auto [t, n] = read_list();
      for (uint32_t i = 0; i < n; ++i) {
        if (t == kTrue || t == kFalse) byte();  // list booleans take a byte each
        else skip(t);
      }
      return;
    }
    case kMap: {
      const uint64_t n = varint();
      if (n == 0) return;
      const uint8_t kv = byte();
      if (n > static_cast<uint64_t>(end_ - p_)) fail("map longer than the bytes left");
      for (uint64_t i = 0; i < n; ++i) {
        for (uint8_t t : {static_cast<uint8_t>(kv >> 4), static_cast<uint8_t>(kv & 0x0f)}) {
          if (t == kTrue || t == kFalse) byte();
          else skip(t);
        }
      }
      return;
    }
    case kStruct: {
      begin_struct();
      for (Field f; (f = next_field()).type != kStop;) skip(f.type);
      end_struct();
      return;
    }
    default: fail("unknown type");
  }
}

}  // namespace warcpairs::parquet::thrift
