// Leader: the frontier's handouts, leases and commits. Exactly once: a URL becomes done in
// the same SQLite transaction that records the WARC part holding its records; the part is
// moved from staging into RUN/warc only after that commit, and a restart finishes the move
// (committed) or deletes the part (not committed: its URLs are still queued and redone).
#include "crawl_leader.h"
#include "warc_part.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <ctime>
#include <exception>
#include <mutex>
#include <thread>

#include "warcpairs/core/error.h"
#include "warcpairs/core/limits.h"
#include "warcpairs/core/skip_log.h"
#include "warcpairs/core/stop_signal.h"
#include "warcpairs/text/url.h"
#include "warcpairs/warc/cdxj.h"
#include "warcpairs/warc/writer.h"

namespace warcpairs::stages::crawl {
namespace fs = std::filesystem;
using store::FrontierUrl;
using store::UrlKind;
using store::UrlState;

namespace {

double since(Clock::time_point t) { return std::chrono::duration<double>(Clock::now() - t).count(); }

// The User-Agent's product token (RFC 9309 §2.2.1): "warcpairs/0.1 (...)" → "warcpairs".
std::string product_token(const std::string& user_agent) {
  std::string out;
  for (char c : user_agent) {
    if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == '-')) break;
    out.push_back(c);
  }
  return out;
}

// RFC 9309 §2.3.1: 2xx → the rules; 3xx (up to five redirects are followed by the transfer,
// §2.3.1.2, so a 3xx here is a sixth: "unavailable") and 4xx other than 429 → "unavailable",
// allow all; 429 (as Google reads it), 5xx and no response → "unreachable", disallow all.
text::RobotsTxt robots_from(int status, const std::string& body, const std::string& product) {
  if (status >= 200 && status < 300) return text::RobotsTxt::parse(body, product);
  if (status >= 300 && status < 500 && status != 429) return text::RobotsTxt::allow_all();
  return text::RobotsTxt::disallow_all();
}

// The status a robots.txt result is judged by: its response's; after more than five redirects
// (outcome too_many_redirects, no record) the last redirect's; no response at all: 0.
int robots_status(const Result& r) {
  if (r.recorded || r.outcome == "too_many_redirects") return r.status;
  return 0;
}

double wall_now() { return static_cast<double>(std::time(nullptr)); }

void fsync_dir(const fs::path& dir) {
  if (FILE* f = std::fopen(dir.c_str(), "r")) {
    fsync(fileno(f));
    std::fclose(f);
  }
}

}  // namespace

CrawlPaths::CrawlPaths(const fs::path& run_dir)
    : state(run_dir / "crawl" / "state.sqlite"),
      staging(run_dir / "crawl" / "staging"),
      warc(run_dir / "warc") {}

