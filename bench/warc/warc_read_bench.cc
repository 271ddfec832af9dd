// Times reading every record of a WARC file (touching every block byte), best of N runs.
// Prints one line: "records=R block_bytes=B best_s=T [http_s=H]" for bench/warc/run.sh.
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

#include "warcpairs/core/error.h"
#include "warcpairs/core/skip_log.h"
#include "warcpairs/warc/http.h"
#include "warcpairs/warc/reader.h"

namespace {
struct Pass {
  uint64_t records = 0;
  uint64_t bytes = 0;
  uint64_t checksum = 0;
  double seconds = 0;
};

// Reads every byte of the block, 8 at a time (what a consumer scanning the block pays).
uint64_t touch(std::string_view block) {
  uint64_t sum = 0, word = 0;
  std::size_t i = 0;
  for (; i + 8 <= block.size(); i += 8) {
    std::memcpy(&word, block.data() + i, 8);
    sum += word;
  }
  for (; i < block.size(); ++i) sum += static_cast<unsigned char>(block[i]);
  return sum;
}

Pass read_file(const std::string& path, bool http) {
  using namespace warcpairs;
  Limits limits;
  SkipLog skips;
  warc::HttpParser parser(limits);
  warc::HttpResponse resp;
  std::string error;
  Pass p;
  auto t0 = std::chrono::steady_clock::now();
  warc::WarcReader reader(path, limits, skips);
  while (const warc::WarcRecord* r = reader.next()) {
    ++p.records;
    p.bytes += r->block.size();
    p.checksum += touch(r->block);
    if (http && r->type == warc::RecordType::response && parser.parse(r->block, resp, error))
      p.checksum += resp.body.size();
  }
  p.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  if (skips.total() > 0) std::fprintf(stderr, "note: %llu skipped\n", (unsigned long long)skips.total());
  return p;
}
}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: warc_read_bench FILE.warc[.gz] [runs=3] [--http]\n");
    return 2;
  }
  std::string path = argv[1];
  int runs = argc > 2 && argv[2][0] != '-' ? std::atoi(argv[2]) : 3;
  bool http = std::string(argv[argc - 1]) == "--http";
  try {
    Pass best;
    for (int i = 0; i < runs; ++i) {
      Pass p = read_file(path, false);
      if (i == 0 || p.seconds < best.seconds) best = p;
    }
    std::printf("records=%llu block_bytes=%llu checksum=%llu best_s=%.4f", (unsigned long long)best.records,
                (unsigned long long)best.bytes, (unsigned long long)best.checksum, best.seconds);
    if (http) {
      double h = 1e9;
      for (int i = 0; i < runs; ++i) h = std::min(h, read_file(path, true).seconds);
      std::printf(" http_s=%.4f", h);
    }
    std::printf("\n");
  } catch (const warcpairs::Error& e) {
    std::fprintf(stderr, "error: %s\n", e.what());
    return 1;
  }
}
