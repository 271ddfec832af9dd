// What the score stage fetched for the shard in progress, appended as each download finishes,
// so a rerun after a kill fetches nothing twice: the shard's URLs found in the journal are
// replayed from it instead of downloaded again.
#pragma once

#include <cstdio>
#include <filesystem>
#include <functional>
#include <set>
#include <string>

#include "warcpairs/net/downloader.h"

namespace warcpairs::stages {

// Records: "WPJ1", u64 header length, header JSON (the FetchResult without its body), u64 body
// length, body. Written without fsync: a SIGKILLed process's writes are in the page cache and
// outlive it; a machine crash can lose the tail, whose URLs are then fetched again. A torn last
// record is cut off on open.
class FetchJournal {
 public:
  // Opens (creates) `path`, replaying every complete record to `replay` first.
  FetchJournal(std::filesystem::path path, const std::function<void(net::FetchResult&&)>& replay);
  ~FetchJournal();
  FetchJournal(const FetchJournal&) = delete;
  FetchJournal& operator=(const FetchJournal&) = delete;

  const std::set<std::string>& replayed_urls() const { return replayed_; }
  void append(const net::FetchResult& f);
  // The shard is committed: the journal has served its purpose.
  void remove();

 private:
  std::filesystem::path path_;
  std::FILE* file_ = nullptr;
  std::set<std::string> replayed_;
};

}  // namespace warcpairs::stages
