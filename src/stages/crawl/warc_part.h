// One WARC part of a crawl worker, on warc::WarcFileWriter: a warcinfo record, then a request
// and a response record per fetched URL. The part is RUN/crawl/staging/NAME (".open" while
// written) until the leader commits it and moves it into RUN/warc.
#pragma once

#include <cstdint>
#include <ctime>
#include <filesystem>
#include <memory>
#include <string>

#include "warcpairs/net/transfer_engine.h"
#include "warcpairs/store/crawl_state.h"
#include "warcpairs/warc/writer.h"

namespace warcpairs::stages::crawl {

// What write_exchange wrote: the response's WARC-Date, and for a response that takes part in
// deduplication its payload digest.
struct Exchange {
  std::string date, digest;
};

class WarcPart {
 public:
  WarcPart(const std::filesystem::path& staging, std::string name, const std::string& user_agent);
  // The request as libcurl sent it and the response as received, byte for byte (the engine's
  // wire_format: chunked framing and trailers kept); a body cut at the size cap is written with
  // WARC-Truncated: length.
  // Always a response record (the leader's finalize step turns the duplicates of a payload into
  // revisits, crawl_leader.cc), with the request record concurrent to it. With `dedup` (not
  // for robots.txt), a complete 2xx response with a non-empty payload reports its digest.
  Exchange write_exchange(const net::Response& r, std::time_t fetched_at, bool dedup = false);
  int64_t records() const { return records_; }
  int64_t bytes() const { return static_cast<int64_t>(writer_.bytes_written()); }
  const std::string& name() const { return name_; }
  void finish() { writer_.finish(); }

 private:
  std::string name_, user_agent_;
  warc::WarcFileWriter writer_;
  int64_t records_ = 0;
};

// The CDXJ index beside a part ("crawl-...warc.gz" → "crawl-....cdxj", as
// warc::write_cdxj_beside names it).
std::string cdxj_name(const std::string& part);

}  // namespace warcpairs::stages::crawl
