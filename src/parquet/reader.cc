// parquet::Reader: the footer (last 8 bytes: its length and "PAR1"), the schema flattened to
// leaf columns, and column chunks decoded page by page.
#include "warcpairs/parquet/reader.h"

#include <snappy-c.h>
#include <zstd.h>

#include <cstring>
#include <fstream>

#include "file_metadata.h"
#include "rle_hybrid.h"
#include "warcpairs/core/error.h"

namespace warcpairs::parquet {
namespace fs = std::filesystem;

namespace {

constexpr int64_t kMaxPageValues = int64_t{1} << 26;   // more in one page: refused as malformed
constexpr int64_t kMaxPageBytes = int64_t{1} << 30;    // an uncompressed page over 1 GiB: likewise
constexpr int kMaxSchemaDepth = 64;

uint32_t get_u32(const uint8_t* p) {
  uint32_t v;
  std::memcpy(&v, p, 4);
  return v;
}

}  // namespace

struct Reader::Impl {
  fs::path path;
  int64_t file_size = 0, footer_start = 0;
  format::FileMetaData meta;
  std::vector<ColumnInfo> columns;
  mutable std::ifstream in;
  std::string memory;  // the file's bytes for Reader(InMemory); else read from `in`
  bool in_memory = false;

  [[noreturn]] void fail(const std::string& what, int64_t offset = -1) const { throw Error(what, path.string(), offset); }

  void read_at(int64_t offset, std::size_t n, std::string& out) const {
    if (in_memory) {
      if (offset < 0 || static_cast<uint64_t>(offset) + n > memory.size()) fail("cannot read " + std::to_string(n) + " bytes", offset);
      out.assign(memory, static_cast<std::size_t>(offset), n);
      return;
    }
    out.resize(n);
    in.clear();
    in.seekg(offset);
    in.read(out.data(), static_cast<std::streamsize>(n));
    if (static_cast<std::size_t>(in.gcount()) != n) fail("cannot read " + std::to_string(n) + " bytes", offset);
  }

  // Depth-first over schema elements from `at`; appends leaves to `columns`.
  void flatten(std::size_t& at, const std::string& prefix, int def, bool repeated, int depth) {
    if (depth > kMaxSchemaDepth) fail("schema nested deeper than 64 levels");
    if (at >= meta.schema.size()) fail("schema: num_children points past the last schema element");
    const format::SchemaElement& e = meta.schema[at++];
    const int rep = e.repetition.value_or(format::kRequired);
    if (rep == format::kOptional) ++def;
    if (rep == format::kRepeated) repeated = true;
    const std::string name = prefix.empty() ? e.name : prefix + "." + e.name;
    if (e.num_children > 0) {
      for (int32_t i = 0; i < e.num_children; ++i) flatten(at, name, def, repeated, depth + 1);
      return;
    }
    if (!e.type) fail("schema: element " + name + " is neither a group nor typed");
    columns.push_back({name, *e.type, format::physical_name(*e.type),
                       e.converted_type == format::kConvertedUtf8 || e.logical_string, def, repeated, e.type_length});
  }

