// WarcPart: request/response record pairs of a crawl worker.
#include "warc_part.h"

#include <fmt/format.h>

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

bool is_chunked(std::string_view head) {
  for (std::string_view v : net::header_values(head, "transfer-encoding")) {
    std::string lower(v);
    for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (lower.find("chunked") != std::string::npos) return true;
  }
  return false;
}

}  // namespace

std::string request_head(const std::string& url, const std::string& user_agent) {
  const std::size_t scheme = url.find("://");
  const std::size_t path_at = url.find('/', scheme == std::string::npos ? 0 : scheme + 3);
  const std::string authority = url.substr(scheme + 3, path_at == std::string::npos ? std::string::npos
                                                                                   : path_at - scheme - 3);
  const std::string path = path_at == std::string::npos ? "/" : url.substr(path_at);
  return fmt::format("GET {} HTTP/1.1\r\nHost: {}\r\nUser-Agent: {}\r\nAccept: */*\r\n\r\n", path,
                     authority, user_agent);
}

std::string body_as_framed(std::string_view head, std::string_view body, std::string_view trailers) {
  if (!is_chunked(head)) return std::string(body);
  std::string out;
  if (!body.empty()) out = fmt::format("{:x}\r\n{}\r\n", body.size(), body);
  out.append("0\r\n").append(trailers).append("\r\n");
  return out;
}

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

Exchange WarcPart::write_exchange(const net::Response& r, std::time_t fetched_at,
                                  const PayloadLookup& stored) {
  Exchange out;
  const std::string date = warc_date(fetched_at);
  out.date = date;
  const std::string request = request_head(r.url, user_agent_);
  const std::string body = body_as_framed(
      r.headers, std::string_view(reinterpret_cast<const char*>(r.body.data()), r.body.size()),
      r.trailers);
  const std::string response_id = warc::new_record_id();
  const store::StoredPayload* first = nullptr;
  if (stored && r.http_status >= 200 && r.http_status < 300 && !r.body.empty()) {
    out.digest = warc::http_payload_digest(r.headers, body);
    first = stored(out.digest);
  }
  if (first) {
    warc::RevisitRecord revisit{{r.url, date, r.ip, {}, response_id}, r.headers, out.digest,
                                first->uri, first->date, {}};
    writer_.write_revisit(revisit);
    out.revisit = true;
  } else {
    warc::HttpRecord response{{r.url, date, r.ip, {}, response_id}, r.headers, body};
    writer_.write_response(response);
  }
  warc::HttpRecord req{{r.url, date, r.ip, response_id, {}}, request, {}};
  writer_.write_request(req);
  records_ += 2;
  return out;
}

}  // namespace warcpairs::stages::crawl
