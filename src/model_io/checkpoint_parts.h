// Pieces the DistilBERT and CLIP halves of model_io share (internal to src/model_io): typed
// config.json field access, the seeded weights of generated checkpoints, report listing.
#pragma once

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <initializer_list>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "warcpairs/core/error.h"
#include "warcpairs/core/splitmix64.h"
#include "warcpairs/model_io/distilbert_checkpoint.h"
#include "warcpairs/model_io/dtype.h"

namespace warcpairs::model_io::detail {

// config.json's text as the JSON object it must be; errors start with `source`.
inline nlohmann::json parse_config_object(std::string_view json_text, const std::string& source) {
  nlohmann::json j;
  try {
    j = nlohmann::json::parse(json_text.begin(), json_text.end());
  } catch (const nlohmann::json::exception& e) {  // parse_error, or out_of_range for a number like 1e999
    throw UsageError(source + ": not valid JSON: " + e.what());
  }
  if (!j.is_object()) throw UsageError(source + ": top level is not a JSON object");
  return j;
}

// One UsageError listing every problem of a config ("<source>: invalid <model> config:"),
// or nothing when there are none.
inline void throw_if_invalid(const std::vector<std::string>& problems, const std::string& source,
                             const char* model) {
  if (problems.empty()) return;
  std::string msg = source + ": invalid " + model + " config:";
  for (const std::string& p : problems) msg += "\n  " + p;
  throw UsageError(msg);
}

// Typed access to the keys of one JSON object. `where` starts every error message and the key
// completes it: "config.json: '" or "config.json: 'text_config.".
class FieldReader {
 public:
  FieldReader(const nlohmann::json& j, std::string where) : j_(j), where_(std::move(where)) {}
  void integer(const char* key, int64_t& out) const {
    if (const nlohmann::json* v = get(key)) {
      if (!v->is_number_integer()) fail(key, "an integer", *v);
      out = v->get<int64_t>();
    }
  }
  // `alias` is transformers' attribute_map name for `key`; both present must agree.
  void integer_alias(const char* key, const char* alias, int64_t& out) const {
    integer(key, out);
    if (get(alias)) {
      int64_t v = 0;
      integer(alias, v);
      if (get(key) && v != out)
        throw UsageError(where_ + key + "' = " + std::to_string(out) + " but its alias '" + alias +
                         "' = " + std::to_string(v));
      out = v;
    }
  }
  // PretrainedConfig keeps token ids that are null ("eos_token_id": null): keep the default then.
  void token_id(const char* key, int64_t& out) const {
    if (const nlohmann::json* v = get(key); v && !v->is_null()) integer(key, out);
  }
  void real(const char* key, double& out) const {
    if (const nlohmann::json* v = get(key)) {
      if (!v->is_number()) fail(key, "a number", *v);
      out = v->get<double>();
    }
  }
  void boolean(const char* key, bool& out) const {
    if (const nlohmann::json* v = get(key)) {
      if (!v->is_boolean()) fail(key, "true or false", *v);
      out = v->get<bool>();
    }
  }
  void string(const char* key, std::string& out) const {
    if (const nlohmann::json* v = get(key)) {
      if (!v->is_string()) fail(key, "a string", *v);
      out = v->get<std::string>();
    }
  }
  void strings(const char* key, std::vector<std::string>& out) const {
    if (const nlohmann::json* v = get(key)) {
      if (v->is_null()) return;  // transformers writes "architectures": null when unset
      if (!v->is_array()) fail(key, "a list of strings", *v);
      out.clear();
      for (const nlohmann::json& s : *v) {
        if (!s.is_string()) fail(key, "a list of strings", *v);
        out.push_back(s.get<std::string>());
      }
    }
  }
  // Keys not in `known` → their JSON text.
  void rest(std::initializer_list<const char*> known, std::map<std::string, std::string>& extra) const {
    for (auto& [key, value] : j_.items()) {
      bool k = false;
      for (const char* name : known) k = k || key == name;
      if (!k) extra.emplace(key, value.dump());
    }
  }

 private:
  const nlohmann::json* get(const char* key) const {
    auto it = j_.find(key);
    return it == j_.end() ? nullptr : &*it;
  }
  [[noreturn]] void fail(const char* key, const char* want, const nlohmann::json& got) const {
    throw UsageError(where_ + key + "' must be " + want + ", got " + got.dump());
  }
  const nlohmann::json& j_;
  std::string where_;
};

// SplitMix64 + Box–Muller with explicit formulas: std::normal_distribution differs between
// standard libraries, and fixtures must not.
class Normal {
 public:
  explicit Normal(uint64_t seed) : state_(seed) {}
  float next(double stddev) {
    const double u1 = (static_cast<double>(bits() >> 11) + 1.0) * 0x1.0p-53;  // (0, 1]
    const double u2 = static_cast<double>(bits() >> 11) * 0x1.0p-53;          // [0, 1)
    return static_cast<float>(stddev * std::sqrt(-2.0 * std::log(u1)) * std::cos(6.283185307179586 * u2));
  }

 private:
  uint64_t bits() { return splitmix64_next(state_); }
  uint64_t state_;
};

// Float values as little-endian `dtype` bytes (F32, F16 or BF16).
inline void encode_floats(const std::vector<float>& values, Dtype dtype, std::vector<std::byte>& out) {
  out.resize(values.size() * dtype_size(dtype));
  if (dtype == Dtype::kF32) {
    std::memcpy(out.data(), values.data(), out.size());
    return;
  }
  for (size_t i = 0; i < values.size(); ++i) {
    const uint16_t h = dtype == Dtype::kF16 ? float_to_f16(values[i]) : float_to_bf16(values[i]);
    std::memcpy(&out[i * 2], &h, 2);
  }
}

// The listing of a checkpoint report: "TITLE (n):\n  name\n..." per non-empty group.
inline void list_names(std::string& s, const char* title, const std::vector<std::string>& names) {
  if (names.empty()) return;
  s += title + std::string(" (") + std::to_string(names.size()) + "):";
  for (const std::string& n : names) s += "\n  " + n;
  s += "\n";
}
inline void list_mismatched(std::string& s, const std::vector<TensorProblem>& mismatched) {
  if (mismatched.empty()) return;
  s += "mismatched (" + std::to_string(mismatched.size()) + "):";
  for (const TensorProblem& p : mismatched) s += "\n  " + p.name + ": " + p.what;
  s += "\n";
}

// Adds `name` to `mismatched` when the stored tensor's shape is not `want` or its dtype is
// not a float type.
inline void check_stored(const std::string& name, const TensorView& got, const std::vector<int64_t>& want,
                         std::vector<TensorProblem>& mismatched) {
  if (!std::equal(got.shape.begin(), got.shape.end(), want.begin(), want.end()))
    mismatched.push_back({name, "shape " + shape_text(got.shape) + " but the config needs " + shape_text(want)});
  else if (!is_float(got.dtype))
    mismatched.push_back({name, "dtype " + std::string(dtype_name(got.dtype)) + " is not a float type"});
}

}  // namespace warcpairs::model_io::detail
