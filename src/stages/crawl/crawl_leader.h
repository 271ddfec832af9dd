// The crawl's leader (rank 0): frontier and seen set in CrawlState, leases with expiry,
// politeness per origin (in-flight cap, delay, Crawl-delay), robots.txt rules, BFS levels.
#pragma once

#include <chrono>
#include <deque>
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <unordered_map>
#include <vector>

#include "crawl_messages.h"
#include "crawl_scope.h"
#include "warcpairs/dist/mailbox.h"
#include "warcpairs/stages/crawl/crawl.h"
#include "warcpairs/store/crawl_state.h"
#include "warcpairs/text/robots_txt.h"

namespace warcpairs::stages::crawl {

using Clock = std::chrono::steady_clock;

// The run folder's crawl paths.
struct CrawlPaths {
  std::filesystem::path state, staging, warc;
  explicit CrawlPaths(const std::filesystem::path& run_dir);
};

class Leader {
 public:
  // Opens the state, finishes or removes the parts a killed run left in staging (committed:
  // moved to RUN/warc; not: deleted, their URLs are still queued), adds the seeds.
  Leader(const CrawlConfig& config, const SeedSource& seeds, dist::Mailbox& box,
         int ranks, CrawlTotals& totals);
  ~Leader();
  int attempt() const { return attempt_; }

  void on_message(const dist::Message& m);  // kWant, kCommit, kStopping, kBye
  void tick();                              // leases, handouts, completion, stop, progress
  bool finished() const { return byes_ == ranks_; }
  // The frontier was exhausted (no stop): the crawl is complete.
  bool complete() const { return done_sent_ && !stopping_; }
  // Once complete: turns the duplicates of each payload into revisits (see crawl_leader.cc).
  void finalize();
  // Whole-run facts for the stats, once finished.
  void summarise();

 private:
  struct Origin {
    std::string name;
    std::deque<store::FrontierUrl> window;  // queued URLs loaded from the state
    bool exhausted = false;                 // the state has no queued URL beyond window + leases
    bool active = false;                    // in active_
    int outstanding = 0;                    // transfers in flight (politeness)
    int leased = 0;                         // leases not yet committed or released
    Clock::time_point next{};
    std::optional<text::RobotsTxt> robots;
    double robots_at = 0;                   // when it was fetched, seconds since the epoch
    bool robots_leased = false;
    double delay_s = 0;
    int64_t pages = 0;                      // queued or done URLs, for the per-origin cap
  };
  struct Lease {
    int rank;
    Clock::time_point deadline;
    store::FrontierUrl url;
    bool fetched = false;  // the transfer ended (the origin's in-flight count no longer has it)
  };

  Origin& origin(const std::string& name);
  void activate(Origin& o);
  void set_robots(Origin& o, const text::RobotsTxt& r, double fetched_at);
  void refresh_robots();
  int level() const;
  void serve_wants();
  void flush_fetched();
  std::vector<store::FrontierUrl> hand_out(int rank, int n);
  void refill(Origin& o);
  void on_commit(int rank, Commit c);
  void add_links(const store::FrontierUrl& parent, const Result& r);
  void add_url(const std::string& url, store::UrlKind kind, int depth);
  void release(int64_t id, bool requeue);
  void on_fetched(int rank, const std::vector<int64_t>& ids);
  void expire_leases();
  void send_all(int tag);
  void progress_line(bool final);

  const CrawlConfig& config_;
  CrawlPaths paths_;
  dist::Mailbox& box_;
  int ranks_;
  CrawlTotals& totals_;
  std::unique_ptr<store::CrawlState> state_;
  ScopeRules scope_;
  std::string product_;
  int attempt_ = 0;
  std::unordered_map<std::string, std::unique_ptr<Origin>> origins_;
  std::vector<Origin*> active_;
  std::size_t rotation_ = 0;
  std::unordered_map<int64_t, Lease> leases_;
  std::map<int, int64_t> depth_count_;      // queued URLs per depth (robots.txt left out)
  std::map<int, int> wants_;                // rank → URLs asked for
  // Why the last hand_out gave nothing: what it skipped.
  struct HandoutWait {
    bool level = false;              // URLs beyond the BFS level, or only leased ones left
    bool robots = false;             // a robots.txt leased, its rules not yet committed
    bool unleased_at_level = false;  // a URL of the level waiting for politeness only
    // Commits would give out more: a robots.txt, or the level when all its URLs are leased.
    bool on_commits() const { return robots || (level && !unleased_at_level); }
  };
  HandoutWait handout_wait_;
  std::set<int> flushed_;                   // ranks sent kFlush since their last commit
  int64_t pages_handed_ = 0, pages_before_ = 0;
  int byes_ = 0;
  bool stopping_ = false, done_sent_ = false;
  Clock::time_point started_ = Clock::now(), last_expiry_ = Clock::now(), last_progress_ = Clock::now();
  Clock::time_point last_robots_check_ = Clock::now();
  Clock::time_point ending_since_{};
};

}  // namespace warcpairs::stages::crawl
