// CPU time of this process, for stats and benchmarks that compare work rather than wall time
// (the machines are shared: CPU seconds move less with load than wall seconds).
#pragma once

#include <sys/resource.h>

namespace warcpairs {

// User + system CPU seconds of this process so far (all its threads).
inline double process_cpu_seconds() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  auto secs = [](const timeval& t) { return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_usec) / 1e6; };
  return secs(u.ru_utime) + secs(u.ru_stime);
}

}  // namespace warcpairs
