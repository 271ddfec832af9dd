// parquet::Writer: columns buffered row group by row group, then per column chunk an optional
// dictionary page and data pages (v1: definition levels, then values), zstd-compressed, and at
// the end the footer (FileMetaData, Thrift compact), its length and "PAR1".
#include "warcpairs/parquet/writer.h"

#include <fcntl.h>
#include <unistd.h>
#include <zstd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <unordered_map>

#include "file_metadata.h"
#include "rle_hybrid.h"
#include "warcpairs/core/error.h"

namespace warcpairs::parquet {
namespace fs = std::filesystem;

namespace {

struct StringHash {
  using is_transparent = void;
  std::size_t operator()(std::string_view s) const { return std::hash<std::string_view>()(s); }
};

void put_u32(std::string& out, uint32_t v) {
  char b[4];
  std::memcpy(b, &v, 4);  // Parquet is little-endian, as every platform warcpairs builds on
  out.append(b, 4);
}

// A chunk whose first kDictionarySample strings are more than half distinct drops its dictionary.
constexpr std::size_t kDictionarySample = 4096;

int32_t physical_of(ColumnType t) {
  switch (t) {
    case ColumnType::int64: return format::kInt64;
    case ColumnType::float64: return format::kDouble;
    case ColumnType::boolean: return format::kBoolean;
    default: return format::kByteArray;
  }
}

// One column's values of the row group being built.
struct Column {
  ColumnSpec spec;
  std::vector<uint8_t> defs;  // per row: 1 value, 0 null
  bool set = false;           // set in the current row
  std::string plain;          // PLAIN values (booleans: one byte each until the page packs them)
  bool dict = false;          // this chunk is dictionary-encoded so far
  std::unordered_map<std::string, uint32_t, StringHash, std::equal_to<>> dict_index;
  std::string dict_plain;     // the dictionary, PLAIN
  std::vector<uint32_t> dict_offsets;
  std::vector<uint32_t> indices;
  int64_t nulls = 0;

  void reset() {
    defs.clear(), plain.clear(), indices.clear(), dict_plain.clear(), dict_offsets.clear(), dict_index.clear();
    dict = spec.type == ColumnType::string;
    nulls = 0;
  }
  // The dictionary grew too big: the chunk's values so far become PLAIN, and so do the rest.
  void fall_back() {
    for (uint32_t i : indices) {
      const uint32_t at = dict_offsets[i];
      uint32_t len;
      std::memcpy(&len, dict_plain.data() + at, 4);
      plain.append(dict_plain, at, 4 + static_cast<std::size_t>(len));
    }
    indices.clear(), dict_plain.clear(), dict_offsets.clear(), dict_index.clear();
    dict = false;
  }
};

}  // namespace

struct Writer::Impl {
  fs::path path, tmp;
  WriterOptions options;
  std::vector<Column> columns;
  std::FILE* file = nullptr;
  int64_t offset = 0, rows = 0, group_rows = 0, buffered = 0;
  format::FileMetaData meta;
  ZSTD_CCtx* zstd = nullptr;
  std::string page, compressed, header, levels;
  std::vector<uint32_t> scratch;
  bool closed = false;

