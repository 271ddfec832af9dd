// Safetensors header parsing and validation (8-byte LE length, JSON header, contiguous data).
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstring>
#include <numeric>
#include <set>

#include "warcpairs/core/error.h"
#include "warcpairs/model_io/safetensors.h"

namespace warcpairs::model_io {
namespace {
using nlohmann::json;
constexpr int kMaxDepth = 16;  // a valid header nests 3 deep; bounds the parser's work on junk

std::string in_quotes(std::string_view name) {
  std::string s(1, '\'');  // built by append: GCC 12 warns falsely (-Wrestrict) on "'" + string
  s.append(name);
  s += '\'';
  return s;
}

// Nesting depth of JSON text, skipping strings; stops early once past `limit`.
int json_depth(std::string_view text, int limit) {
  int depth = 0, max_depth = 0;
  bool in_string = false, escaped = false;
  for (char c : text) {
    if (in_string) {
      if (escaped) escaped = false;
      else if (c == '\\') escaped = true;
      else if (c == '"') in_string = false;
    } else if (c == '"') {
      in_string = true;
    } else if (c == '{' || c == '[') {
      max_depth = std::max(max_depth, ++depth);
      if (max_depth > limit) break;
    } else if (c == '}' || c == ']') {
      --depth;
    }
  }
  return max_depth;
}

// Parses with nlohmann::json but remembers the first key repeated inside one object: the README
// says duplicate keys are disallowed, and json would silently keep the last one.
json parse_rejecting_duplicates(std::string_view text, std::string& duplicate) {
  std::vector<std::set<std::string>> keys(kMaxDepth + 2);
  json::parser_callback_t cb = [&](int depth, json::parse_event_t event, json& parsed) {
    if (depth < 0 || depth > kMaxDepth) return true;
    if (event == json::parse_event_t::object_start) {
      keys[depth + 1].clear();
    } else if (event == json::parse_event_t::key) {
      const std::string& k = parsed.get_ref<const std::string&>();
      if (!keys[depth].insert(k).second && duplicate.empty()) duplicate = k.empty() ? "\"\"" : k;
    }
    return true;
  };
  return json::parse(text.begin(), text.end(), cb);
}

uint64_t read_le64(const std::byte* p) {
  uint64_t v = 0;
  for (int i = 7; i >= 0; --i) v = (v << 8) | static_cast<uint8_t>(p[i]);
  return v;
}

[[noreturn]] void fail(const std::string& source, const std::string& what, int64_t offset = -1) {
  throw Error("safetensors: " + what, source, offset);
}

struct RawEntry {
  std::string name;
  Dtype dtype;
  std::vector<int64_t> shape;
  uint64_t begin, end;
};

// The 8-byte length and the JSON header: length bounds, '{' first, depth, duplicates, syntax.
json parse_header(std::span<const std::byte> file, const std::string& source, uint64_t& n) {
  if (file.size() < 8)
    fail(source, "file of " + std::to_string(file.size()) + " bytes is too small for the 8-byte header length");
  n = read_le64(file.data());
  if (n > SafetensorsView::kMaxHeaderBytes)
    fail(source, "header length " + std::to_string(n) + " exceeds the 100 MB limit", 0);
  if (n > file.size() - 8)
    fail(source, "header length " + std::to_string(n) + " runs past the end of the file (" +
                     std::to_string(file.size()) + " bytes)", 0);
  const std::string_view text(reinterpret_cast<const char*>(file.data()) + 8, n);
  if (text.empty() || text.front() != '{') fail(source, "header does not start with '{'", 8);
  if (json_depth(text, kMaxDepth) > kMaxDepth)
    fail(source, "header nests deeper than " + std::to_string(kMaxDepth) + " levels", 8);
  json header;
  std::string duplicate;
  try {
    header = parse_rejecting_duplicates(text, duplicate);
  } catch (const json::parse_error& e) {
    fail(source, std::string("header is not valid JSON: ") + e.what(), 8 + static_cast<int64_t>(e.byte) - 1);
  } catch (const json::exception& e) {  // out_of_range: a number such as 1e999 overflows a double
    fail(source, std::string("header is not valid JSON: ") + e.what(), 8);
  }
  if (!duplicate.empty()) fail(source, "header repeats the key " + in_quotes(duplicate), 8);
  if (!header.is_object()) fail(source, "header is not a JSON object", 8);
  return header;
}

// One tensor entry: {"dtype": ..., "shape": [...], "data_offsets": [begin, end]} (extra keys are
// ignored, as serde does for TensorInfo), with its byte size checked against dtype × shape.
RawEntry parse_entry(const std::string& source, const std::string& name, const json& value) {
  auto bad = [&](const std::string& what) { fail(source, "tensor " + in_quotes(name) + ": " + what); };
  if (!value.is_object()) bad("entry is not an object");
  RawEntry e{name, Dtype::kU8, {}, 0, 0};
  auto dt = value.find("dtype");
  if (dt == value.end() || !dt->is_string()) bad("missing \"dtype\" string");
  auto d = parse_dtype(dt->get_ref<const std::string&>());
  if (!d) bad("unsupported dtype " + in_quotes(dt->get_ref<const std::string&>()));
  e.dtype = *d;
  auto sh = value.find("shape");
  if (sh == value.end() || !sh->is_array()) bad("missing \"shape\" array");
  uint64_t numel = 1;
  for (const json& dim : *sh) {
    if (!dim.is_number_unsigned()) bad("shape " + sh->dump() + " is not a list of non-negative integers");
    const uint64_t v = dim.get<uint64_t>();
    if (v > static_cast<uint64_t>(INT64_MAX)) bad("shape dimension " + std::to_string(v) + " is too large");
    if (__builtin_mul_overflow(numel, v, &numel)) bad("shape " + sh->dump() + " overflows");
    e.shape.push_back(static_cast<int64_t>(v));
  }
  uint64_t nbytes;
  if (__builtin_mul_overflow(numel, dtype_size(e.dtype), &nbytes)) bad("byte size of shape " + sh->dump() + " overflows");
  auto off = value.find("data_offsets");
  if (off == value.end() || !off->is_array() || off->size() != 2 || !(*off)[0].is_number_unsigned() ||
      !(*off)[1].is_number_unsigned())
    bad("\"data_offsets\" is not [begin, end] of non-negative integers");
  e.begin = (*off)[0].get<uint64_t>();
  e.end = (*off)[1].get<uint64_t>();
  if (e.end < e.begin) bad("data_offsets " + off->dump() + " end before begin");
  if (e.end - e.begin != nbytes)
    bad("data_offsets " + off->dump() + " hold " + std::to_string(e.end - e.begin) + " bytes but " +
        std::string(dtype_name(e.dtype)) + " " + sh->dump() + " needs " + std::to_string(nbytes));
  return e;
}

// The data section must be covered exactly, tensor after tensor: no overlap, no hole, nothing
// after the last one (README "Format" notes; tensor.rs validate + MetadataIncompleteBuffer).
void check_coverage(const std::string& source, std::vector<RawEntry>& entries, uint64_t data_start,
                    uint64_t data_size) {
  std::sort(entries.begin(), entries.end(), [](const RawEntry& x, const RawEntry& y) {
    return std::tie(x.begin, x.end, x.name) < std::tie(y.begin, y.end, y.name);
  });
  uint64_t covered = 0;
  const std::string* previous = nullptr;
  for (const RawEntry& e : entries) {
    const std::string where = "tensor " + in_quotes(e.name) + ": data_offsets [" + std::to_string(e.begin) +
                              "," + std::to_string(e.end) + "]";
    if (e.begin < covered) fail(source, where + " overlap tensor " + in_quotes(*previous));
    if (e.begin > covered)
      fail(source, where + " leave a hole after byte " + std::to_string(covered) + " of the data section");
    covered = e.end;
    previous = &e.name;
  }
  if (covered != data_size)
    fail(source, "tensors cover " + std::to_string(covered) + " bytes but the data section has " +
                     std::to_string(data_size) + (covered < data_size ? " (trailing bytes)" : " (file truncated)"),
         static_cast<int64_t>(data_start + std::min(covered, data_size)));
}
}  // namespace

int64_t TensorView::numel() const {
  return std::accumulate(shape.begin(), shape.end(), int64_t{1}, std::multiplies<>());
}

std::vector<float> TensorView::to_float() const {
  if (!is_float(dtype))
    throw Error("tensor " + in_quotes(name) + " has dtype " + std::string(dtype_name(dtype)) +
                ", not a float type");
  std::vector<float> out(size / dtype_size(dtype));
  convert_to_float(dtype, bytes(), out);
  return out;
}

SafetensorsView::SafetensorsView(std::span<const std::byte> file, std::string source)
    : source_(std::move(source)) {
  parse(file);
}

void SafetensorsView::parse(std::span<const std::byte> file) {
  uint64_t n = 0;
  const json header = parse_header(file, source_, n);
  std::vector<RawEntry> tensors;
  for (const auto& item : header.items()) {
    if (item.key() != "__metadata__") {
      tensors.push_back(parse_entry(source_, item.key(), item.value()));
      continue;
    }
    if (!item.value().is_object()) fail(source_, "__metadata__ is not an object of strings");
    for (const auto& m : item.value().items()) {
      if (!m.value().is_string()) fail(source_, "__metadata__ value of " + in_quotes(m.key()) + " is not a string");
      metadata_.emplace(m.key(), m.value().get<std::string>());
    }
  }
  check_coverage(source_, tensors, 8 + n, file.size() - 8 - n);
  header_bytes_ = n;
  data_ = file.data() + 8 + n;
  std::sort(tensors.begin(), tensors.end(), [](const RawEntry& a, const RawEntry& b) { return a.name < b.name; });
  names_.reserve(tensors.size());
  entries_.reserve(tensors.size());
  for (RawEntry& e : tensors) {
    names_.push_back(std::move(e.name));
    entries_.push_back({e.dtype, std::move(e.shape), e.begin, e.end});
  }
}

bool SafetensorsView::contains(std::string_view name) const { return find(name).has_value(); }

std::optional<TensorView> SafetensorsView::find(std::string_view name) const {
  auto it = std::lower_bound(names_.begin(), names_.end(), name);
  if (it == names_.end() || *it != name) return std::nullopt;
  const Entry& e = entries_[static_cast<size_t>(it - names_.begin())];
  return TensorView{*it, e.dtype, e.shape, data_ + e.begin, static_cast<size_t>(e.end - e.begin)};
}

TensorView SafetensorsView::tensor(std::string_view name) const {
  if (auto t = find(name)) return *t;
  throw Error("safetensors: no tensor " + in_quotes(name), source_);
}

}  // namespace warcpairs::model_io
