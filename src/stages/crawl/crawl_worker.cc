// Worker: leased URLs → transfers → WARC records + results → commits.
#include "crawl_worker.h"

#include <spdlog/spdlog.h>

#include <ctime>

#include "crawl_leader.h"
#include "warcpairs/core/limits.h"
#include "warcpairs/core/skip_log.h"
#include "warcpairs/core/stop_signal.h"
#include "warcpairs/text/robots_txt.h"
#include "warcpairs/text/url_normalize.h"
#include "warcpairs/warc/cdxj.h"
#include "warcpairs/warc/writer.h"

namespace warcpairs::stages::crawl {
using store::UrlKind;

namespace {

// RFC 9309 §2.3.1.2: a crawler SHOULD follow at least five consecutive redirects for robots.txt,
// even across authorities; the rules reached apply to the initial origin. More: "unavailable".
constexpr int kRobotsRedirects = 5;

net::TransferOptions engine_options(const CrawlConfig& c) {
  net::TransferOptions o = c.fetch;
  // A redirect is recorded as it came and its target queued as a URL of its own (seen set,
  // scope, robots.txt and depth apply to it), as wget and Heritrix archive them.
  o.follow_redirects = false;
  o.max_per_host = c.per_host;
  o.max_poll_ms = 2;  // rank 0 answers the other ranks between polls
  o.wire_format = true;  // records hold the messages as sent and received
  return o;
}

bool is_html(std::string_view content_type) {
  return content_type.find("text/html") != std::string_view::npos ||
         content_type.find("application/xhtml") != std::string_view::npos;
}

}  // namespace

Worker::Worker(const CrawlConfig& config, int rank, int attempt, dist::Mailbox& box)
    : config_(config), rank_(rank), attempt_(attempt), box_(box), engine_(engine_options(config)) {}

Worker::~Worker() = default;

std::string Worker::part_name() {
  char name[96];
  std::snprintf(name, sizeof name, "crawl-a%04d-r%04d-%06d.warc.gz", attempt_, rank_, ++part_seq_);
  return name;
}

void Worker::on_message(const dist::Message& m) {
  switch (m.tag) {
    case kLease:
      want_sent_ = false;
      for (auto& u : decode_lease(m.bytes)) {
        const auto key = static_cast<uint64_t>(u.id);
        engine_.add(key, u.url, u.kind == UrlKind::robots ? kRobotsRedirects : -1);
        in_flight_.emplace(key, std::move(u));
      }
      break;
    case kStop: stop_ = true; break;
    case kDone: done_ = true; break;
    case kFlush: flush_ = true; break;
    default: spdlog::warn("crawl: worker got a message with unknown tag {} from rank {}", m.tag, m.from);
  }
}

void Worker::on_response(net::Response&& r) {
  auto it = in_flight_.find(r.key);
  if (it == in_flight_.end()) return;
  const store::FrontierUrl u = std::move(it->second);
  in_flight_.erase(it);
  fetched_.push_back(u.id);
  Result res;
  res.id = u.id;
  res.outcome = r.outcome;
  res.status = static_cast<int>(r.http_status);
  if ((r.outcome == "ok" || !r.truncated.empty()) && r.request_head.empty()) {
    spdlog::warn("crawl: {}: libcurl reported no request head; not recorded", r.url);
    res.outcome = "transfer_error";
  } else if (r.outcome == "ok" || !r.truncated.empty()) {  // complete, or cut at the size cap
    if (!part_) part_ = std::make_unique<WarcPart>(CrawlPaths(config_.run_dir).staging, part_name(),
                                                   config_.fetch.user_agent);
    // A robots.txt reached through redirects is recorded under the URL it came from (the hops'
    // own responses are not kept: libcurl followed them).
    if (r.redirects > 0 && !r.final_url.empty()) r.url = r.final_url;
    const Exchange x = part_->write_exchange(r, std::time(nullptr), u.kind != UrlKind::robots);
    res.digest = x.digest;
    res.date = x.date;
    res.recorded = true;
    res.bytes = static_cast<int64_t>(r.body.size());
    // Links and robots rules come from the entity body (chunked framing removed).
    const std::string entity = warc::http_entity_body(
        r.headers, std::string_view(reinterpret_cast<const char*>(r.body.data()), r.body.size()));
    const std::string_view body(entity);
    if (u.kind == UrlKind::robots) {
      res.robots.assign(body.substr(0, text::kRobotsTxtMaxBytes));
    } else if (u.kind == UrlKind::page && r.http_status >= 200 && r.http_status < 300 &&
               is_html(r.content_type)) {
      const html::PageLinks p = links_.extract(body, r.url, r.content_type);
      auto add = [&](const std::vector<std::string>& urls, UrlKind kind) {
        for (const auto& l : urls) {
          std::string n = text::normalize_url(l);
          if (!n.empty()) res.links.push_back({std::move(n), kind});
        }
      };
      add(p.links, UrlKind::page);
      if (config_.requisites != Requisites::none) add(p.images, UrlKind::image);
      if (config_.requisites == Requisites::all) add(p.styles, UrlKind::style);
    }
    if (r.http_status >= 300 && r.http_status < 400 && !r.redirect_url.empty() &&
        u.kind != UrlKind::robots) {
      std::string n = text::normalize_url(r.redirect_url);
      if (!n.empty()) res.links.push_back({std::move(n), u.kind});
    }
  }
  pending_.results.push_back(std::move(res));
  if (part_ && part_->bytes() >= config_.warc_mb * 1000000) commit();
}

void Worker::commit() {
  last_commit_ = std::chrono::steady_clock::now();
  if (pending_.results.empty()) return;
  if (part_) {
    part_->finish();
    // Its CDXJ index beside it in staging (complete or absent), moved with it by the leader:
    // indexing a part is this rank's work, not the leader's.
    // When that fails, the leader indexes the part after moving it.
    SkipLog skips;
    try {
      warc::write_cdxj_beside((CrawlPaths(config_.run_dir).staging / part_->name()).string(),
                              Limits{}, skips);
    } catch (const std::exception& e) {
      spdlog::warn("crawl: CDXJ index of part {} not written here: {}", part_->name(), e.what());
    }
    if (skips.total() > 0)
      spdlog::warn("crawl: {} record(s) of part {} not indexed", skips.total(), part_->name());
    pending_.part = part_->name();
    pending_.records = part_->records();
    pending_.part_bytes = part_->bytes();
    part_.reset();
  }
  box_.send(0, kCommit, encode_commit(pending_));
  pending_ = Commit{};
}

void Worker::fetch(const std::function<void()>& pump) {
  engine_.run([this](net::Response&& r) { on_response(std::move(r)); },
              [&] {
                pump();
                return stop_;
              });
  for (uint64_t key : engine_.abandoned()) in_flight_.erase(key);  // not reported: redone later
}

void Worker::tick() {
  if (bye_sent_) return;
  if (stop_requested() && !stopping_sent_) {
    stopping_sent_ = true;
    box_.send(0, kStopping, {});
  }
  if (!fetched_.empty()) {
    box_.send(0, kFetched, encode_ids(fetched_));
    fetched_.clear();
  }
  const double since_commit =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - last_commit_).count();
  // Besides every commit_s, when the leader asks (kFlush): its next URLs wait on this rank's
  // results (the end of a BFS level, a robots.txt). Not whenever this rank is idle: a rank
  // idles between a polite host's requests too, and a part per request is a file per page.
  if (since_commit >= config_.commit_s || flush_) {
    flush_ = false;
    commit();
  }
  if ((stop_ || done_) && engine_.pending() == 0) {
    commit();
    box_.send(0, kBye, {});
    bye_sent_ = true;
    return;
  }
  if (!stop_ && !done_ && !want_sent_ && static_cast<int>(engine_.pending()) < config_.batch) {
    box_.send(0, kWant, encode_want(config_.batch * 2 - static_cast<int>(engine_.pending())));
    want_sent_ = true;
  }
}

}  // namespace warcpairs::stages::crawl