Leader::Leader(const CrawlConfig& config, const SeedSource& seeds,
               dist::Mailbox& box, int ranks, CrawlTotals& totals)
    : config_(config), paths_(config.run_dir), box_(box), ranks_(ranks), totals_(totals),
      scope_(config, seeds), product_(product_token(config.fetch.user_agent)) {
  fs::create_directories(paths_.staging);
  fs::create_directories(paths_.warc);
  state_ = std::make_unique<store::CrawlState>(paths_.state);
  attempt_ = state_->begin_attempt();
  // Parts a killed run left behind. A committed part's index, when it is still beside it,
  // goes first (as in on_commit); any other file there (an uncommitted part, its index, an
  // index's ".tmp") is deleted.
  int moved = 0, removed = 0;
  std::vector<fs::path> staged;
  for (const auto& e : fs::directory_iterator(paths_.staging)) staged.push_back(e.path());
  std::sort(staged.begin(), staged.end());
  for (const fs::path& p : staged) {
    const std::string name = p.filename().string();
    if (state_->part_committed(name)) {
      const fs::path index = paths_.staging / cdxj_name(name);
      if (fs::exists(index)) fs::rename(index, paths_.warc / index.filename());
      fs::rename(p, paths_.warc / name);
      ++moved;
    }
  }
  for (const auto& e : fs::directory_iterator(paths_.staging)) {
    fs::remove(e.path());
    ++removed;
  }
  if (moved + removed > 0) {
    fsync_dir(paths_.warc);
    fsync_dir(paths_.staging);
    spdlog::info("crawl: resumed: {} committed part(s) moved into {}, {} other file(s) of "
                 "staging deleted (uncommitted parts: their URLs are fetched again)", moved,
                 paths_.warc.string(), removed);
  }
  // A part in RUN/warc without its index (a kill between the two renames, or an index that a
  // worker could not write): indexed now. A temporary file there (".open": a part being
  // rewritten by finalize; ".tmp": an index being written) is what a kill left: deleted.
  int indexed = 0;
  std::vector<fs::path> leftovers;
  for (const auto& e : fs::directory_iterator(paths_.warc)) {
    const std::string ext = e.path().extension().string();
    if (ext == ".open" || ext == ".tmp") leftovers.push_back(e.path());
  }
  for (const fs::path& p : leftovers) fs::remove(p);
  if (!leftovers.empty())
    spdlog::info("crawl: resumed: {} temporary file(s) of an interrupted rewrite deleted", leftovers.size());
  for (const auto& e : fs::directory_iterator(paths_.warc)) {
    const std::string name = e.path().filename().string();
    if (name.size() < 8 || name.compare(name.size() - 8, 8, ".warc.gz") != 0) continue;
    if (fs::exists(paths_.warc / cdxj_name(name))) continue;
    SkipLog skips;
    warc::write_cdxj_beside(e.path().string(), Limits{}, skips);
    ++indexed;
  }
  if (indexed > 0) {
    fsync_dir(paths_.warc);
    spdlog::info("crawl: resumed: {} WARC file(s) without their CDXJ index indexed", indexed);
  }
  // URLs that failed without a response in earlier attempts: fetched again (--retry-failed), so
  // that a rerun that has nothing left to do has output covering its input.
  if (config_.retry_failed > 0) {
    state_->begin();
    const auto again = state_->requeue_failed(config_.retry_failed);
    state_->commit();
    if (again.urls > 0)
      spdlog::info("crawl: attempt {}: {} URL(s) whose fetch failed without a response queued again "
                   "(--retry-failed {}); {} of them robots.txt: {} URL(s) they disallowed judged again",
                   attempt_, again.urls, config_.retry_failed, again.origins, again.disallowed);
  }
  // What the state already holds.
  for (const auto& [name, n] : state_->pages_per_origin()) origin(name).pages = n;
  for (const auto& [name, n] : state_->queued_per_origin()) activate(origin(name));
  depth_count_ = state_->queued_per_depth();
  for (auto& [name, o] : origins_)
    if (auto r = state_->robots(name))
      set_robots(*o, robots_from(r->status, r->body, product_), r->fetched_at);
  pages_before_ = state_->pages_done();
  int64_t queued_before = 0, count = 0, added = 0;
  for (auto& [d, c] : depth_count_) queued_before += c;
  state_->begin();
  seeds([&](const std::string& s) {
    const int64_t before = depth_count_[0];
    add_url(s, UrlKind::page, 0);
    added += depth_count_[0] > before;
    if (++count % 100000 == 0) state_->commit(), state_->begin();  // bounded journal
  });
  state_->commit();
  spdlog::info("crawl: attempt {}: {} seed(s), {} new; {} URL(s) queued from earlier attempts",
               attempt_, count, added, queued_before);
}

Leader::~Leader() = default;

Leader::Origin& Leader::origin(const std::string& name) {
  auto& slot = origins_[name];
  if (!slot) {
    slot = std::make_unique<Origin>();
    slot->name = name;
    slot->delay_s = config_.delay_s;
  }
  return *slot;
}

