// search_bench: embeddings scanned per second by one core (search's scan_share: memory-mapped
// float16 parts, the dot-product kernel, the bounded heap), against a plain sequential read of
// the same bytes from the same mapping (64-bit loads summed: the memory bandwidth one core gets)
// measured in the same run, interleaved, best of R rounds each.
// Usage: search_bench SCRATCH_DIR [ROWS=1000000] [DIM=512] [ROUNDS=5]
#include <sys/mman.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <random>
#include <string>
#include <vector>

#include "../../src/stages/search/dot_kernel.h"
#include "../../src/stages/search/search_scan.h"
#include "warcpairs/core/float16.h"
#include "warcpairs/store/npy.h"

namespace fs = std::filesystem;
using namespace warcpairs;
using Clock = std::chrono::steady_clock;

namespace {

double seconds_since(Clock::time_point t0) {
  return std::chrono::duration<double>(Clock::now() - t0).count();
}

// The plain read: every 8 bytes of the data loaded once, in order (the compiler vectorises it).
__attribute__((noinline)) uint64_t sum_words(const uint64_t* p, std::size_t n) {
  uint64_t a = 0, b = 0, c = 0, d = 0;
  std::size_t i = 0;
  for (; i + 4 <= n; i += 4) a += p[i], b += p[i + 1], c += p[i + 2], d += p[i + 3];
  for (; i < n; ++i) a += p[i];
  return a + b + c + d;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: search_bench SCRATCH_DIR [ROWS] [DIM] [ROUNDS]\n");
    return 2;
  }
  const fs::path dir = argv[1];
  const int64_t rows = argc > 2 ? std::atoll(argv[2]) : 1000000;
  const int64_t dim = argc > 3 ? std::atoll(argv[3]) : 512;
  const int rounds = argc > 4 ? std::atoi(argv[4]) : 5;
  fs::create_directories(dir);
  store::EmbeddingPart part;
  part.part_id = 1, part.rows = rows, part.dim = dim;
  part.vectors = dir / "bench.npy", part.ids = dir / "bench.ids.npy";
  {  // random unit vectors, written once
    std::mt19937 rng(1);
    std::normal_distribution<float> g;
    store::NpyWriter v(part.vectors, "<f2", {rows, dim});
    store::NpyWriter ids(part.ids, "<i8", {rows});
    std::vector<float> row(static_cast<std::size_t>(dim));
    std::vector<uint16_t> half(row.size());
    for (int64_t r = 0; r < rows; ++r) {
      double n = 0;
      for (auto& x : row) {
        x = g(rng);
        n += double(x) * x;
      }
      for (auto& x : row) x = float(x / std::sqrt(n));
      to_float16(row.data(), row.size(), half.data());
      v.write(half.data(), half.size() * 2);
      const int64_t id = r + 1;
      ids.write(&id, 8);
    }
    v.commit();
    ids.commit();
  }
  std::vector<float> query(static_cast<std::size_t>(dim), 0.0f);
  query[0] = 1.0f;
  const stages::DotKernel best = stages::best_dot_kernel();
  const double bytes = double(rows) * double(dim) * 2;
  double t_read = 1e9, t_scan = 1e9, t_scalar = 1e9;
  uint64_t sink = 0;
  for (int k = 0; k < rounds; ++k) {
    {
      store::NpyMap m(part.vectors, "<f2", 2);
      m.advise_sequential();
      const auto t0 = Clock::now();
      sink += sum_words(static_cast<const uint64_t*>(m.data()), m.data_bytes() / 8);
      t_read = std::min(t_read, seconds_since(t0));
    }
    {
      const auto t0 = Clock::now();
      const auto share = stages::scan_share({part}, query, nullptr, -1e30f, 10000, 0, 1, best);
      t_scan = std::min(t_scan, seconds_since(t0));
      sink += static_cast<uint64_t>(share.best.size());
    }
    if (k == 0) {  // the portable kernel, once: what a CPU without AVX2/F16C gets
      const auto t0 = Clock::now();
      const auto share = stages::scan_share({part}, query, nullptr, -1e30f, 10000, 0, 1,
                                            stages::scalar_dot_kernel());
      t_scalar = seconds_since(t0);
      sink += static_cast<uint64_t>(share.best.size());
    }
  }
  std::printf("search_bench: %lld embeddings of %lld float16 (%.0f MB), one core, best of %d rounds "
              "(checksum %llu)\n", (long long)rows, (long long)dim, bytes / 1e6, rounds,
              (unsigned long long)(sink & 0xff));
  std::printf("| %-36s | %14s | %9s | %14s |\n", "what", "embeddings/s", "GB/s", "vs plain read");
  std::printf("|%s|%s|%s|%s|\n", std::string(38, '-').c_str(), std::string(16, '-').c_str(),
              std::string(11, '-').c_str(), std::string(16, '-').c_str());
  auto line = [&](const std::string& what, double t) {
    std::printf("| %-36s | %14.0f | %9.2f | %13.2fx |\n", what.c_str(), double(rows) / t, bytes / t / 1e9,
                t_read / t);
  };
  line("plain sequential read (sum of words)", t_read);
  line(std::string("search scan, ") + best.name, t_scan);
  line("search scan, scalar (portable)", t_scalar);
  fs::remove(part.vectors);
  fs::remove(part.ids);
  return 0;
}