  void open();
};

Reader::Reader(fs::path path) : impl_(std::make_unique<Impl>()) {
  auto& m = *impl_;
  m.path = std::move(path);
  m.in.open(m.path, std::ios::binary);
  if (!m.in) m.fail(std::string("cannot open: ") + std::strerror(errno));
  std::error_code ec;
  m.file_size = static_cast<int64_t>(fs::file_size(m.path, ec));
  if (ec) m.fail("cannot tell its size: " + ec.message());
  m.open();
}

Reader::Reader(InMemory file) : impl_(std::make_unique<Impl>()) {
  auto& m = *impl_;
  m.path = std::move(file.name);
  m.memory = std::move(file.bytes);
  m.in_memory = true;
  m.file_size = static_cast<int64_t>(m.memory.size());
  m.open();
}

// The footer and the schema; the checks every later read relies on.
void Reader::Impl::open() {
  auto& m = *this;
  if (m.file_size < 12) m.fail("not a Parquet file: " + std::to_string(m.file_size) + " bytes, fewer than the 12 of an empty one");
  std::string bytes;
  m.read_at(0, 4, bytes);
  if (bytes != "PAR1") m.fail("not a Parquet file: it does not start with PAR1", 0);
  m.read_at(m.file_size - 8, 8, bytes);
  if (bytes.compare(4, 4, "PAR1") != 0) {
    if (bytes.compare(4, 4, "PARE") == 0) m.fail("encrypted Parquet footers (PARE) are not supported", m.file_size - 4);
    m.fail("not a Parquet file or cut short: it does not end with PAR1", m.file_size - 4);
  }
  const int64_t footer_len = get_u32(reinterpret_cast<const uint8_t*>(bytes.data()));
  m.footer_start = m.file_size - 8 - footer_len;
  if (footer_len == 0 || m.footer_start < 4)
    m.fail("footer length " + std::to_string(footer_len) + " does not fit in the file", m.file_size - 8);
  m.read_at(m.footer_start, static_cast<std::size_t>(footer_len), bytes);
  try {
    m.meta = format::read_file_metadata(reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size());
  } catch (const Error& e) {
    m.fail(std::string("malformed footer (FileMetaData): ") + e.what(), m.footer_start);
  }
  if (m.meta.schema.empty()) m.fail("footer has no schema", m.footer_start);
  if (m.meta.num_rows < 0) m.fail("footer gives a negative row count", m.footer_start);
  std::size_t at = 0;
  const format::SchemaElement& root = m.meta.schema[0];
  ++at;
  for (int32_t i = 0; i < root.num_children; ++i) m.flatten(at, "", 0, false, 1);
  int64_t rows = 0;
  for (std::size_t g = 0; g < m.meta.row_groups.size(); ++g) {
    const auto& rg = m.meta.row_groups[g];
    if (rg.columns.size() != m.columns.size())
      m.fail("row group " + std::to_string(g) + " has " + std::to_string(rg.columns.size()) + " column chunks, the schema " +
             std::to_string(m.columns.size()) + " columns", m.footer_start);
    if (rg.num_rows < 0 || rg.num_rows > INT64_MAX - rows)
      m.fail("row group " + std::to_string(g) + " has a negative or impossible row count", m.footer_start);
    rows += rg.num_rows;
  }
  if (rows != m.meta.num_rows)
    m.fail("the row groups hold " + std::to_string(rows) + " rows, the footer says " + std::to_string(m.meta.num_rows),
           m.footer_start);
}

Reader::~Reader() = default;

int64_t Reader::num_rows() const { return impl_->meta.num_rows; }
std::size_t Reader::row_groups() const { return impl_->meta.row_groups.size(); }
int64_t Reader::row_group_rows(std::size_t g) const { return impl_->meta.row_groups.at(g).num_rows; }
const std::vector<ColumnInfo>& Reader::columns() const { return impl_->columns; }

int Reader::find(std::string_view path) const {
  for (std::size_t i = 0; i < impl_->columns.size(); ++i)
    if (impl_->columns[i].path == path) return static_cast<int>(i);
  return -1;
}

std::string Reader::metadata(std::string_view key) const {
  for (const auto& [k, v] : impl_->meta.key_value)
    if (k == key) return v;
  return {};
}

namespace {

// The decoded state of one column chunk.
struct ChunkDecoder {
  const ColumnInfo& col;
  int32_t codec;
  std::string where;  // "column X of row group G"
  ColumnValues out;
  // The dictionary, in the same representation as the values.
  ColumnValues dict;
  bool has_dict = false;
  std::string buffer;
  std::vector<uint32_t> levels, indices;

  [[noreturn]] void fail(const std::string& what) const { throw Error(where + ": " + what); }