void Leader::activate(Origin& o) {
  o.exhausted = false;
  if (!o.active) {
    o.active = true;
    active_.push_back(&o);
  }
}

void Leader::set_robots(Origin& o, const text::RobotsTxt& r, double fetched_at) {
  o.robots = r;
  o.robots_at = fetched_at;
  const double crawl_delay = std::min(r.crawl_delay().value_or(0), config_.max_crawl_delay_s);
  o.delay_s = std::max(config_.delay_s, crawl_delay);
}

// Pages are handed out level by level (breadth first, every rank together): a URL's depth is
// then its shortest link distance from a seed whatever the timing, so --max-depth selects the
// same pages in every run.
int Leader::level() const {
  for (const auto& [depth, n] : depth_count_)
    if (n > 0) return depth;
  return INT32_MAX;
}

void Leader::add_url(const std::string& url, UrlKind kind, int depth) {
  const std::string name = origin_of(url);
  if (name.empty()) return;
  const bool new_origin = origins_.find(name) == origins_.end();
  Origin& o = origin(name);
  if (new_origin) {
    if (auto r = state_->robots(name)) {
      set_robots(o, robots_from(r->status, r->body, product_), r->fetched_at);
    } else {
      // RFC 9309 §2.3: robots.txt sits at the top of the origin; fetched before anything else.
      const FrontierUrl robots{0, name + "/robots.txt", name, 0, UrlKind::robots};
      if (state_->add(robots, UrlState::queued, {}, 0).inserted) activate(o);
    }
  }
  const FrontierUrl u{0, url, name, depth, kind};
  std::string cap = scope_.trap(url);
  if (cap.empty() && kind == UrlKind::page && depth > config_.max_depth) cap = "depth";
  if (cap.empty() && o.pages >= config_.max_per_origin) cap = "origin_cap";
  const auto added = state_->add(u, cap.empty() ? UrlState::queued : UrlState::capped, cap,
                                 config_.max_depth);
  if (added.lowered_from >= 0) {
    --depth_count_[added.lowered_from];
    ++depth_count_[depth];
    return;
  }
  if (added.inserted && !cap.empty()) {
    ++totals_.capped;
    return;
  }
  if (!added.inserted && !added.revived) return;
  ++o.pages;
  ++depth_count_[depth];
  activate(o);
}

void Leader::refill(Origin& o) {
  if (!o.window.empty() || o.exhausted) return;
  // Leased URLs are still queued in the state: skip them.
  for (auto& u : state_->queued(o.name, 64 + o.leased)) {
    if (!leases_.count(u.id)) o.window.push_back(std::move(u));
  }
  if (o.window.empty()) o.exhausted = true;
}

