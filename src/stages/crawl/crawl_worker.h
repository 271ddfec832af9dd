// A crawl worker (every rank, rank 0 too): fetches its leased URLs on the transfer engine,
// writes their request/response records into a WARC part in staging, extracts links, and
// commits part + results to the leader.
#pragma once

#include <chrono>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include "crawl_messages.h"
#include "warc_part.h"
#include "warcpairs/dist/mailbox.h"
#include "warcpairs/html/links.h"
#include "warcpairs/net/transfer_engine.h"
#include "warcpairs/stages/crawl/crawl.h"

namespace warcpairs::stages::crawl {

class Worker {
 public:
  Worker(const CrawlConfig& config, int rank, int attempt, dist::Mailbox& box);
  ~Worker();

  void on_message(const dist::Message& m);  // kLease, kStop, kDone
  // Asks for work, commits when due, says bye at the end. Cheap; call often.
  void tick();
  // Runs the transfers in flight until none is left (or stop), calling `pump` between polls.
  void fetch(const std::function<void()>& pump);
  bool has_transfers() const { return engine_.pending() > 0; }
  bool said_bye() const { return bye_sent_; }
  bool stopped() const { return stop_; }

 private:
  void on_response(net::Response&& r);
  void commit();
  std::string part_name();

  const CrawlConfig& config_;
  int rank_, attempt_;
  dist::Mailbox& box_;
  net::TransferEngine engine_;
  html::LinkExtractor links_;
  std::unordered_map<uint64_t, store::FrontierUrl> in_flight_;
  std::unique_ptr<WarcPart> part_;
  Commit pending_;
  std::vector<int64_t> fetched_;  // transfers ended since the last kFetched
  int part_seq_ = 0;
  bool want_sent_ = false, stop_ = false, done_ = false, stopping_sent_ = false, bye_sent_ = false;
  bool flush_ = false;  // kFlush came: commit at the next tick
  std::chrono::steady_clock::time_point last_commit_ = std::chrono::steady_clock::now();
};

}  // namespace warcpairs::stages::crawl
