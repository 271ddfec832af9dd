// The crawl stage: seed URLs → WARC/1.1 files in RUN/warc/ and a resumable frontier in
// RUN/crawl/state.sqlite. Rank 0 leads (frontier, seen set, leases, robots.txt rules) and
// fetches too; every rank fetches the URLs it is leased and reports outcomes and links.
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "warcpairs/net/transfer_engine.h"

namespace warcpairs::dist {
class MpiSession;
}

namespace warcpairs::stages {

enum class CrawlScope { same_host, same_domain, prefixes };
enum class Requisites { none, images, all };

struct CrawlConfig {
  std::filesystem::path run_dir;     // RUN/warc/*.warc.gz, RUN/crawl/, RUN/crawl-stats.json
  std::filesystem::path seeds;       // one URL a line; '#' comments
  CrawlScope scope = CrawlScope::same_host;
  std::filesystem::path scope_file;  // CrawlScope::prefixes: URL prefixes, one a line
  int64_t max_pages = 0;             // 0: no cap (pages handed out, requisites not counted)
  int max_depth = 20;                // link hops from a seed (requisites: one more than their page)
  int64_t max_per_origin = 100000;   // URLs per scheme://host:port (trap cap)
  int max_url_length = 2048;         // longer URLs are capped, not fetched
  int max_query_params = 16;         // URLs with more query parameters are capped
  Requisites requisites = Requisites::all;
  int per_host = 2;                  // URLs of one origin in flight at once, all ranks together
  double delay_s = 0;                // between two handouts of one origin; robots Crawl-delay wins if larger
  double max_crawl_delay_s = 30;     // a larger Crawl-delay is capped here
  double robots_max_age_s = 86400;   // a robots.txt older than this is fetched again (RFC 9309 §2.4)
  double lease_s = 120;              // a URL not reported within this is handed out again
  // A rerun queues again a URL whose fetch failed without a response (connect failure, reset,
  // timeout, DNS), this many reruns at most (counted per URL in the state); 0: never.
  int retry_failed = 2;
  int batch = 32;                    // URLs per lease message
  int64_t warc_mb = 1000;            // a WARC part is rolled beyond this size
  double commit_s = 2;               // a worker commits its part at least this often
  net::TransferOptions fetch;        // user agent, timeouts, size cap, loopback, resolve
  bool progress_tty = false;         // live progress line (a terminal) rather than log lines
};

struct CrawlTotals {
  int attempt = 0;
  int64_t fetched = 0;               // URLs with a response recorded this attempt
  int64_t failed = 0;                // URLs whose fetch failed (no response), this attempt
  int64_t disallowed = 0, capped = 0;
  int64_t leases_expired = 0;
  int64_t bytes = 0;                 // response bytes recorded, this attempt
  int64_t parts = 0;                 // WARC parts committed, this attempt
  int64_t flushes = 0;               // kFlush sent: a rank asked to commit early (see Leader)
  int64_t parts_rejected = 0;        // parts of an expired lease, deleted (their URLs redone)
  int64_t revisits = 0;              // responses rewritten as revisits by finalize, this attempt
  int64_t queued_left = 0;
  int64_t origins = 0;
  int64_t messages = 0;              // leader messages received
  std::map<std::string, int64_t> outcomes;  // this attempt: "ok", "timeout", ...
  std::map<std::string, int64_t> states;    // whole run: URLs per state
  double seconds = 0, pages_per_second = 0, mb_per_second = 0;
  bool stopped = false;
};

CrawlTotals run_crawl(const CrawlConfig& config, const dist::MpiSession& session);

}  // namespace warcpairs::stages
