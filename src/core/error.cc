// Error formatting: "what (file at byte N)" so a log line alone locates the problem.
#include "warcpairs/core/error.h"

namespace warcpairs {
namespace {
std::string locate(const std::string& what, const std::string& file, int64_t offset) {
  if (file.empty()) return what;
  if (offset < 0) return what + " (" + file + ")";
  return what + " (" + file + " at byte " + std::to_string(offset) + ")";
}
}  // namespace

Error::Error(const std::string& what, std::string file, int64_t offset)
    : std::runtime_error(locate(what, file, offset)), file_(std::move(file)), offset_(offset) {}

}  // namespace warcpairs