  void write(const void* data, std::size_t n) {
    if (n && std::fwrite(data, 1, n, file) != n) throw Error(std::string("write: ") + std::strerror(errno), tmp.string());
    offset += static_cast<int64_t>(n);
  }
  Column& column(std::size_t i) {
    if (i >= columns.size()) throw Error("parquet writer: no column " + std::to_string(i), path.string());
    Column& c = columns[i];
    if (c.set) throw Error("parquet writer: column " + c.spec.name + " set twice in one row", path.string());
    c.set = true;
    c.defs.push_back(1);
    return c;
  }
  std::size_t write_page(int32_t type, int32_t num_values, int32_t encoding);
  void write_chunk(Column& c, format::ColumnMeta& m);
  void flush_row_group();
};

Writer::Writer(fs::path path, std::vector<ColumnSpec> columns, WriterOptions options) : impl_(std::make_unique<Impl>()) {
  auto& m = *impl_;
  m.path = std::move(path);
  m.tmp = m.path.string() + ".tmp";
  m.options = std::move(options);
  for (auto& spec : columns) {
    m.columns.push_back({});
    m.columns.back().spec = std::move(spec);
    m.columns.back().reset();
  }
  m.file = std::fopen(m.tmp.c_str(), "wb");
  if (!m.file) throw Error(std::string("create: ") + std::strerror(errno), m.tmp.string());
  m.zstd = ZSTD_createCCtx();
  m.write("PAR1", 4);
  // Schema: the root, then each column; consecutive columns of a group under one group element.
  m.meta.schema.push_back({.name = "schema"});
  int top = 0;
  for (std::size_t i = 0; i < m.columns.size(); ++i) {
    const ColumnSpec& s = m.columns[i].spec;
    if (!s.group.empty() && (i == 0 || m.columns[i - 1].spec.group != s.group)) {
      int n = 0;
      for (std::size_t j = i; j < m.columns.size() && m.columns[j].spec.group == s.group; ++j) ++n;
      m.meta.schema.push_back({.repetition = format::kRequired, .name = s.group, .num_children = n});
      ++top;
    } else if (s.group.empty()) {
      ++top;
    }
    format::SchemaElement e{.type = physical_of(s.type),
                            .repetition = s.optional ? format::kOptional : format::kRequired,
                            .name = s.name};
    if (s.type == ColumnType::string) e.converted_type = format::kConvertedUtf8, e.logical_string = true;
    m.meta.schema.push_back(std::move(e));
  }
  m.meta.schema[0].num_children = top;
  m.meta.key_value = m.options.metadata;
  m.meta.created_by = "warcpairs parquet writer";
}

Writer::~Writer() {
  if (impl_->zstd) ZSTD_freeCCtx(impl_->zstd);
  if (impl_->file) {
    std::fclose(impl_->file);
    std::error_code ec;
    fs::remove(impl_->tmp, ec);
  }
}

int64_t Writer::rows() const { return impl_->rows; }

void Writer::set_int64(std::size_t i, int64_t v) {
  Column& c = impl_->column(i);
  if (c.spec.type != ColumnType::int64) throw Error("parquet writer: column " + c.spec.name + " is not INT64");
  c.plain.append(reinterpret_cast<const char*>(&v), 8);
  impl_->buffered += 8;
}

void Writer::set_double(std::size_t i, double v) {
  Column& c = impl_->column(i);
  if (c.spec.type != ColumnType::float64) throw Error("parquet writer: column " + c.spec.name + " is not DOUBLE");
  c.plain.append(reinterpret_cast<const char*>(&v), 8);
  impl_->buffered += 8;
}

void Writer::set_bool(std::size_t i, bool v) {
  Column& c = impl_->column(i);
  if (c.spec.type != ColumnType::boolean) throw Error("parquet writer: column " + c.spec.name + " is not BOOLEAN");
  c.plain.push_back(v ? 1 : 0);
  impl_->buffered += 1;
}

void Writer::set_bytes(std::size_t i, std::string_view v) {
  Column& c = impl_->column(i);
  if (c.spec.type != ColumnType::string && c.spec.type != ColumnType::binary)
    throw Error("parquet writer: column " + c.spec.name + " is not BYTE_ARRAY");
  if (v.size() > UINT32_MAX) throw Error("parquet writer: a value of over 4 GiB in column " + c.spec.name);
  impl_->buffered += static_cast<int64_t>(v.size()) + 4;
  if (c.dict) {
    auto it = c.dict_index.find(v);
    if (it == c.dict_index.end()) {
      const auto id = static_cast<uint32_t>(c.dict_offsets.size());
      c.dict_offsets.push_back(static_cast<uint32_t>(c.dict_plain.size()));
      put_u32(c.dict_plain, static_cast<uint32_t>(v.size()));
      c.dict_plain.append(v);
      it = c.dict_index.emplace(std::string(v), id).first;
    }
    c.indices.push_back(it->second);
    // Too big, or mostly distinct values (URLs, descriptions) after a sample: PLAIN is smaller
    // and costs no hashing.
    if (static_cast<int64_t>(c.dict_plain.size()) > impl_->options.dictionary_bytes ||
        (c.indices.size() == kDictionarySample && c.dict_offsets.size() > kDictionarySample / 2))
      c.fall_back();
    return;
  }
  put_u32(c.plain, static_cast<uint32_t>(v.size()));
  c.plain.append(v);
}

void Writer::end_row() {
  auto& m = *impl_;
  for (Column& c : m.columns) {
    if (!c.set) {
      if (!c.spec.optional) throw Error("parquet writer: required column " + c.spec.name + " not set", m.path.string());
      c.defs.push_back(0);
      ++c.nulls;
    }
    c.set = false;
  }
  ++m.rows, ++m.group_rows;
  if (m.group_rows >= m.options.row_group_rows || m.buffered >= m.options.row_group_bytes) m.flush_row_group();
}

// Compresses `page` into a page of `type` and writes header and body; returns the header's size.
std::size_t Writer::Impl::write_page(int32_t type, int32_t num_values, int32_t encoding) {
  const std::string* body = &page;
  if (options.zstd_level > 0) {
    compressed.resize(ZSTD_compressBound(page.size()));
    const std::size_t n = ZSTD_compressCCtx(zstd, compressed.data(), compressed.size(), page.data(), page.size(),
                                            options.zstd_level);
    if (ZSTD_isError(n)) throw Error(std::string("zstd: ") + ZSTD_getErrorName(n), tmp.string());
    compressed.resize(n);
    body = &compressed;
  }
  if (page.size() > INT32_MAX || body->size() > INT32_MAX) throw Error("parquet writer: a page over 2 GiB", tmp.string());
  format::PageHeader h{.type = type, .uncompressed_size = static_cast<int32_t>(page.size()),
                       .compressed_size = static_cast<int32_t>(body->size()), .num_values = num_values,
                       .encoding = encoding};
  header.clear();
  format::write_page_header(h, header);
  write(header.data(), header.size());
  write(body->data(), body->size());
  return header.size();
}

void Writer::Impl::write_chunk(Column& c, format::ColumnMeta& m) {
  const int64_t start = offset;
  int64_t uncompressed = 0;
  m.type = physical_of(c.spec.type);
  m.path = c.spec.group.empty() ? std::vector<std::string>{c.spec.name} : std::vector<std::string>{c.spec.group, c.spec.name};
  m.codec = options.zstd_level > 0 ? format::kZstd : format::kUncompressed;
  m.num_values = static_cast<int64_t>(c.defs.size());
  m.null_count = c.nulls;
  const int width = c.dict ? std::max(1, bit_width(c.dict_offsets.empty() ? 0 : c.dict_offsets.size() - 1)) : 0;
  if (c.dict) {
    m.dictionary_page_offset = offset;
    page = c.dict_plain;
    uncompressed += static_cast<int64_t>(page.size() +
                                         write_page(format::kDictionaryPage, static_cast<int32_t>(c.dict_offsets.size()), format::kPlain));
    m.encodings = {format::kPlain, format::kRle, format::kRleDictionary};
  } else {
    m.encodings = {format::kPlain, format::kRle};
  }
  m.data_page_offset = offset;
  // Pages of about page_bytes of values: walk the rows, cut when the page is full.
  std::size_t row = 0, value = 0, plain_at = 0;
  const std::size_t rows_total = c.defs.size();
  while (row < rows_total) {
    const std::size_t first_row = row, first_value = value, first_plain = plain_at;
    int64_t bytes = 0;
    while (row < rows_total && bytes < options.page_bytes) {
      if (c.defs[row++]) {
        if (c.dict) bytes += (width + 7) / 8;
        else if (c.spec.type == ColumnType::string || c.spec.type == ColumnType::binary) {
          uint32_t len;
          std::memcpy(&len, c.plain.data() + plain_at, 4);
          plain_at += 4 + len;
          bytes += 4 + len;
        } else {
          plain_at += c.spec.type == ColumnType::boolean ? 1 : 8;
          bytes += 8;
        }
        ++value;
      }
      bytes += 1;  // a null still costs its level
    }
    page.clear();
    if (c.spec.optional) {
      levels.clear();
      scratch.assign(c.defs.begin() + static_cast<std::ptrdiff_t>(first_row), c.defs.begin() + static_cast<std::ptrdiff_t>(row));
      rle_hybrid_encode(scratch.data(), scratch.size(), 1, levels);
      put_u32(page, static_cast<uint32_t>(levels.size()));
      page += levels;
    }
    if (c.dict) {
      page.push_back(static_cast<char>(width));
      rle_hybrid_encode(c.indices.data() + first_value, value - first_value, width, page);
    } else if (c.spec.type == ColumnType::boolean) {
      const std::size_t n = value - first_value, at = page.size();
      page.resize(at + (n + 7) / 8, '\0');
      for (std::size_t k = 0; k < n; ++k)
        if (c.plain[first_plain + k]) page[at + k / 8] = static_cast<char>(page[at + k / 8] | (1 << (k % 8)));
    } else {
      page.append(c.plain, first_plain, plain_at - first_plain);
    }
    uncompressed += static_cast<int64_t>(
        page.size() + write_page(format::kDataPage, static_cast<int32_t>(row - first_row),
                                 c.dict ? format::kRleDictionary : format::kPlain));
  }
  m.total_compressed_size = offset - start;
  m.total_uncompressed_size = uncompressed;
}

void Writer::Impl::flush_row_group() {
  if (group_rows == 0) return;
  format::RowGroup g;
  g.num_rows = group_rows;
  g.columns.resize(columns.size());
  for (std::size_t i = 0; i < columns.size(); ++i) {
    write_chunk(columns[i], g.columns[i]);
    g.total_byte_size += g.columns[i].total_uncompressed_size;
    columns[i].reset();
  }
  meta.row_groups.push_back(std::move(g));
  group_rows = 0, buffered = 0;
}

void Writer::close() {
  auto& m = *impl_;
  if (m.closed) return;
  m.flush_row_group();
  m.meta.num_rows = m.rows;
  std::string footer;
  format::write_file_metadata(m.meta, footer);
  m.write(footer.data(), footer.size());
  std::string tail;
  put_u32(tail, static_cast<uint32_t>(footer.size()));
  tail += "PAR1";
  m.write(tail.data(), tail.size());
  if (std::fflush(m.file) != 0 || ::fsync(::fileno(m.file)) != 0)
    throw Error(std::string("write: ") + std::strerror(errno), m.tmp.string());
  const int rc = std::fclose(m.file);
  m.file = nullptr;
  if (rc != 0) throw Error(std::string("close: ") + std::strerror(errno), m.tmp.string());
  fs::rename(m.tmp, m.path);
  m.closed = true;
}

}  // namespace warcpairs::parquet