std::vector<FrontierUrl> Leader::hand_out(int rank, int n) {
  std::vector<FrontierUrl> batch;
  handout_wait_ = HandoutWait{};
  if (stopping_ || active_.empty()) return batch;
  const auto now = Clock::now();
  const int lvl = level();
  bool wrote = false;  // URLs finished here (disallowed, over --max-pages): one transaction
  std::size_t idle_pass = 0;
  while (static_cast<int>(batch.size()) < n && idle_pass < active_.size() && !active_.empty()) {
    rotation_ %= active_.size();
    Origin& o = *active_[rotation_];
    refill(o);
    if (o.window.empty() && o.exhausted && o.leased == 0) {  // nothing left here
      o.active = false;
      active_.erase(active_.begin() + static_cast<std::ptrdiff_t>(rotation_));
      continue;
    }
    ++rotation_;
    ++idle_pass;
    // With a delay, one request at a time, the next `delay` after the last one ended (on_fetched):
    // spacing handouts alone would not space the requests, which a busy rank may start late.
    const int in_flight_cap = o.delay_s > 0 ? 1 : config_.per_host;
    if (o.window.empty()) {  // all its URLs leased: their commits may add more
      handout_wait_.level = handout_wait_.level || o.leased > 0;
      continue;
    }
    if (o.outstanding >= in_flight_cap || now < o.next) {
      // Politeness: time or a transfer ending frees it, not a commit. (The window is in depth
      // order, its robots.txt first.)
      if (o.window.front().kind == UrlKind::robots || o.window.front().depth <= lvl)
        handout_wait_.unleased_at_level = true;
      continue;
    }
    auto pick = o.window.begin();
    if (!o.robots) {
      pick = std::find_if(o.window.begin(), o.window.end(),
                          [](const FrontierUrl& u) { return u.kind == UrlKind::robots; });
      if (pick == o.window.end() || o.robots_leased) {
        handout_wait_.robots = handout_wait_.robots || o.robots_leased;
        continue;
      }
      o.robots_leased = true;
    } else if (pick->kind != UrlKind::robots && pick->depth > lvl) {
      handout_wait_.level = true;
      continue;
    }
    FrontierUrl u = std::move(*pick);
    o.window.erase(pick);
    if (u.kind != UrlKind::robots) {
      const std::string path = u.url.substr(o.name.size());
      const bool over = config_.max_pages > 0 && u.kind == UrlKind::page &&
                        pages_before_ + pages_handed_ >= config_.max_pages;
      if (over || !o.robots->allowed(path.empty() ? "/" : path)) {
        if (!wrote) state_->begin(), wrote = true;
        state_->finish(u.id, over ? UrlState::capped : UrlState::disallowed,
                       over ? "max_pages" : "robots", 0, {});
        --depth_count_[u.depth];
        ++(over ? totals_.capped : totals_.disallowed);
        idle_pass = 0;
        --rotation_;  // the same origin again
        continue;
      }
      if (u.kind == UrlKind::page) ++pages_handed_;
    }
    ++o.outstanding;
    ++o.leased;
    o.next = now + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(o.delay_s));
    leases_[u.id] = Lease{rank, now + std::chrono::duration_cast<Clock::duration>(
                                          std::chrono::duration<double>(config_.lease_s)), u};
    batch.push_back(std::move(u));
    idle_pass = 0;
  }
  if (wrote) state_->commit();
  return batch;
}

void Leader::serve_wants() {
  bool waits_on_commits = false;
  for (auto it = wants_.begin(); it != wants_.end();) {
    auto batch = hand_out(it->first, it->second);
    if (batch.empty()) {
      waits_on_commits = waits_on_commits || handout_wait_.on_commits();
      ++it;
      continue;
    }
    box_.send(it->first, kLease, encode_lease(batch));
    it = wants_.erase(it);
  }
  if (waits_on_commits) flush_fetched();
}

// A rank with nothing to do waits on results other ranks hold uncommitted: ask each rank with
// a fetched lease to commit now (once until its next commit) rather than at its next
// --commit-every. Only then: a commit is a WARC part, and committing whenever a rank idles
// (between a polite host's requests, say) made a part per page.
void Leader::flush_fetched() {
  if (static_cast<int>(flushed_.size()) >= ranks_) return;
  for (const auto& [id, lease] : leases_) {
    if (lease.fetched && flushed_.insert(lease.rank).second) {
      box_.send(lease.rank, kFlush, {});
      ++totals_.flushes;
    }
  }
}

void Leader::release(int64_t id, bool requeue) {
  auto it = leases_.find(id);
  if (it == leases_.end()) return;
  Origin& o = origin(it->second.url.origin);
  if (!it->second.fetched) --o.outstanding;
  --o.leased;
  if (it->second.url.kind == UrlKind::robots) o.robots_leased = false;
  if (requeue) {
    if (it->second.url.kind == UrlKind::page) --pages_handed_;
    o.window.push_front(std::move(it->second.url));
    activate(o);
  }
  leases_.erase(it);
}

