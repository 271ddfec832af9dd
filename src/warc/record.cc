// Record types and header lookups (WARC 1.1 §4: field names are case-insensitive; §6 types).
#include "warcpairs/warc/record.h"

#include <array>
#include <utility>

#include "ascii.h"

namespace warcpairs::warc {
namespace {
constexpr std::array<std::pair<RecordType, std::string_view>, 8> kTypes{{
    {RecordType::warcinfo, "warcinfo"},
    {RecordType::response, "response"},
    {RecordType::resource, "resource"},
    {RecordType::request, "request"},
    {RecordType::metadata, "metadata"},
    {RecordType::revisit, "revisit"},
    {RecordType::conversion, "conversion"},
    {RecordType::continuation, "continuation"},
}};
}  // namespace

std::string_view to_string(RecordType type) {
  for (const auto& [t, name] : kTypes)
    if (t == type) return name;
  return "unknown";
}

RecordType parse_record_type(std::string_view warc_type) {
  warc_type = trim(warc_type);
  for (const auto& [t, name] : kTypes)
    if (iequals(warc_type, name)) return t;
  return RecordType::unknown;
}

std::string_view find_header(const std::vector<HeaderField>& fields, std::string_view name) {
  for (const HeaderField& f : fields)
    if (iequals(f.name, name)) return f.value;
  return {};
}

std::string_view WarcRecord::target_uri() const {
  // WARC/1.0 drafts (and wget) wrote "<uri>"; WARC 1.1 §5.2 writes it bare. Spaces are kept.
  std::string_view uri = header("WARC-Target-URI");
  if (uri.size() >= 2 && uri.front() == '<' && uri.back() == '>') uri = trim(uri.substr(1, uri.size() - 2));
  return uri;
}

}  // namespace warcpairs::warc
