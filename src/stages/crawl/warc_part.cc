// WarcPart: request/response record pairs of a crawl worker.
#include "warc_part.h"

#include <fmt/format.h>

#include "warcpairs/core/error.h"
#include "warcpairs/text/url.h"

namespace warcpairs::stages::crawl {
namespace {

std::string warc_date(std::time_t t) {
  std::tm tm{};
  gmtime_r(&t, &tm);
  char out[32];
  std::strftime(out, sizeof out, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return out;
}

}  // namespace

std::string cdxj_name(const std::string& part) {
  std::string base = part;
  for (std::string_view ext : {".gz", ".warc"})
    if (base.size() > ext.size() && base.compare(base.size() - ext.size(), ext.size(), ext) == 0)
      base.resize(base.size() - ext.size());
  return base + ".cdxj";
}

WarcPart::WarcPart(const std::filesystem::path& staging, std::string name,
                   const std::string& user_agent)
    : name_(std::move(name)), user_agent_(user_agent), writer_((staging / name_).string()) {
  const std::string fields = fmt::format(
      "software: warcpairs crawl\r\nformat: WARC File Format 1.1\r\n"
      "conformsTo: http://iipc.github.io/warc-specifications/specifications/warc-format/warc-1.1/\r\n"
      "http-header-user-agent: {}\r\nrobots: obey\r\n",
      user_agent_);
  writer_.write_warcinfo(warc_date(std::time(nullptr)), fields);
  ++records_;
}

Exchange WarcPart::write_exchange(const net::Response& r, std::time_t fetched_at, bool dedup) {
  Exchange out;
  const std::string date = warc_date(fetched_at);
  out.date = date;
  if (r.request_head.empty())  // the engine runs with wire_format: a sent request has its head
    throw Error("crawl: no request head captured for " + r.url);
  const std::string_view body(reinterpret_cast<const char*>(r.body.data()), r.body.size());
  const std::string response_id = warc::new_record_id();
  warc::HttpRecord response{{r.url, date, r.ip, {}, response_id, r.truncated}, r.headers, body};
  const warc::WrittenRecord written = writer_.write_response(response);
  if (dedup && r.http_status >= 200 && r.http_status < 300 && !r.body.empty() && r.truncated.empty())
    out.digest = written.payload_digest;
  warc::HttpRecord req{{r.url, date, r.ip, response_id, {}}, r.request_head, {}};
  writer_.write_request(req);
  records_ += 2;
  return out;
}

}  // namespace warcpairs::stages::crawl