  // The page's bytes after decompression (into buffer), or the body itself.
  std::pair<const uint8_t*, std::size_t> decompress(const uint8_t* body, std::size_t n, int64_t raw) {
    if (codec == format::kUncompressed) return {body, n};
    if (raw < 0) fail("a v2 page whose levels are longer than its uncompressed size");
    if (raw > kMaxPageBytes) fail("a page of " + std::to_string(raw) + " bytes uncompressed, over the 1 GiB limit");
    buffer.resize(static_cast<std::size_t>(raw));
    if (codec == format::kZstd) {
      const std::size_t got = ZSTD_decompress(buffer.data(), buffer.size(), body, n);
      if (ZSTD_isError(got)) fail(std::string("zstd page does not decompress: ") + ZSTD_getErrorName(got));
      if (got != buffer.size()) fail("zstd page decompresses to " + std::to_string(got) + " bytes, its header says " + std::to_string(raw));
    } else if (codec == format::kSnappy) {
      std::size_t len = 0;
      const char* src = reinterpret_cast<const char*>(body);
      if (snappy_uncompressed_length(src, n, &len) != SNAPPY_OK || len != buffer.size())
        fail("snappy page is malformed or not of the size its header says");
      if (snappy_uncompress(src, n, buffer.data(), &len) != SNAPPY_OK || len != buffer.size())
        fail("snappy page does not decompress");
    } else {
      fail(std::string("compression codec ") + format::codec_name(codec) +
           " is not supported (UNCOMPRESSED, SNAPPY and ZSTD are)");
    }
    return {reinterpret_cast<const uint8_t*>(buffer.data()), buffer.size()};
  }

  // n PLAIN values of the column's type from [p, p + size) appended to `to`.
  void plain(const uint8_t* p, std::size_t size, std::size_t n, ColumnValues& to) {
    const uint8_t* end = p + size;
    auto need = [&](std::size_t k) {
      if (static_cast<std::size_t>(end - p) < k) fail("PLAIN values end before the page's " + std::to_string(n) + " values");
    };
    switch (col.physical) {
      case format::kBoolean:
        need((n + 7) / 8);
        for (std::size_t i = 0; i < n; ++i) to.ints.push_back((p[i / 8] >> (i % 8)) & 1);
        return;
      case format::kInt32:
        need(4 * n);
        for (std::size_t i = 0; i < n; ++i, p += 4) to.ints.push_back(static_cast<int32_t>(get_u32(p)));
        return;
      case format::kInt64:
        need(8 * n);
        for (std::size_t i = 0; i < n; ++i, p += 8) {
          int64_t v;
          std::memcpy(&v, p, 8);
          to.ints.push_back(v);
        }
        return;
      case format::kFloat:
        need(4 * n);
        for (std::size_t i = 0; i < n; ++i, p += 4) {
          float v;
          std::memcpy(&v, p, 4);
          to.doubles.push_back(v);
        }
        return;
      case format::kDouble:
        need(8 * n);
        for (std::size_t i = 0; i < n; ++i, p += 8) {
          double v;
          std::memcpy(&v, p, 8);
          to.doubles.push_back(v);
        }
        return;
      case format::kByteArray:
        for (std::size_t i = 0; i < n; ++i) {
          need(4);
          const uint32_t len = get_u32(p);
          p += 4;
          need(len);
          to.bytes.emplace_back(reinterpret_cast<const char*>(p), len);
          p += len;
        }
        return;
      case format::kFixedLenByteArray: {
        if (col.type_length <= 0) fail("FIXED_LEN_BYTE_ARRAY without a positive type_length");
        const auto len = static_cast<std::size_t>(col.type_length);
        for (std::size_t i = 0; i < n; ++i, p += len) {
          need(len);
          to.bytes.emplace_back(reinterpret_cast<const char*>(p), len);
        }
        return;
      }
      default: fail(std::string("physical type ") + format::physical_name(col.physical) + " is not supported");
    }
  }

