// libFuzzer target: arbitrary bytes as a Parquet file, opened and every column of every row
// group read. A malformed file must end in warcpairs::Error; anything else (a crash, an ASan
// report, another exception) is a finding. Seeds: files of our writer and hyparquet-writer's.
#include <cstddef>
#include <cstdint>
#include <string>

#include "warcpairs/core/error.h"
#include "warcpairs/parquet/reader.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, std::size_t size) {
  using namespace warcpairs;
  try {
    parquet::Reader rd(parquet::InMemory{"fuzz.parquet", std::string(reinterpret_cast<const char*>(data), size)});
    uint64_t sum = 0;
    for (std::size_t g = 0; g < rd.row_groups(); ++g) {
      // A footer may claim billions of rows that RLE runs of a few bytes then fill: real
      // memory, not a bug; the harness leaves such row groups out to stay under -rss_limit_mb.
      if (rd.row_group_rows(g) > (int64_t{1} << 20)) continue;
      for (std::size_t k = 0; k < rd.columns().size(); ++k) {
        const auto v = rd.read(g, k);
        for (const auto& b : v.bytes) sum += b.size();  // ASan: every value in bounds
        sum += v.ints.size() + v.doubles.size() + v.valid.size();
      }
    }
    (void)sum;
  } catch (const Error&) {
  }
  return 0;
}
