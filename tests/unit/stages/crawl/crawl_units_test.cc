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
  // Payload digests (issue 18: identical-payload-digest revisits, decided at finalize).
  Commit r{"p.warc.gz", 5, 10, {}};
  r.results.push_back({7, "ok", 200, true, 3, {}, {}, "sha1:ABC", "2026-01-02T03:04:05Z"});
  const Commit rd = decode_commit(encode_commit(r));
  ASSERT_EQ(rd.results.size(), 1u);
  EXPECT_EQ(rd.results[0].digest, "sha1:ABC");
  EXPECT_EQ(rd.results[0].date, "2026-01-02T03:04:05Z");
  EXPECT_EQ(d.results[0].digest, "");
}

SeedSource seeds(std::vector<std::string> urls) {
  return [urls](const std::function<void(const std::string&)>& fn) {
    for (const auto& u : urls) fn(u);
  };
}

// Revisits are decided over the whole state: the owner of a payload is the smallest URL holding
// it, whatever the order URLs were done in; a revisit already made is not listed again; an owner
// settled by an earlier finalize is kept when a smaller URL with that payload comes later.
TEST(CrawlState, RevisitOwnerIsTheSmallestUrlAndStaysSettled) {
  const auto dir = std::filesystem::temp_directory_path() / "crawl_state_revisits_test";
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  auto done = [](store::CrawlState& s, const std::string& url, const char* part, const char* digest,
                 const char* date) {
    const auto a = s.add({0, url, "http://h", 1, store::UrlKind::page}, store::UrlState::queued, {}, 0);
    s.finish(a.id, store::UrlState::done, "ok", 200, part);
    if (digest[0]) s.set_payload(a.id, digest, date);
    return a.id;
  };
  auto listed = [](store::CrawlState& s) {
    std::vector<std::string> out;
    for (const auto& p : s.pending_revisits())
      out.push_back(p.url + " " + p.part + " -> " + p.owner_uri + " " + p.owner_date);
    return out;
  };
  {
    store::CrawlState s(dir / "state.sqlite");
    s.begin();
    done(s, "http://h/c", "p1", "sha1:X", "d1");  // done first, but not the smallest
    done(s, "http://h/a", "p2", "sha1:X", "d2");
    done(s, "http://h/b", "p1", "sha1:X", "d3");
    done(s, "http://h/z", "p1", "sha1:Y", "d4");  // alone: nothing to do
    done(s, "http://h/r", "p1", "", "");          // not eligible
    s.commit();
    const auto pending = s.pending_revisits();
    EXPECT_EQ(listed(s), (std::vector<std::string>{"http://h/b p1 -> http://h/a d2",
                                                   "http://h/c p1 -> http://h/a d2"}));
    s.begin();
    s.mark_revisit(pending[0].id);  // as a finalize killed before marking the other would not
    s.commit();                     // leave it (one transaction), but a rerun must cope
    EXPECT_EQ(listed(s), (std::vector<std::string>{"http://h/c p1 -> http://h/a d2"}));
    s.begin();
    for (const auto& p : s.pending_revisits()) s.mark_revisit(p.id);
    s.settle_owners();
    s.commit();
    EXPECT_TRUE(listed(s).empty());
    ASSERT_TRUE(s.payload("sha1:X"));
    EXPECT_EQ(s.payload("sha1:X")->uri, "http://h/a");
    EXPECT_EQ(s.payload("sha1:Y")->uri, "http://h/z");
  }
  store::CrawlState s(dir / "state.sqlite");  // a later crawl into the folder
  s.begin();
  done(s, "http://h/0", "p9", "sha1:Y", "d9");  // smaller than the settled owner /z
  s.commit();
  EXPECT_EQ(listed(s), (std::vector<std::string>{"http://h/0 p9 -> http://h/z d4"}));
  std::filesystem::remove_all(dir);
}

// --retry-failed: a URL that failed without a response is queued again by each rerun, up to the
// bound; a recorded one or a 404 never; a failed robots.txt drops its origin's rules and queues
// the URLs they disallowed again.
TEST(CrawlState, FailedUrlsAreQueuedAgainUpToTheBound) {
  const auto dir = std::filesystem::temp_directory_path() / "crawl_state_retry_test";
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  store::CrawlState s(dir / "state.sqlite");
  auto add = [&](const std::string& url, store::UrlKind kind) {
    return s.add({0, url, "http://h", 1, kind}, store::UrlState::queued, {}, 0).id;
  };
  s.begin();
  const int64_t failed = add("http://h/a", store::UrlKind::page);
  const int64_t ok = add("http://h/b", store::UrlKind::page);
  const int64_t robots = add("http://h/robots.txt", store::UrlKind::robots);
  const int64_t blocked = add("http://h/c", store::UrlKind::page);
  s.finish(failed, store::UrlState::done, "connect_failed", 0, {});
  s.finish(ok, store::UrlState::done, "ok", 404, "p1");
  s.finish(robots, store::UrlState::done, "timeout", 0, {});
  s.finish(blocked, store::UrlState::disallowed, "robots", 0, {});
  s.save_robots("http://h", {0, "", 1.0});
  s.commit();
  auto r = s.requeue_failed(2);
  EXPECT_EQ(r.urls, 2);
  EXPECT_EQ(r.origins, 1);
  EXPECT_EQ(r.disallowed, 1);
  EXPECT_FALSE(s.robots("http://h"));
  EXPECT_EQ(s.count_by_state()["queued"], 3);
  EXPECT_EQ(s.count_by_state()["done"], 1);
  s.finish(failed, store::UrlState::done, "timeout", 0, {});  // the rerun fails again
  EXPECT_EQ(s.requeue_failed(2).urls, 1);
  s.finish(failed, store::UrlState::done, "timeout", 0, {});
  EXPECT_EQ(s.requeue_failed(2).urls, 0);  // two reruns: no more
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