  // n values of a data page's value section in `encoding`, appended to `to`.
  void values(const uint8_t* p, std::size_t size, std::size_t n, int32_t encoding, ColumnValues& to) {
    if (encoding == format::kPlain) return plain(p, size, n, to);
    if (encoding == format::kPlainDictionary || encoding == format::kRleDictionary) {
      if (!has_dict) fail("dictionary-encoded page without a dictionary page");
      if (n == 0) return;
      if (size < 1) fail("dictionary page indices without their bit width");
      rle_hybrid_decode(p + 1, size - 1, p[0], n, indices);
      const std::size_t dsize = dict.ints.size() + dict.doubles.size() + dict.bytes.size();
      for (uint32_t i : indices) {
        if (i >= dsize) fail("dictionary index " + std::to_string(i) + " past the " + std::to_string(dsize) + " entries");
        if (!dict.bytes.empty()) to.bytes.push_back(dict.bytes[i]);
        else if (!dict.doubles.empty()) to.doubles.push_back(dict.doubles[i]);
        else to.ints.push_back(dict.ints[i]);
      }
      return;
    }
    if (encoding == format::kRle && col.physical == format::kBoolean) {
      if (size < 4) fail("RLE booleans without their length");
      const uint32_t len = get_u32(p);
      if (len > size - 4) fail("RLE booleans longer than the page");
      rle_hybrid_decode(p + 4, len, 1, n, indices);
      for (uint32_t b : indices) to.ints.push_back(b);
      return;
    }
    fail(std::string("encoding ") + format::encoding_name(encoding) +
         " is not supported (PLAIN, PLAIN_DICTIONARY, RLE_DICTIONARY and RLE booleans are)");
  }

