// crash_point: parses WARCPAIRS_CRASH_AT once, counts passes, raises SIGKILL on the chosen one.
#include "warcpairs/core/crash_point.h"

#include <csignal>
#include <cstdlib>
#include <cstring>

#include <atomic>
#include <string>

namespace warcpairs {
namespace {
struct Target {
  std::string name;  // empty: disabled
  long pass = 1;
};

const Target& target() {
  static const Target t = [] {
    Target out;
    const char* spec = std::getenv("WARCPAIRS_CRASH_AT");
    if (!spec || !*spec) return out;
    out.name = spec;
    if (auto colon = out.name.find(':'); colon != std::string::npos) {
      out.pass = std::max(1L, std::strtol(out.name.c_str() + colon + 1, nullptr, 10));
      out.name.resize(colon);
    }
    return out;
  }();
  return t;
}
std::atomic<long> g_passes{0};
}  // namespace

void crash_point(const char* name) {
  const Target& t = target();
  if (t.name.empty() || t.name != name) return;
  if (g_passes.fetch_add(1) + 1 == t.pass) std::raise(SIGKILL);
}

}  // namespace warcpairs