void Leader::on_commit(int rank, Commit c) {
  flushed_.erase(rank);  // a later kFlush may ask it again
  // A result for a URL no longer leased to this rank (its lease expired; it went to another
  // rank or is done) would store that URL twice: the whole part is refused and deleted, and
  // its other URLs are queued again.
  bool valid = true;
  for (const auto& r : c.results) {
    auto it = leases_.find(r.id);
    if (it == leases_.end() || it->second.rank != rank) valid = false;
  }
  if (!valid) {
    if (!c.part.empty()) {
      fs::remove(paths_.staging / c.part);
      fs::remove(paths_.staging / cdxj_name(c.part));
    }
    for (const auto& r : c.results) {
      auto it = leases_.find(r.id);
      if (it != leases_.end() && it->second.rank == rank) release(r.id, true);
    }
    ++totals_.parts_rejected;
    spdlog::warn("crawl: part {} of rank {} refused: it holds URLs whose lease expired; its "
                 "URLs are fetched again", c.part.empty() ? "(none)" : c.part, rank);
    return;
  }
  state_->begin();
  for (const auto& r : c.results) {
    const Lease& l = leases_.at(r.id);
    state_->finish(r.id, UrlState::done, r.outcome, r.status, r.recorded ? c.part : "");
    if (r.recorded && !r.digest.empty()) state_->set_payload(r.id, r.digest, r.date);
    if (l.url.kind == UrlKind::robots) {
      state_->save_robots(l.url.origin, {robots_status(r), r.robots, wall_now()});
    } else {
      --depth_count_[l.url.depth];
    }
    add_links(l.url, r);
  }
  if (!c.part.empty()) state_->add_part(c.part, c.records, c.part_bytes);
  state_->commit();
  if (!c.part.empty()) {
    // The index first: a kill between the two renames leaves the committed part in staging,
    // which a restart moves (the index already in RUN/warc). A missing index (the worker could
    // not write it) is written here.
    const std::string index = cdxj_name(c.part);
    const bool indexed = fs::exists(paths_.staging / index);
    if (indexed) fs::rename(paths_.staging / index, paths_.warc / index);
    fs::rename(paths_.staging / c.part, paths_.warc / c.part);
    if (!indexed) {
      SkipLog skips;
      warc::write_cdxj_beside((paths_.warc / c.part).string(), Limits{}, skips);
    }
    ++totals_.parts;
  }
  for (const auto& r : c.results) {
    const Lease& l = leases_.at(r.id);
    if (l.url.kind == UrlKind::robots)
      set_robots(origin(l.url.origin), robots_from(robots_status(r), r.robots, product_), wall_now());
    ++totals_.outcomes[r.outcome];
    if (r.recorded) ++totals_.fetched, totals_.bytes += r.bytes;
    else ++totals_.failed;
    release(r.id, false);
  }
}

void Leader::add_links(const FrontierUrl& parent, const Result& r) {
  for (const auto& link : r.links) {
    if (link.kind == UrlKind::page && !scope_.in_scope(link.url)) continue;
    add_url(link.url, link.kind, parent.depth + 1);
  }
}

// Politeness counts transfers in flight, not results waiting for their part's commit.
void Leader::on_fetched(int rank, const std::vector<int64_t>& ids) {
  for (int64_t id : ids) {
    auto it = leases_.find(id);
    if (it == leases_.end() || it->second.rank != rank || it->second.fetched) continue;
    it->second.fetched = true;
    Origin& o = origin(it->second.url.origin);
    --o.outstanding;
    if (o.delay_s > 0)
      o.next = std::max(o.next, Clock::now() + std::chrono::duration_cast<Clock::duration>(
                                                   std::chrono::duration<double>(o.delay_s)));
  }
}

