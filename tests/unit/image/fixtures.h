// Test support for the image layer: fixture files, synthetic images, max-abs-diff comparison.
#pragma once

#include <cstdint>
#include <cmath>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <sstream>
#include <string>
#include <vector>

#include "warcpairs/image/image.h"

namespace warcpairs::image::test {

inline std::string data_dir() { return std::string(WARCPAIRS_SOURCE_DIR) + "/tests/unit/image/data/"; }

inline std::vector<uint8_t> read_bytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

inline Image load_rgb(const std::string& name, int w, int h) {
  Image im{w, h, read_bytes(data_dir() + name)};
  if (im.rgb.size() != static_cast<size_t>(w) * h * 3) im = {};
  return im;
}

// cases.txt lines, split on spaces, those whose first word is `kind`.
inline std::vector<std::vector<std::string>> cases(const std::string& kind) {
  std::ifstream in(data_dir() + "cases.txt");
  std::vector<std::vector<std::string>> out;
  for (std::string line; std::getline(in, line);) {
    std::istringstream words(line);
    std::vector<std::string> w;
    for (std::string s; words >> s;) w.push_back(s);
    if (!w.empty() && w[0] == kind) out.push_back(w);
  }
  return out;
}

// Largest per-byte difference; -1 when the sizes differ.
inline int max_abs_diff(const Image& a, const Image& b) {
  if (a.width != b.width || a.height != b.height || a.rgb.size() != b.rgb.size()) return -1;
  int m = 0;
  for (size_t i = 0; i < a.rgb.size(); ++i) m = std::max(m, std::abs(a.rgb[i] - b.rgb[i]));
  return m;
}

// A deterministic image with gradients, edges and noise (xorshift, 0..noise-1), w x h.
inline Image synth(int w, int h, uint32_t seed = 1, uint32_t noise = 32) {
  Image im{w, h, std::vector<uint8_t>(static_cast<size_t>(w) * h * 3)};
  uint32_t s = seed * 2654435761u + 1;
  for (int y = 0; y < h; ++y) {
    for (int x = 0; x < w; ++x) {
      s ^= s << 13, s ^= s >> 17, s ^= s << 5;
      uint8_t* p = &im.rgb[(static_cast<size_t>(y) * w + x) * 3];
      const bool disc = (x - w / 3) * (x - w / 3) + (y - h / 2) * (y - h / 2) < (h / 4) * (h / 4);
      p[0] = static_cast<uint8_t>(disc ? 230 : (x * 255) / std::max(1, w - 1));
      p[1] = static_cast<uint8_t>(disc ? 40 : (y * 255) / std::max(1, h - 1));
      p[2] = static_cast<uint8_t>(((x / 8 + y / 8) % 2) * 120 + (s % noise));
    }
  }
  return im;
}

// Photo-like: smooth gradients and one soft-edged disc, what JPEG's 4:2:0 keeps well.
inline Image smooth(int w, int h) {
  Image im{w, h, std::vector<uint8_t>(static_cast<size_t>(w) * h * 3)};
  for (int y = 0; y < h; ++y) {
    for (int x = 0; x < w; ++x) {
      uint8_t* p = &im.rgb[(static_cast<size_t>(y) * w + x) * 3];
      const double d = std::hypot(x - w / 2.0, y - h / 2.0) / (h / 3.0);
      const double disc = d < 0.8 ? 1.0 : d > 1.2 ? 0.0 : (1.2 - d) / 0.4;
      p[0] = static_cast<uint8_t>(40 + 180.0 * x / w);
      p[1] = static_cast<uint8_t>(200 - 150.0 * y / h * (1 - disc));
      p[2] = static_cast<uint8_t>(60 + 150 * disc);
    }
  }
  return im;
}

inline Image solid(int w, int h, uint8_t r, uint8_t g, uint8_t b) {
  Image im{w, h, {}};
  for (int i = 0; i < w * h; ++i) im.rgb.insert(im.rgb.end(), {r, g, b});
  return im;
}

}  // namespace warcpairs::image::test
