// libFuzzer target: arbitrary bytes as a WARC or ARC file (plain or gzip) through WarcReader, every
// block through HttpParser, then seek() back to records found. Must never crash or leak.
#include <spdlog/spdlog.h>

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "warcpairs/core/skip_log.h"
#include "warcpairs/io/byte_source.h"
#include "warcpairs/warc/http.h"
#include "warcpairs/warc/reader.h"

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  spdlog::set_level(spdlog::level::off);  // SkipLog warns on every skip
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace warcpairs;
  Limits limits;
  limits.max_warc_header_bytes = 8 * 1024;  // small caps so the fuzzer reaches them
  limits.max_http_header_bytes = 8 * 1024;
  limits.max_record_bytes = 1 << 20;
  limits.max_payload_bytes = 1 << 20;
  SkipLog skips(64);
  warc::WarcReader reader(
      std::make_unique<io::MemorySource>(std::string(reinterpret_cast<const char*>(data), size)),
      limits, skips);
  warc::HttpParser http(limits);
  warc::HttpResponse resp;
  std::string error;
  std::vector<int64_t> offsets;
  uint64_t sum = 0;
  for (int n = 0; n < 4096; ++n) {
    const warc::WarcRecord* r = reader.next();
    if (!r) break;
    if (offsets.size() < 4) offsets.push_back(r->offset);
    for (unsigned char c : r->block) sum += c;  // ASan checks the view is in bounds
    sum += r->target_uri().size() + r->header("WARC-Date").size();
    if (http.parse(r->block, resp, error))
      for (unsigned char c : resp.body) sum += c;
  }
  for (int64_t off : offsets) {
    reader.seek(off);
    if (const warc::WarcRecord* r = reader.next()) sum += r->block.size();
  }
  // The HTTP parser on the raw input too: it must cope with any block.
  if (http.parse(std::string_view(reinterpret_cast<const char*>(data), size), resp, error))
    sum += resp.body.size();
  return sum == 42 ? 0 : 0;
}
