// FileMetaData and PageHeader in the Thrift compact protocol, field ids as in parquet.thrift.
#include "file_metadata.h"

#include "thrift_compact.h"
#include "warcpairs/core/error.h"

namespace warcpairs::parquet::format {
using thrift::Field;
using thrift::Reader;
using thrift::Writer;

const char* physical_name(int32_t t) {
  static const char* names[] = {"BOOLEAN", "INT32", "INT64", "INT96", "FLOAT", "DOUBLE", "BYTE_ARRAY", "FIXED_LEN_BYTE_ARRAY"};
  return t >= 0 && t < 8 ? names[t] : "an unknown type";
}
const char* encoding_name(int32_t e) {
  static const char* names[] = {"PLAIN", "GROUP_VAR_INT", "PLAIN_DICTIONARY", "RLE", "BIT_PACKED", "DELTA_BINARY_PACKED",
                                "DELTA_LENGTH_BYTE_ARRAY", "DELTA_BYTE_ARRAY", "RLE_DICTIONARY", "BYTE_STREAM_SPLIT"};
  return e >= 0 && e < 10 ? names[e] : "an unknown encoding";
}
const char* codec_name(int32_t c) {
  static const char* names[] = {"UNCOMPRESSED", "SNAPPY", "GZIP", "LZO", "BROTLI", "LZ4", "ZSTD", "LZ4_RAW"};
  return c >= 0 && c < 8 ? names[c] : "an unknown codec";
}

namespace {

void write_schema_element(Writer& w, const SchemaElement& e) {
  w.begin_element();
  if (e.type) w.i32(1, *e.type);
  if (e.type_length) w.i32(2, e.type_length);
  if (e.repetition) w.i32(3, *e.repetition);
  w.binary(4, e.name);
  if (e.num_children) w.i32(5, e.num_children);
  if (e.converted_type) w.i32(6, *e.converted_type);
  if (e.logical_string) {
    w.begin_struct(10);  // LogicalType, a union: field 1 = StringType (empty)
    w.begin_struct(1);
    w.end_struct();
    w.end_struct();
  }
  w.end_struct();
}

void write_column_meta(Writer& w, const ColumnMeta& c) {
  w.i32(1, c.type);
  w.begin_list(2, thrift::kI32, c.encodings.size());
  for (int32_t e : c.encodings) w.element_i32(e);
  w.begin_list(3, thrift::kBinary, c.path.size());
  for (const auto& p : c.path) w.element_binary(p);
  w.i32(4, c.codec);
  w.i64(5, c.num_values);
  w.i64(6, c.total_uncompressed_size);
  w.i64(7, c.total_compressed_size);
  w.i64(9, c.data_page_offset);
  if (c.dictionary_page_offset) w.i64(11, *c.dictionary_page_offset);
  if (c.null_count) {
    w.begin_struct(12);  // Statistics
    w.i64(3, *c.null_count);
    w.end_struct();
  }
}

}  // namespace

void write_file_metadata(const FileMetaData& m, std::string& out) {
  Writer w(out);
  w.i32(1, m.version);
  w.begin_list(2, thrift::kStruct, m.schema.size());
  for (const auto& e : m.schema) write_schema_element(w, e);
  w.i64(3, m.num_rows);
  w.begin_list(4, thrift::kStruct, m.row_groups.size());
  for (const auto& rg : m.row_groups) {
    w.begin_element();
    w.begin_list(1, thrift::kStruct, rg.columns.size());
    for (const auto& c : rg.columns) {
      w.begin_element();
      w.i64(2, c.dictionary_page_offset.value_or(c.data_page_offset));  // file_offset
      w.begin_struct(3);
      write_column_meta(w, c);
      w.end_struct();
      w.end_struct();
    }
    w.i64(2, rg.total_byte_size);
    w.i64(3, rg.num_rows);
    w.end_struct();
  }
  if (!m.key_value.empty()) {
    w.begin_list(5, thrift::kStruct, m.key_value.size());
    for (const auto& [k, v] : m.key_value) {
      w.begin_element();
      w.binary(1, k);
      w.binary(2, v);
      w.end_struct();
    }
  }
  w.binary(6, m.created_by);
  w.end_struct();
}

void write_page_header(const PageHeader& h, std::string& out) {
  Writer w(out);
  w.i32(1, h.type);
  w.i32(2, h.uncompressed_size);
  w.i32(3, h.compressed_size);
  if (h.type == kDataPage) {
    w.begin_struct(5);
    w.i32(1, h.num_values);
    w.i32(2, h.encoding);
    w.i32(3, kRle);
    w.i32(4, kRle);
    w.end_struct();
  } else if (h.type == kDictionaryPage) {
    w.begin_struct(7);
    w.i32(1, h.num_values);
    w.i32(2, kPlain);
    w.end_struct();
  }
  w.end_struct();
}

namespace {

// Calls fn(field) for every field of the struct that begins at the reader's position.
template <class F>
void each_field(Reader& r, F fn) {
  r.begin_struct();
  for (Field f; (f = r.next_field()).type != thrift::kStop;) fn(f);
  r.end_struct();
}

// Reads a list of `want` elements, calling fn() for each (which reads one element).
template <class F>
void each_element(Reader& r, const Field& f, uint8_t want, F fn) {
  if (f.type != thrift::kList) return r.skip(f.type);
  const auto [type, n] = r.read_list();
  if (type != want) {
    for (uint32_t i = 0; i < n; ++i) r.skip(type);
    return;
  }
  for (uint32_t i = 0; i < n; ++i) fn();
}

// Reads field f as an i32/i64 when its type says so, else skips it (a wrong type is not ours
// to interpret).
bool int_field(Reader& r, const Field& f, int32_t& out) {
  if (f.type != thrift::kI32) return r.skip(f.type), false;
  out = r.read_i32();
  return true;
}
bool int_field(Reader& r, const Field& f, int64_t& out) {
  if (f.type != thrift::kI64 && f.type != thrift::kI32) return r.skip(f.type), false;
  out = r.read_i64();
  return true;
}

SchemaElement read_schema_element(Reader& r) {
  SchemaElement e;
  int32_t v;
  each_field(r, [&](const Field& f) {
    switch (f.id) {
      case 1: if (int_field(r, f, v)) e.type = v; break;
      case 2: int_field(r, f, e.type_length); break;
      case 3: if (int_field(r, f, v)) e.repetition = v; break;
      case 4: if (f.type == thrift::kBinary) e.name = r.read_binary(); else r.skip(f.type); break;
      case 5: int_field(r, f, e.num_children); break;
      case 6: if (int_field(r, f, v)) e.converted_type = v; break;
      case 10:
        if (f.type != thrift::kStruct) { r.skip(f.type); break; }
        each_field(r, [&](const Field& g) {
          if (g.id == 1) e.logical_string = true;
          r.skip(g.type);
        });
        break;
      default: r.skip(f.type);
    }
  });
  return e;
}

ColumnMeta read_column_meta(Reader& r) {
  ColumnMeta c;
  int64_t v;
  each_field(r, [&](const Field& f) {
    switch (f.id) {
      case 1: int_field(r, f, c.type); break;
      case 2: each_element(r, f, thrift::kI32, [&] { c.encodings.push_back(r.read_i32()); }); break;
      case 3: each_element(r, f, thrift::kBinary, [&] { c.path.push_back(r.read_binary()); }); break;
      case 4: int_field(r, f, c.codec); break;
      case 5: int_field(r, f, c.num_values); break;
      case 6: int_field(r, f, c.total_uncompressed_size); break;
      case 7: int_field(r, f, c.total_compressed_size); break;
      case 9: int_field(r, f, c.data_page_offset); break;
      case 11: if (int_field(r, f, v)) c.dictionary_page_offset = v; break;
      case 12:
        if (f.type != thrift::kStruct) { r.skip(f.type); break; }
        each_field(r, [&](const Field& g) {
          if (g.id == 3 && int_field(r, g, v)) c.null_count = v;
          else if (g.id != 3) r.skip(g.type);
        });
        break;
      default: r.skip(f.type);
    }
  });
  return c;
}

RowGroup read_row_group(Reader& r) {
  RowGroup g;
  each_field(r, [&](const Field& f) {
    switch (f.id) {
      case 1:
        each_element(r, f, thrift::kStruct, [&] {
          ColumnMeta c;
          bool has_meta = false;
          each_field(r, [&](const Field& cf) {
            if (cf.id == 1 && cf.type == thrift::kBinary) {
              throw Error("a column chunk in another file (file_path " + r.read_binary() + ") is not supported");
            } else if (cf.id == 3 && cf.type == thrift::kStruct) {
              c = read_column_meta(r), has_meta = true;
            } else {
              r.skip(cf.type);
            }
          });
          if (!has_meta) throw Error("a column chunk without meta_data");
          g.columns.push_back(std::move(c));
        });
        break;
      case 2: int_field(r, f, g.total_byte_size); break;
      case 3: int_field(r, f, g.num_rows); break;
      default: r.skip(f.type);
    }
  });
  return g;
}

}  // namespace

FileMetaData read_file_metadata(const uint8_t* data, std::size_t size) {
  Reader r(data, size);
  FileMetaData m;
  m.version = 0;
  each_field(r, [&](const Field& f) {
    switch (f.id) {
      case 1: int_field(r, f, m.version); break;
      case 2: each_element(r, f, thrift::kStruct, [&] { m.schema.push_back(read_schema_element(r)); }); break;
      case 3: int_field(r, f, m.num_rows); break;
      case 4: each_element(r, f, thrift::kStruct, [&] { m.row_groups.push_back(read_row_group(r)); }); break;
      case 5:
        each_element(r, f, thrift::kStruct, [&] {
          std::pair<std::string, std::string> kv;
          each_field(r, [&](const Field& g) {
            if (g.id == 1 && g.type == thrift::kBinary) kv.first = r.read_binary();
            else if (g.id == 2 && g.type == thrift::kBinary) kv.second = r.read_binary();
            else r.skip(g.type);
          });
          m.key_value.push_back(std::move(kv));
        });
        break;
      case 6: if (f.type == thrift::kBinary) m.created_by = r.read_binary(); else r.skip(f.type); break;
      default: r.skip(f.type);
    }
  });
  return m;
}

PageHeader read_page_header(const uint8_t* data, std::size_t size, std::size_t& used) {
  Reader r(data, size);
  PageHeader h;
  bool sizes = false;
  each_field(r, [&](const Field& f) {
    switch (f.id) {
      case 1: int_field(r, f, h.type); break;
      case 2: int_field(r, f, h.uncompressed_size); break;
      case 3: sizes = int_field(r, f, h.compressed_size); break;
      case 5:  // DataPageHeader
      case 7:  // DictionaryPageHeader
        if (f.type != thrift::kStruct) { r.skip(f.type); break; }
        each_field(r, [&](const Field& g) {
          if (g.id == 1) int_field(r, g, h.num_values);
          else if (g.id == 2) int_field(r, g, h.encoding);
          else r.skip(g.type);
        });
        break;
      case 8:  // DataPageHeaderV2
        if (f.type != thrift::kStruct) { r.skip(f.type); break; }
        each_field(r, [&](const Field& g) {
          switch (g.id) {
            case 1: int_field(r, g, h.num_values); break;
            case 2: int_field(r, g, h.num_nulls); break;
            case 3: int_field(r, g, h.num_rows); break;
            case 4: int_field(r, g, h.encoding); break;
            case 5: int_field(r, g, h.def_levels_bytes); break;
            case 6: int_field(r, g, h.rep_levels_bytes); break;
            case 7: h.v2_compressed = g.type == thrift::kTrue; if (g.type != thrift::kTrue && g.type != thrift::kFalse) r.skip(g.type); break;
            default: r.skip(g.type);
          }
        });
        break;
      default: r.skip(f.type);
    }
  });
  if (!sizes || h.compressed_size < 0 || h.uncompressed_size < 0 || h.num_values < 0 || h.def_levels_bytes < 0 ||
      h.rep_levels_bytes < 0)
    throw Error("page header without sizes or with a negative size or count");
  used = r.offset();
  return h;
}

}  // namespace warcpairs::parquet::format