void Leader::expire_leases() {
  if (since(last_expiry_) < 1) return;
  last_expiry_ = Clock::now();
  std::vector<int64_t> expired;
  for (const auto& [id, l] : leases_)
    if (l.deadline < last_expiry_) expired.push_back(id);
  for (int64_t id : expired) {
    spdlog::warn("crawl: lease of {} (rank {}) expired after {} s: handed out again",
                 leases_.at(id).url.url, leases_.at(id).rank, config_.lease_s);
    release(id, true);
    ++totals_.leases_expired;
  }
}

// RFC 9309 §2.4: a cached robots.txt is not used for more than 24 hours (--robots-max-age).
// An origin whose copy is older gets no more URLs until its robots.txt is fetched again, first.
void Leader::refresh_robots() {
  if (since(last_robots_check_) < 1) return;
  last_robots_check_ = Clock::now();
  const double now = wall_now();
  for (auto& [name, o] : origins_) {
    if (!o->robots || o->robots_leased || now - o->robots_at <= config_.robots_max_age_s) continue;
    o->robots.reset();
    state_->begin();
    const auto u = state_->requeue_robots(name);
    state_->commit();
    if (u) {
      o->window.push_front(*u);
    } else if (std::none_of(o->window.begin(), o->window.end(),
                            [](const FrontierUrl& w) { return w.kind == UrlKind::robots; })) {
      o->window.clear();  // queued in the state already: the window (a cache of it) reloads it
    }
    activate(*o);
    spdlog::info("crawl: robots.txt of {} is {:.0f} s old (--robots-max-age {}): fetched again",
                 name, now - o->robots_at, config_.robots_max_age_s);
  }
}

void Leader::send_all(int tag) {
  for (int r = 0; r < ranks_; ++r) box_.send(r, tag, {});
}

void Leader::on_message(const dist::Message& m) {
  ++totals_.messages;
  switch (m.tag) {
    case kWant: wants_[m.from] = decode_want(m.bytes); break;
    case kCommit: on_commit(m.from, decode_commit(m.bytes)); break;
    case kStopping:
      if (!stopping_) {
        stopping_ = true;
        send_all(kStop);
      }
      break;
    case kBye: ++byes_; break;
    case kFetched: on_fetched(m.from, decode_ids(m.bytes)); break;
    default: spdlog::warn("crawl: leader got a message with unknown tag {} from rank {}", m.tag, m.from);
  }
}

void Leader::tick() {
  if (stop_requested() && !stopping_) {
    stopping_ = true;
    send_all(kStop);
  }
  expire_leases();
  if (!stopping_ && !done_sent_) refresh_robots();
  if (!stopping_ && !done_sent_) serve_wants();
  if (!stopping_ && !done_sent_ && leases_.empty()) {
    bool left = false;
    for (Origin* o : active_) {
      refill(*o);
      if (!o->window.empty()) left = true;
    }
    if (!left) {
      done_sent_ = true;
      send_all(kDone);
    }
  }
  if (since(last_progress_) >= (config_.progress_tty ? 0.5 : 10)) progress_line(false);
}

