// run_crawl: the run lock, seeds, the leader on rank 0, a worker on every rank, one loop
// that moves messages and transfers; RUN/crawl-stats.json at the end.
#include "warcpairs/stages/crawl/crawl.h"

#include <spdlog/spdlog.h>

#include <fstream>
#include <thread>

#include "../common/run_lock.h"
#include "../common/run_options.h"
#include "../common/run_stats.h"
#include "crawl_leader.h"
#include "crawl_worker.h"
#include "warcpairs/core/error.h"
#include "warcpairs/dist/mailbox.h"
#include "warcpairs/dist/mpi_session.h"
#include "warcpairs/text/url_normalize.h"

namespace warcpairs::stages {
namespace fs = std::filesystem;
using nlohmann::json;

namespace {

// One URL a line; blank lines and '#' comments skipped. A line that is not an http(s) URL is
// logged with its line number and skipped (on the first pass only); no URL at all is a usage
// error. Streamed: each pass reads the file again.
crawl::SeedSource seed_source(const fs::path& path) {
  auto warned = std::make_shared<bool>(false);
  auto pass = [path, warned](const std::function<void(const std::string&)>& fn) {
    std::ifstream in(path);
    if (!in) throw UsageError("--seeds: cannot read " + path.string());
    std::string line;
    int64_t number = 0, bad = 0, good = 0;
    while (std::getline(in, line)) {
      ++number;
      const auto first = line.find_first_not_of(" \t\r");
      if (first == std::string::npos || line[first] == '#') continue;
      const std::string url = text::normalize_url(line);
      if (url.empty()) {
        if (!*warned)
          spdlog::warn("crawl: {}:{}: not an http(s) URL, skipped: {}", path.string(), number, line);
        ++bad;
        continue;
      }
      ++good;
      fn(url);
    }
    *warned = true;
    if (good == 0)
      throw UsageError("--seeds " + path.string() + ": no http(s) URL in it" +
                       (bad ? " (" + std::to_string(bad) + " line(s) skipped)" : ""));
  };
  return pass;
}

void write_stats(const fs::path& run_dir, const CrawlTotals& t) {
  const json attempt = {{"attempt", t.attempt}, {"fetched", t.fetched}, {"failed", t.failed},
                        {"disallowed", t.disallowed}, {"capped", t.capped},
                        {"leases_expired", t.leases_expired}, {"bytes", t.bytes},
                        {"parts", t.parts}, {"parts_rejected", t.parts_rejected}, {"flushes", t.flushes},
                        {"revisits", t.revisits},
                        {"leader_messages", t.messages}, {"outcomes", t.outcomes},
                        {"seconds", t.seconds}, {"pages_per_second", t.pages_per_second},
                        {"mb_per_second", t.mb_per_second}, {"stopped", t.stopped},
                        {"urls", t.states}, {"queued_left", t.queued_left}, {"origins", t.origins}};
  json run = sum_attempts(append_attempt(run_dir, "crawl", attempt),
                          {"attempt", "urls", "queued_left", "origins", "pages_per_second",
                           "mb_per_second"});
  write_atomically(run_dir / "crawl-stats.json", run.dump(2) + "\n");
}

}  // namespace

CrawlTotals run_crawl(const CrawlConfig& c, const dist::MpiSession& session) {
  const auto lock = lock_run(c.run_dir, "crawl", session);  // one crawl per run folder
  CrawlTotals totals;
  dist::Mailbox box(session);
  std::unique_ptr<crawl::Leader> leader;
  on_root_sharing_usage_error(session, [&] {
    leader = std::make_unique<crawl::Leader>(c, seed_source(c.seeds), box, session.size(), totals);
  });
  const int attempt = std::stoi(session.broadcast(leader ? std::to_string(leader->attempt()) : ""));
  crawl::Worker worker(c, session.rank(), attempt, box);
  // No collective from here on: every rank moves its own messages and transfers.
  const auto pump = [&] {
    while (auto m = box.receive()) {
      const bool to_leader = m->tag == crawl::kWant || m->tag == crawl::kCommit ||
                             m->tag == crawl::kStopping || m->tag == crawl::kBye ||
                             m->tag == crawl::kFetched;
      if (to_leader && leader) leader->on_message(*m);
      else worker.on_message(*m);
    }
    if (leader) leader->tick();
    worker.tick();
  };
  while (!worker.said_bye() || (leader && !leader->finished())) {
    pump();
    if (worker.has_transfers()) worker.fetch(pump);
    else std::this_thread::sleep_for(std::chrono::microseconds(200));
  }
  if (leader) {
    if (leader->complete()) leader->finalize();
    leader->summarise();
    write_stats(c.run_dir, totals);
  }
  totals.stopped = worker.stopped();
  return totals;
}

}  // namespace warcpairs::stages
