// The crawl's pure pieces: message encodings round-trip, scope and trap caps, origins, the
// records of a WARC part (bytes as on the wire, WARC-Truncated).
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "../../../../src/stages/crawl/crawl_messages.h"
#include "../../../../src/stages/crawl/crawl_scope.h"
#include "../../../../src/stages/crawl/warc_part.h"
#include "warcpairs/core/digest.h"
#include "warcpairs/core/limits.h"
#include "warcpairs/core/skip_log.h"
#include "warcpairs/warc/reader.h"

namespace warcpairs::stages::crawl {
namespace {

TEST(CrawlMessages, RoundTrip) {
  Commit c{"crawl-a0001-r0002-000003.warc.gz", 7, 12345, {}};
  c.results.push_back({42, "ok", 200, true, 999, std::string("User-agent: *\0x", 15),
                       {{"http://h/a", store::UrlKind::page}, {"http://h/i.png", store::UrlKind::image}}});
  c.results.push_back({43, "timeout", 0, false, 0, {}, {}});
  const Commit d = decode_commit(encode_commit(c));
  EXPECT_EQ(d.part, c.part);
  EXPECT_EQ(d.records, 7);
  EXPECT_EQ(d.part_bytes, 12345);
  ASSERT_EQ(d.results.size(), 2u);
  EXPECT_EQ(d.results[0].robots, c.results[0].robots);  // binary-safe
  EXPECT_EQ(d.results[0].links.size(), 2u);
  EXPECT_EQ(d.results[0].links[1].kind, store::UrlKind::image);
  EXPECT_EQ(d.results[1].outcome, "timeout");
  EXPECT_FALSE(d.results[1].recorded);
  const std::vector<store::FrontierUrl> lease{{5, "http://h:8080/x", "http://h:8080", 3, store::UrlKind::robots}};
  const auto back = decode_lease(encode_lease(lease));
  ASSERT_EQ(back.size(), 1u);
  EXPECT_EQ(back[0].id, 5);
  EXPECT_EQ(back[0].origin, "http://h:8080");
  EXPECT_EQ(back[0].depth, 3);
  EXPECT_EQ(back[0].kind, store::UrlKind::robots);
  EXPECT_EQ(decode_want(encode_want(64)), 64);
  EXPECT_EQ(decode_ids(encode_ids({1, 2, 3})), (std::vector<int64_t>{1, 2, 3}));
  // Payload digests and revisits (issue 18: identical-payload-digest revisits).
  Commit r{"p.warc.gz", 5, 10, {}};
  r.results.push_back({7, "ok", 200, true, 3, {}, {}, "sha1:ABC", "2026-01-02T03:04:05Z", true});
  const Commit rd = decode_commit(encode_commit(r));
  ASSERT_EQ(rd.results.size(), 1u);
  EXPECT_EQ(rd.results[0].digest, "sha1:ABC");
  EXPECT_EQ(rd.results[0].date, "2026-01-02T03:04:05Z");
  EXPECT_TRUE(rd.results[0].revisit);
  EXPECT_FALSE(d.results[0].revisit);
  const auto p = decode_payloads(encode_payloads({{"sha1:X", "http://h/a", "2026-01-02T03:04:05Z"}}));
  ASSERT_EQ(p.size(), 1u);
  EXPECT_EQ(p[0].digest, "sha1:X");
  EXPECT_EQ(p[0].uri, "http://h/a");
  EXPECT_EQ(p[0].date, "2026-01-02T03:04:05Z");
}

SeedSource seeds(std::vector<std::string> urls) {
  return [urls](const std::function<void(const std::string&)>& fn) {
    for (const auto& u : urls) fn(u);
  };
}

// The payload table of the crawl state: digest -> first (URI, date), committed with a
// transaction, kept across a reopen, and a digest stored once (a second insert fails).
TEST(CrawlState, PayloadsPersistAndAreUnique) {
  const auto dir = std::filesystem::temp_directory_path() / "crawl_state_payloads_test";
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  {
    store::CrawlState s(dir / "state.sqlite");
    EXPECT_FALSE(s.payload("sha1:A"));
    s.begin();
    s.add_payload({"sha1:A", "http://h/a", "2026-01-02T03:04:05Z"});
    s.commit();
    s.begin();
    s.add_payload({"sha1:B", "http://h/b", "2026-01-02T03:04:06Z"});
    // Not committed: gone after the reopen, as a kill before the commit leaves it.
  }
  store::CrawlState s(dir / "state.sqlite");
  const auto a = s.payload("sha1:A");
  ASSERT_TRUE(a);
  EXPECT_EQ(a->uri, "http://h/a");
  EXPECT_EQ(a->date, "2026-01-02T03:04:05Z");
  EXPECT_FALSE(s.payload("sha1:B"));
  std::vector<std::string> all;
  s.for_each_payload([&](const store::StoredPayload& p) { all.push_back(p.digest + " " + p.uri); });
  EXPECT_EQ(all, (std::vector<std::string>{"sha1:A http://h/a"}));
  s.begin();
  EXPECT_ANY_THROW(s.add_payload({"sha1:A", "http://h/other", "2026-01-02T03:04:07Z"}));
  std::filesystem::remove_all(dir);
}

TEST(CrawlScope, HostDomainPrefixAndTraps) {
  CrawlConfig c;
  c.max_url_length = 40;
  c.max_query_params = 2;
  const ScopeRules host(c, seeds({"http://www.example.co.uk/"}));
  EXPECT_TRUE(host.in_scope("http://www.example.co.uk:8080/x"));
  EXPECT_FALSE(host.in_scope("http://shop.example.co.uk/x"));
  c.scope = CrawlScope::same_domain;
  const ScopeRules domain(c, seeds({"http://www.example.co.uk/"}));
  EXPECT_TRUE(domain.in_scope("https://shop.example.co.uk/x"));
  EXPECT_FALSE(domain.in_scope("https://other.co.uk/x"));  // co.uk is a public suffix
  EXPECT_EQ(registrable_domain("a.b.example.com"), "example.com");
  c.scope = CrawlScope::prefixes;
  c.scope_file = std::filesystem::temp_directory_path() / "crawl_scope_prefixes.txt";
  std::ofstream(c.scope_file) << "# prefixes\nHTTP://Example.com/docs/\n";
  const ScopeRules prefixes(c, seeds({}));
  EXPECT_TRUE(prefixes.in_scope("http://example.com/docs/a.html"));
  EXPECT_FALSE(prefixes.in_scope("http://example.com/blog/"));
  EXPECT_EQ(host.trap("http://h/?a=1&b=2"), "");
  EXPECT_EQ(host.trap("http://h/?a=1&b=2&c=3"), "query_params");
  EXPECT_EQ(host.trap("http://h/" + std::string(40, 'x')), "url_length");
  EXPECT_EQ(origin_of("https://h.example:8443/a/b?c"), "https://h.example:8443");
  EXPECT_EQ(origin_of("http://h"), "http://h");
}

// The records hold the request head libcurl sent and the response as received: a chunked body
// keeps its framing, extensions and trailers; the payload digest is the de-chunked entity's
// (WARC 1.1 §5.9); a body cut at the cap is written with WARC-Truncated: length.
TEST(WarcPart, RecordsBytesAsOnTheWire) {
  const auto dir = std::filesystem::temp_directory_path() / "crawl_warc_part_test";
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  net::Response r;
  r.url = "http://h.example:8080/a?b=1";
  r.http_status = 200;
  r.outcome = "ok";
  r.ip = "127.0.0.1";
  r.request_head = "GET /a?b=1 HTTP/1.1\r\nHost: h.example:8080\r\nUser-Agent: bot/1\r\nX-Odd:  x\r\n\r\n";
  r.headers = "HTTP/1.1 200 OK\r\ncontent-TYPE: text/html\r\nTRANSFER-encoding: chunked\r\n\r\n";
  const std::string wire = "3;ext=1\r\nhel\r\n2\r\nlo\r\n0\r\nX-Trailer: t\r\n\r\n";
  r.body.assign(wire.begin(), wire.end());
  net::Response cut = r;
  cut.url = "http://h.example:8080/big";
  cut.outcome = "too_large";
  cut.truncated = "length";
  cut.headers = "HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n";
  cut.body.assign(10, 'x');
  {
    WarcPart part(dir, "p.warc.gz", "bot/1");
    part.write_exchange(r, 1700000000);
    part.write_exchange(cut, 1700000000);
    EXPECT_EQ(part.records(), 5);
    part.finish();
  }
  Limits limits;
  SkipLog skips;
  warc::WarcReader reader((dir / "p.warc.gz").string(), limits, skips);
  std::vector<std::pair<std::string, std::string>> seen;  // type, block
  std::vector<std::string> digests, truncated;
  while (const warc::WarcRecord* rec = reader.next()) {
    seen.emplace_back(std::string(warc::to_string(rec->type)), std::string(rec->block));
    digests.emplace_back(rec->header("WARC-Payload-Digest"));
    truncated.emplace_back(rec->header("WARC-Truncated"));
  }
  ASSERT_EQ(seen.size(), 5u);
  EXPECT_EQ(seen[1].first, "response");
  EXPECT_EQ(seen[1].second, r.headers + wire);
  const std::string hello = "hello";
  EXPECT_EQ(digests[1], warc_sha1_digest({reinterpret_cast<const uint8_t*>(hello.data()), hello.size()}));
  EXPECT_EQ(seen[2].first, "request");
  EXPECT_EQ(seen[2].second, r.request_head);
  EXPECT_EQ(truncated[1], "");
  EXPECT_EQ(seen[3].second, cut.headers + std::string(10, 'x'));
  EXPECT_EQ(truncated[3], "length");
  EXPECT_EQ(warc::http_entity_body(r.headers, wire), "hello");
  EXPECT_EQ(warc::http_entity_body("HTTP/1.1 200 OK\r\n\r\n", wire), wire);  // not declared chunked
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace warcpairs::stages::crawl