// Revisits (WARC 1.1 §6.7.2, identical payload digest), decided whatever the timing: during the
// crawl every payload is written as a response; once the frontier is exhausted, the owner of
// each payload held by several URLs is the smallest URL (bytewise) among them, or the owner a
// finalize of an earlier crawl into this folder settled; every other URL's response becomes a
// revisit referring to it. Each part holding such a response is rewritten beside itself
// (copied member by member, the converted records rewritten; temporary name, fsync, rename)
// and its CDXJ index rewritten; then one transaction marks the revisits and settles the
// owners. A kill in between leaves the state unchanged: the next run redoes the rewrite, which
// finds converted records already revisits and converts the rest. So an interrupted crawl and
// an uninterrupted one end with the same records (ignoring dates and record ids).
void Leader::finalize() {
  const auto t0 = Clock::now();
  const auto pending = state_->pending_revisits();
  std::map<std::string, std::unordered_map<std::string, warc::RevisitTarget>> by_part;
  for (const auto& p : pending) by_part[p.part][p.url] = {p.owner_uri, p.owner_date};
  // Parts are independent: a few threads rewrite them at once (on a node with cores to spare).
  // The step is CPU-bound (every record inflated twice, by the rewrite and by the new index;
  // the revisits deflated), not fsync-bound: with fsync stubbed out it took 0.20 s against 0.22 s
  // on bench/crawl's site, most of it the largest part. The first error is rethrown once all
  // threads are done.
  std::vector<std::pair<const std::string*, const std::unordered_map<std::string, warc::RevisitTarget>*>> jobs;
  for (const auto& [part, targets] : by_part) jobs.emplace_back(&part, &targets);
  std::atomic<std::size_t> next{0};
  std::atomic<int64_t> converted{0};
  std::mutex error_mutex;
  std::exception_ptr error;
  auto work = [&] {
    for (std::size_t i; (i = next++) < jobs.size();) {
      try {
        const std::string path = (paths_.warc / *jobs[i].first).string();
        converted += warc::rewrite_as_revisits(path, *jobs[i].second);
        SkipLog skips;
        warc::write_cdxj_beside(path, Limits{}, skips);
        if (skips.total() > 0)
          spdlog::warn("crawl: {} record(s) of part {} not indexed", skips.total(), *jobs[i].first);
      } catch (...) {
        std::lock_guard<std::mutex> lock(error_mutex);
        if (!error) error = std::current_exception();
      }
    }
  };
  std::vector<std::thread> threads(std::min<std::size_t>(jobs.size(), 8));
  for (auto& t : threads) t = std::thread(work);
  for (auto& t : threads) t.join();
  if (error) std::rethrow_exception(error);
  if (!by_part.empty()) fsync_dir(paths_.warc);
  state_->begin();
  for (const auto& p : pending) state_->mark_revisit(p.id);
  state_->settle_owners();
  state_->commit();
  totals_.revisits += static_cast<int64_t>(pending.size());
  if (!pending.empty())
    spdlog::info("crawl: {} response(s) of a payload stored at a smaller URL rewritten as revisits "
                 "in {} part(s) ({} converted now, the others by an interrupted earlier run) in {:.2f} s",
                 pending.size(), by_part.size(), converted.load(), since(t0));
}

void Leader::progress_line(bool final) {
  last_progress_ = Clock::now();
  const double s = std::max(since(started_), 1e-3);
  int64_t queued = 0;
  for (auto& [d, n] : depth_count_) queued += n;
  const std::string line = fmt::format(
      "crawl: {} fetched ({} failed), {:.1f} pages/s, {:.2f} MB/s; {} queued, {} origins, "
      "level {}, {} leased, {} leases expired, {} disallowed, {} capped",
      totals_.fetched, totals_.failed, totals_.fetched / s, totals_.bytes / s / 1e6, queued,
      origins_.size(), level() == INT32_MAX ? -1 : level(), leases_.size(), totals_.leases_expired,
      totals_.disallowed, totals_.capped);
  if (config_.progress_tty && !final) std::fprintf(stderr, "\r%s\033[K", line.c_str());
  else if (config_.progress_tty) std::fprintf(stderr, "\r%s\033[K\n", line.c_str());
  else spdlog::info("{}", line);
}

void Leader::summarise() {
  progress_line(true);
  totals_.attempt = attempt_;
  totals_.seconds = since(started_);
  totals_.pages_per_second = totals_.fetched / std::max(totals_.seconds, 1e-3);
  totals_.mb_per_second = totals_.bytes / 1e6 / std::max(totals_.seconds, 1e-3);
  totals_.states = state_->count_by_state();
  totals_.queued_left = totals_.states.count("queued") ? totals_.states.at("queued") : 0;
  totals_.origins = static_cast<int64_t>(origins_.size());
  totals_.stopped = stopping_;
}

}  // namespace warcpairs::stages::crawl
