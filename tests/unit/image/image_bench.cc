// Throughput of the score stage's per-image work on 640x480 JPEGs, one core:
// sha256(bytes) + decode + resize + phash (+ CLIP preprocessing). Not a test; run by hand:
//   build-img/tests/unit/image/image_bench [images=400] [dump_dir]
// With dump_dir it also writes its 20 JPEGs there for the PIL peer, bench_peer_pil.py.
#include <algorithm>
#include <ctime>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <random>

#include "fixtures.h"
#include "warcpairs/core/digest.h"
#include "warcpairs/image/image.h"

namespace wi = warcpairs::image;

namespace {

// Photo-like 640x480: smooth shapes plus sensor-like noise, JPEG q75 4:2:0 (PIL's defaults);
// 20 different images, so caches do not flatter the numbers.
std::vector<std::vector<uint8_t>> make_jpegs() {
  std::vector<std::vector<uint8_t>> out;
  std::mt19937 rng(7);
  for (int i = 0; i < 20; ++i) {
    wi::Image im = wi::test::smooth(640, 480);
    std::normal_distribution<double> noise(0, 6);
    for (size_t k = 0; k < im.rgb.size(); ++k) {
      const double v = im.rgb[k] + noise(rng) + 30 * std::sin((k / 3 % 640) * (0.02 + i * 0.003));
      im.rgb[k] = static_cast<uint8_t>(std::clamp(v, 0.0, 255.0));
    }
    out.push_back(wi::encode_jpeg(im, 75));
  }
  return out;
}

// Thread CPU time, not wall time: the build machine is shared, and a loaded machine would
// otherwise report its load instead of our cost.
double cpu_seconds() {
  timespec ts;
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return ts.tv_sec + ts.tv_nsec * 1e-9;
}

template <class F>
double per_second(int n, F&& f) {
  const double t0 = cpu_seconds();
  for (int i = 0; i < n; ++i) f(i);
  return n / (cpu_seconds() - t0);
}

}  // namespace

int main(int argc, char** argv) {
  const int n = argc > 1 ? std::atoi(argv[1]) : 400;
  const auto jpegs = make_jpegs();
  if (argc > 2) {
    for (size_t i = 0; i < jpegs.size(); ++i) {
      const std::string path = std::string(argv[2]) + "/bench_" + std::to_string(i) + ".jpg";
      if (FILE* f = std::fopen(path.c_str(), "wb")) {
        std::fwrite(jpegs[i].data(), 1, jpegs[i].size(), f);
        std::fclose(f);
      }
    }
  }
  size_t total = 0;
  for (const auto& j : jpegs) total += j.size();
  std::printf("input: 20 JPEGs 640x480 q75 4:2:0, mean %zu bytes; %d images per row\n",
              total / jpegs.size(), n);
  wi::DecodeResult r;
  uint64_t sink = 0;
  auto pipeline = [&](int min_side, int size, bool clip) {
    return [&, min_side, size, clip](int i) {
      const auto& bytes = jpegs[i % jpegs.size()];
      sink += warcpairs::sha256(bytes)[0];
      wi::decode(bytes, {.min_side = min_side}, r);
      const wi::Image small = wi::resize(r.image, size, wi::ResizeMode::keep_ratio);
      sink += small.rgb[0] + wi::phash(r.image);
      if (clip) sink += static_cast<uint64_t>(wi::clip_pixels(r.image)[0] * 1000);
    };
  };
  std::printf("%-58s %10s\n", "per image (one core)", "images/s");
  std::printf("%-58s %10.0f\n", "decode only, full size",
              per_second(n, [&](int i) { wi::decode(jpegs[i % 20], {}, r); }));
  std::printf("%-58s %10.0f\n", "decode only, DCT-scaled (min_side 224 -> 320x240)",
              per_second(n, [&](int i) { wi::decode(jpegs[i % 20], {.min_side = 224}, r); }));
  wi::decode(jpegs[0], {}, r);
  const wi::Image full = r.image;
  std::printf("%-58s %10.0f\n", "sha256 only",
              per_second(n, [&](int i) { sink += warcpairs::sha256(jpegs[i % 20])[0]; }));
  std::printf("%-58s %10.0f\n", "resize 640x480 -> 341x256 keep_ratio (box)",
              per_second(n, [&](int) { sink += wi::resize(full, 256, wi::ResizeMode::keep_ratio).rgb[0]; }));
  std::printf("%-58s %10.0f\n", "phash of 640x480",
              per_second(n, [&](int) { sink += wi::phash(full); }));
  std::printf("%-58s %10.0f\n", "clip_pixels of 640x480",
              per_second(n, [&](int) { sink += wi::clip_pixels(full).size(); }));
  std::printf("%-58s %10.0f\n", "A: sha256+decode+resize 256 keep_ratio+phash",
              per_second(n, pipeline(0, 256, false)));
  std::printf("%-58s %10.0f\n", "A + clip_pixels 224 (bit-exact with HF)",
              per_second(n, pipeline(0, 256, true)));
  std::printf("%-58s %10.0f\n", "B: sha256+decode 1/2 (min_side 224)+resize 224+phash",
              per_second(n, pipeline(224, 224, false)));
  std::printf("%-58s %10.0f\n", "B + clip_pixels 224 (of the 1/2-scale decode)",
              per_second(n, pipeline(224, 224, true)));
  std::printf("%-58s %10s\n", "target (DESIGN: download+decode+resize+hash)", ">= 300");
  return sink == 42 ? 1 : 0;
}
