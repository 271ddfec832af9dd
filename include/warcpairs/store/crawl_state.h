// The crawler's resumable state, RUN/crawl/state.sqlite: every URL ever seen (queued, done,
// disallowed, capped) with its depth and kind, robots.txt per origin, and the WARC parts
// committed. Only the leader (rank 0) opens it. A URL is done exactly when the transaction
// that records the WARC part holding its records commits (crawl.cc, "Exactly once").
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace warcpairs::store {

enum class UrlKind : int { page = 0, image = 1, style = 2, robots = 3 };
enum class UrlState : int { queued = 0, done = 1, disallowed = 2, capped = 3 };

struct FrontierUrl {
  int64_t id = 0;
  std::string url;
  std::string origin;  // scheme://host[:port]: the robots.txt and politeness unit
  int depth = 0;
  UrlKind kind = UrlKind::page;
};

// The owner of a payload (WARC-Payload-Digest): the URL whose response record holds it; every
// other URL with that payload has a revisit record that refers to it. Chosen by the crawl's
// finalize step (crawl_leader.cc, "Revisits"), then kept by later crawls into the same folder.
struct StoredPayload {
  std::string digest;  // "sha1:<base32>"
  std::string uri;     // its WARC-Target-URI
  std::string date;    // its WARC-Date
};

struct OriginRobots {
  int status = 0;           // HTTP status of robots.txt; 0: no response (unreachable)
  std::string body;         // up to 500 KiB
  double fetched_at = 0;    // seconds since the epoch
};

class CrawlState {
 public:
  explicit CrawlState(const std::filesystem::path& path);
  ~CrawlState();
  CrawlState(const CrawlState&) = delete;
  CrawlState& operator=(const CrawlState&) = delete;

  // A new attempt number (1 for the first run into this folder): names this attempt's parts.
  int begin_attempt();

  void begin();   // BEGIN IMMEDIATE
  void commit();  // COMMIT (synchronous=FULL: durable when it returns)

  struct Added {
    int64_t id = 0;         // 0: seen before and left as it was
    bool inserted = false;  // a new URL, in `state`
    bool revived = false;   // a capped URL queued again at its new, lower depth
    int lowered_from = -1;  // a queued URL whose depth was lowered: its old depth
  };
  // Adds `url` when it was never seen. When it was seen queued or capped at a greater depth,
  // its depth is lowered to `depth`, and a capped one whose new depth is at most
  // `revive_at_or_below` becomes queued again.
  Added add(const FrontierUrl& u, UrlState state, std::string_view reason, int revive_at_or_below);
  // Queued URLs of `origin`, lowest (depth, id) first, `limit` at most.
  std::vector<FrontierUrl> queued(std::string_view origin, int limit);
  // Origins with queued URLs, and how many each.
  std::map<std::string, int64_t> queued_per_origin();
  // Queued URLs per depth (robots.txt URLs left out).
  std::map<int, int64_t> queued_per_depth();
  // URLs of `origin` already counted against the per-origin cap (done or queued pages).
  std::map<std::string, int64_t> pages_per_origin();

  void finish(int64_t id, UrlState state, std::string_view outcome, int status,
              std::string_view part);
  // A rerun: done URLs whose fetch failed without a response (outcome connect_failed,
  // transfer_error, timeout, dns_failed) and that were queued again fewer than `max_tries`
  // times are queued again (their count raised). For a robots.txt among them, its origin's
  // cached rules are dropped and the URLs they disallowed are queued again, to be judged by
  // the rules fetched this time.
  struct Requeued {
    int64_t urls = 0, origins = 0, disallowed = 0;
  };
  Requeued requeue_failed(int max_tries);
  void add_part(std::string_view name, int64_t records, int64_t bytes);
  bool part_committed(std::string_view name);
  // Revisits. A done URL whose response record holds a payload eligible for deduplication
  // (a complete 2xx body) has its digest and WARC-Date here, committed with its part.
  void set_payload(int64_t id, std::string_view digest, std::string_view date);
  // Payload digest → its owner, once a finalize step settled it.
  std::optional<StoredPayload> payload(std::string_view digest);
  // The response records that must become revisits: for every digest held by several URLs, the
  // owner is the settled one, else the smallest URL (bytewise); each other URL whose record is
  // still a response is listed with the owner's URI and date. Grouped by part.
  struct PendingRevisit {
    int64_t id = 0;
    std::string url, part, digest, owner_uri, owner_date;
  };
  std::vector<PendingRevisit> pending_revisits();
  void mark_revisit(int64_t id);  // its record in its part is a revisit now
  // Settles the owner of every payload not settled yet: the URLs whose records are responses.
  void settle_owners();

  // The robots.txt URL of `origin` queued again when it was done (its cached copy is too old);
  // nullopt when it is already queued (or unknown).
  std::optional<FrontierUrl> requeue_robots(std::string_view origin);
  void save_robots(std::string_view origin, const OriginRobots& r);
  std::optional<OriginRobots> robots(std::string_view origin);

  // Totals for the stats: URLs per state, per outcome (done ones), parts.
  std::map<std::string, int64_t> count_by_state();
  std::map<std::string, int64_t> count_by_outcome();
  // Pages (not requisites, not robots.txt) done, for --max-pages over all attempts.
  int64_t pages_done();
  // Every done URL with its outcome and part ("" when it has no record), in id order.
  void for_each_done(const std::function<void(std::string_view url, std::string_view outcome,
                                              int status, std::string_view part)>& fn);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace warcpairs::store
