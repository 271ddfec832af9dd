// clip_bench: CLIP image and text embeddings/s through ClipScorer on random-weight checkpoints
// (ViT-B/32 sizes and the tiny test sizes), one intra-op thread by default.
#include <time.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

#include "warcpairs/model/clip_scorer.h"
#include "warcpairs/model/span_model.h"  // set_threads
#include "warcpairs/model_io/tiny_clip.h"

namespace {
using Clock = std::chrono::steady_clock;
namespace fs = std::filesystem;

struct PerSecond {
  double wall, cpu;  // items per wall-clock second, per second of this process's CPU time
};
struct Rate {
  PerSecond images, texts;
};

double cpu_seconds() {  // this process's CPU time: on a shared, loaded machine wall time lies
  timespec t{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
  return static_cast<double>(t.tv_sec) + 1e-9 * static_cast<double>(t.tv_nsec);
}

// Embeds `batch`-sized groups until `seconds` have passed (after one warm-up batch).
template <typename F>
PerSecond rate(F&& step, int64_t batch, double seconds) {
  step();
  int64_t done = 0;
  const auto t0 = Clock::now();
  const double c0 = cpu_seconds();
  double elapsed = 0;
  while (elapsed < seconds || done < 2 * batch) {
    step();
    done += batch;
    elapsed = std::chrono::duration<double>(Clock::now() - t0).count();
  }
  return {static_cast<double>(done) / elapsed, static_cast<double>(done) / (cpu_seconds() - c0)};
}

Rate measure(const fs::path& dir, int64_t batch, int64_t text_tokens, double seconds) {
  auto scorer = warcpairs::model::ClipScorer::load(dir, "cpu");
  const int64_t s = scorer.image_size(), per = scorer.num_channels() * s * s;
  std::vector<float> pixels(static_cast<size_t>(batch * per));
  uint64_t x = 88172645463325252ull;  // xorshift64: pixel values in [-2, 2), like normalised images
  for (float& p : pixels) {
    x ^= x << 13, x ^= x >> 7, x ^= x << 17;
    p = static_cast<float>(x >> 40) / static_cast<float>(1 << 24) * 4.0f - 2.0f;
  }
  const int64_t len = std::min(text_tokens, scorer.max_text_tokens());
  std::vector<std::vector<int32_t>> texts(static_cast<size_t>(batch));
  for (size_t i = 0; i < texts.size(); ++i)
    for (int64_t k = 0; k < len; ++k) texts[i].push_back(static_cast<int32_t>((i * 31 + k * 7) % 60 + 2));
  std::vector<float> out;
  Rate r{};
  r.images = rate([&] { scorer.embed_images(pixels.data(), batch, out); }, batch, seconds);
  r.texts = rate([&] { scorer.embed_texts(texts, out); }, batch, seconds);
  return r;
}
}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: clip_bench SCRATCH_DIR [THREADS=1] [BATCH=16] [SECONDS=10] [TEXT_TOKENS=20]\n");
    return 2;
  }
  const fs::path scratch = argv[1];
  const int threads = argc > 2 ? std::atoi(argv[2]) : 1;
  const int64_t batch = argc > 3 ? std::atoll(argv[3]) : 16;
  const double seconds = argc > 4 ? std::atof(argv[4]) : 10.0;
  const int64_t tokens = argc > 5 ? std::atoll(argv[5]) : 20;
  warcpairs::model::set_threads(threads);
  struct Model {
    const char* name;
    warcpairs::model_io::ClipConfig config;
  };
  const Model models[] = {{"ViT-B/32 sizes", warcpairs::model_io::TinyClipOptions::clip_vit_b32_sizes()},
                          {"tiny (tests)", warcpairs::model_io::TinyClipOptions::tiny_clip_config()}};
  std::printf("CLIP embeddings on the CPU, %d thread(s), batch %lld, texts of %lld tokens\n", threads,
              static_cast<long long>(batch), static_cast<long long>(tokens));
  std::printf("%-16s | %10s | %14s | %12s | %10s | %13s\n", "model", "images/s", "images/CPU-s", "CPU-ms/image",
              "texts/s", "texts/CPU-s");
  for (const Model& m : models) {
    const fs::path dir = scratch / (m.config.vision.hidden_size == 768 ? "clip-b32-random" : "clip-tiny");
    if (!fs::exists(dir / "model.safetensors")) {  // random weights: speed does not depend on them
      warcpairs::model_io::TinyClipOptions o;
      o.seed = 1;
      o.config = m.config;
      warcpairs::model_io::write_tiny_clip(dir.string(), o);
    }
    const Rate r = measure(dir, batch, tokens, seconds);
    std::printf("%-16s | %10.2f | %14.2f | %12.3f | %10.1f | %13.1f\n", m.name, r.images.wall, r.images.cpu,
                1000.0 / r.images.cpu, r.texts.wall, r.texts.cpu);
    std::fflush(stdout);
  }
  return 0;
}
