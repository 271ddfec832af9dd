// How the stages write a pair's fields where others read them (WebDataset tars, JSON): one
// spelling for score, export and review, so a key or a hash reads the same in every output.
#pragma once

#include <cmath>
#include <cstdint>
#include <cstdio>
#include <string>

#include <nlohmann/json.hpp>

namespace warcpairs::stages {

// The sample key of an image: its image_id in nine digits (RUN/images and every export).
inline std::string sample_key(int64_t image_id) {
  char k[32];
  std::snprintf(k, sizeof k, "%09lld", static_cast<long long>(image_id));
  return k;
}

// A 64-bit hash (pHash) as 16 hex digits.
inline std::string hex64(uint64_t v) {
  char h[17];
  std::snprintf(h, sizeof h, "%016llx", static_cast<unsigned long long>(v));
  return h;
}

// Unknown numbers as JSON null: NaN scores, negative sizes.
inline nlohmann::json number_or_null(double v) { return std::isnan(v) ? nlohmann::json(nullptr) : nlohmann::json(v); }
inline nlohmann::json size_or_null(int64_t v) { return v < 0 ? nlohmann::json(nullptr) : nlohmann::json(v); }

}  // namespace warcpairs::stages