  // Definition levels of a page → out.valid; returns how many values are present.
  std::size_t definitions(const uint8_t* p, std::size_t size, std::size_t n) {
    if (col.max_def == 0) {
      out.valid.insert(out.valid.end(), n, 1);
      return n;
    }
    rle_hybrid_decode(p, size, bit_width(static_cast<uint64_t>(col.max_def)), n, levels);
    std::size_t present = 0;
    for (uint32_t l : levels) {
      if (l > static_cast<uint32_t>(col.max_def)) fail("definition level " + std::to_string(l) + " above the column's " + std::to_string(col.max_def));
      const bool here = l == static_cast<uint32_t>(col.max_def);
      out.valid.push_back(here);
      present += here;
    }
    return present;
  }
};

// Spreads `present` values (in vals, in order) over the rows of `valid` from `first_row`:
// null rows get 0 / NaN / "".
void spread(ColumnValues& out, std::size_t first_row, ColumnValues& vals) {
  std::size_t k = 0;
  for (std::size_t r = first_row; r < out.valid.size(); ++r) {
    const bool v = out.valid[r];
    switch (out.kind) {
      case ColumnValues::Kind::integer: out.ints.push_back(v ? vals.ints[k] : 0); break;
      case ColumnValues::Kind::floating: out.doubles.push_back(v ? vals.doubles[k] : 0.0); break;
      default: out.bytes.push_back(v ? std::move(vals.bytes[k]) : std::string()); break;
    }
    k += v;
  }
  vals.ints.clear(), vals.doubles.clear(), vals.bytes.clear();
}

}  // namespace

ColumnValues Reader::read(std::size_t group, std::size_t column) const {
  const auto& m = *impl_;
  if (group >= m.meta.row_groups.size() || column >= m.columns.size())
    throw Error("no row group " + std::to_string(group) + " / column " + std::to_string(column), m.path.string());
  const ColumnInfo& col = m.columns[column];
  const format::RowGroup& rg = m.meta.row_groups[group];
  const format::ColumnMeta& meta = rg.columns[column];
  ChunkDecoder d{col, meta.codec, "column " + col.path + " of row group " + std::to_string(group)};
  try {
    if (col.repeated) d.fail("repeated (list) columns are not supported");
    if (meta.type != col.physical) d.fail(std::string("chunk type ") + format::physical_name(meta.type) + " differs from the schema's " + col.type_name);
    d.out.kind = col.physical == format::kFloat || col.physical == format::kDouble ? ColumnValues::Kind::floating
                 : col.physical == format::kByteArray || col.physical == format::kFixedLenByteArray ? ColumnValues::Kind::bytes
                 : ColumnValues::Kind::integer;
    if (col.physical == format::kInt96) d.fail("INT96 timestamps are not supported");
    int64_t start = meta.data_page_offset;
    if (meta.dictionary_page_offset && *meta.dictionary_page_offset > 0 && *meta.dictionary_page_offset < start)
      start = *meta.dictionary_page_offset;
    const int64_t len = meta.total_compressed_size;
    if (start < 4 || len <= 0 || len > m.footer_start - start)
      d.fail("chunk at byte " + std::to_string(start) + " of " + std::to_string(len) + " bytes lies outside the data before the footer");
    std::string chunk;
    m.read_at(start, static_cast<std::size_t>(len), chunk);
    const auto* base = reinterpret_cast<const uint8_t*>(chunk.data());
    std::size_t pos = 0;
    const auto rows = static_cast<std::size_t>(rg.num_rows);
    ColumnValues vals;
    while (d.out.valid.size() < rows) {
      if (pos >= chunk.size()) d.fail("chunk ends after " + std::to_string(d.out.valid.size()) + " of " + std::to_string(rows) + " values");
      std::size_t used = 0;
      format::PageHeader h;
      try {
        h = format::read_page_header(base + pos, chunk.size() - pos, used);
      } catch (const Error& e) {
        d.fail("malformed page header at byte " + std::to_string(start + static_cast<int64_t>(pos)) + ": " + e.what());
      }
      const std::size_t at = pos + used;
      if (static_cast<std::size_t>(h.compressed_size) > chunk.size() - at)
        d.fail("page at byte " + std::to_string(start + static_cast<int64_t>(pos)) + " runs past its column chunk");
      pos = at + static_cast<std::size_t>(h.compressed_size);
      const uint8_t* body = base + at;
      const auto body_size = static_cast<std::size_t>(h.compressed_size);
      if (h.num_values > kMaxPageValues) d.fail("a page of " + std::to_string(h.num_values) + " values, over the limit of 2^26");
      const auto n = static_cast<std::size_t>(h.num_values);
      if (h.type == format::kDictionaryPage) {
        if (d.has_dict) d.fail("a second dictionary page");
        if (h.encoding != format::kPlain && h.encoding != format::kPlainDictionary)
          d.fail(std::string("dictionary page in encoding ") + format::encoding_name(h.encoding));
        const auto [p, size] = d.decompress(body, body_size, h.uncompressed_size);
        d.dict.kind = d.out.kind;
        d.plain(p, size, n, d.dict);
        d.has_dict = true;
      } else if (h.type == format::kDataPage) {
        if (n > rows - d.out.valid.size()) d.fail("pages hold more values than the row group's " + std::to_string(rows) + " rows");
        const auto [p, size] = d.decompress(body, body_size, h.uncompressed_size);
        std::size_t def_bytes = 0;
        const std::size_t first = d.out.valid.size();
        std::size_t present;
        if (col.max_def > 0) {
          if (size < 4) d.fail("data page without its definition levels' length");
          def_bytes = get_u32(p);
          if (def_bytes > size - 4) d.fail("definition levels longer than the page");
          present = d.definitions(p + 4, def_bytes, n);
          def_bytes += 4;
        } else {
          present = d.definitions(nullptr, 0, n);
        }
        d.values(p + def_bytes, size - def_bytes, present, h.encoding, vals);
        spread(d.out, first, vals);
      } else if (h.type == format::kDataPageV2) {
        if (n > rows - d.out.valid.size()) d.fail("pages hold more values than the row group's " + std::to_string(rows) + " rows");
        const auto levels = static_cast<std::size_t>(h.def_levels_bytes) + static_cast<std::size_t>(h.rep_levels_bytes);
        if (levels > body_size) d.fail("levels of a v2 page longer than the page");
        if (h.rep_levels_bytes != 0) d.fail("repetition levels (lists) are not supported");
        const std::size_t first = d.out.valid.size();
        const std::size_t present = d.definitions(body, static_cast<std::size_t>(h.def_levels_bytes), n);
        const uint8_t* vp = body + levels;
        std::size_t vsize = body_size - levels;
        if (h.v2_compressed) {
          const auto [p, size] = d.decompress(vp, vsize, static_cast<int64_t>(h.uncompressed_size) - static_cast<int64_t>(levels));
          vp = p, vsize = size;
        }
        d.values(vp, vsize, present, h.encoding, vals);
        spread(d.out, first, vals);
      } else if (h.type != format::kIndexPage) {
        d.fail("unknown page type " + std::to_string(h.type));
      }
    }
  } catch (const Error& e) {
    if (!e.file().empty()) throw;
    throw Error(e.what(), m.path.string());
  }
  return std::move(d.out);
}

}  // namespace warcpairs::parquet
