// CBOR encodings of the crawl messages; arrays, not objects, to keep lease messages small.
#include "crawl_messages.h"

#include <nlohmann/json.hpp>

namespace warcpairs::stages::crawl {
using nlohmann::json;

namespace {
std::string bytes_of(const json& j) {
  const std::vector<uint8_t> v = json::to_cbor(j);
  return {v.begin(), v.end()};
}
json parse(const std::string& bytes) { return json::from_cbor(bytes); }
}  // namespace

std::string encode_ids(const std::vector<int64_t>& ids) { return bytes_of(json(ids)); }
std::vector<int64_t> decode_ids(const std::string& bytes) {
  return parse(bytes).get<std::vector<int64_t>>();
}

std::string encode_want(int n) { return bytes_of(json(n)); }
int decode_want(const std::string& bytes) { return parse(bytes).get<int>(); }

std::string encode_lease(const std::vector<store::FrontierUrl>& urls) {
  json a = json::array();
  for (const auto& u : urls) a.push_back({u.id, u.url, u.origin, u.depth, static_cast<int>(u.kind)});
  return bytes_of(a);
}

std::vector<store::FrontierUrl> decode_lease(const std::string& bytes) {
  std::vector<store::FrontierUrl> out;
  for (const json& e : parse(bytes))
    out.push_back({e[0].get<int64_t>(), e[1].get<std::string>(), e[2].get<std::string>(),
                   e[3].get<int>(), static_cast<store::UrlKind>(e[4].get<int>())});
  return out;
}

std::string encode_commit(const Commit& c) {
  json results = json::array();
  for (const auto& r : c.results) {
    json links = json::array();
    for (const auto& l : r.links) links.push_back({l.url, static_cast<int>(l.kind)});
    results.push_back({r.id, r.outcome, r.status, r.recorded, r.bytes, json::binary(
        std::vector<uint8_t>(r.robots.begin(), r.robots.end())), links, r.digest, r.date});
  }
  return bytes_of({c.part, c.records, c.part_bytes, results});
}

Commit decode_commit(const std::string& bytes) {
  const json j = parse(bytes);
  Commit c{j[0].get<std::string>(), j[1].get<int64_t>(), j[2].get<int64_t>(), {}};
  for (const json& e : j[3]) {
    Result r{e[0].get<int64_t>(), e[1].get<std::string>(), e[2].get<int>(), e[3].get<bool>(),
             e[4].get<int64_t>(), {}, {}, e[7].get<std::string>(), e[8].get<std::string>()};
    const auto& robots = e[5].get_binary();
    r.robots.assign(robots.begin(), robots.end());
    for (const json& l : e[6])
      r.links.push_back({l[0].get<std::string>(), static_cast<store::UrlKind>(l[1].get<int>())});
    c.results.push_back(std::move(r));
  }
  return c;
}

}  // namespace warcpairs::stages::crawl
