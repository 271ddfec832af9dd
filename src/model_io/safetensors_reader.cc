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
  auto fail = [&](const std::string& what, int64_t offset = -1) {
    throw Error("safetensors: " + what, source_, offset);
  };
  if (file.size() < 8)
    fail("file of " + std::to_string(file.size()) + " bytes is too small for the 8-byte header length");
  const uint64_t n = read_le64(file.data());
  if (n > kMaxHeaderBytes)
    fail("header length " + std::to_string(n) + " exceeds the 100 MB limit", 0);
  if (n > file.size() - 8)
    fail("header length " + std::to_string(n) + " runs past the end of the file (" +
             std::to_string(file.size()) + " bytes)", 0);
  header_bytes_ = n;
  const std::string_view text(reinterpret_cast<const char*>(file.data()) + 8, n);
  if (text.empty() || text.front() != '{') fail("header does not start with '{'", 8);
  if (json_depth(text, kMaxDepth) > kMaxDepth)
    fail("header nests deeper than " + std::to_string(kMaxDepth) + " levels", 8);
  json header;
  std::string duplicate;
  try {
    header = parse_rejecting_duplicates(text, duplicate);
  } catch (const json::parse_error& e) {
    fail(std::string("header is not valid JSON: ") + e.what(), 8 + static_cast<int64_t>(e.byte) - 1);
  }
  if (!duplicate.empty()) fail("header repeats the key " + in_quotes(duplicate), 8);
  if (!header.is_object()) fail("header is not a JSON object", 8);

  std::vector<std::pair<std::string, Entry>> tensors;
  for (auto& [key, value] : header.items()) {
    if (key == "__metadata__") {
      if (!value.is_object()) fail("__metadata__ is not an object of strings");
      for (auto& [mk, mv] : value.items()) {
        if (!mv.is_string()) fail("__metadata__ value of " + in_quotes(mk) + " is not a string");
        metadata_.emplace(mk, mv.get<std::string>());
      }
      continue;
    }
    auto bad = [&](const std::string& what) { fail("tensor " + in_quotes(key) + ": " + what); };
    if (!value.is_object()) bad("entry is not an object");
    Entry e{};
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
    tensors.emplace_back(key, std::move(e));
  }

  // The data section must be covered exactly, tensor after tensor: no overlap, no hole, nothing
  // after the last one (README "Format" notes; tensor.rs validate + MetadataIncompleteBuffer).
  std::vector<size_t> order(tensors.size());
  std::iota(order.begin(), order.end(), 0);
  std::sort(order.begin(), order.end(), [&](size_t a, size_t b) {
    const Entry &x = tensors[a].second, &y = tensors[b].second;
    return std::tie(x.begin, x.end, tensors[a].first) < std::tie(y.begin, y.end, tensors[b].first);
  });
  uint64_t covered = 0;
  std::string previous;
  for (size_t i : order) {
    const auto& [name, e] = tensors[i];
    if (e.begin < covered)
      fail("tensor " + in_quotes(name) + ": data_offsets [" + std::to_string(e.begin) + "," +
           std::to_string(e.end) + "] overlap tensor " + in_quotes(previous));
    if (e.begin > covered)
      fail("tensor " + in_quotes(name) + ": data_offsets [" + std::to_string(e.begin) + "," +
           std::to_string(e.end) + "] leave a hole after byte " + std::to_string(covered) +
           " of the data section");
    covered = e.end;
    previous = name;
  }
  const uint64_t data_size = file.size() - 8 - n;
  if (covered != data_size)
    fail("tensors cover " + std::to_string(covered) + " bytes but the data section has " +
         std::to_string(data_size) + (covered < data_size ? " (trailing bytes)" : " (file truncated)"),
         static_cast<int64_t>(8 + n + std::min(covered, data_size)));

  data_ = file.data() + 8 + n;
  std::sort(tensors.begin(), tensors.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
  names_.reserve(tensors.size());
  entries_.reserve(tensors.size());
  for (auto& [name, e] : tensors) {
    names_.push_back(std::move(name));
    entries_.push_back(std::move(e));
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
