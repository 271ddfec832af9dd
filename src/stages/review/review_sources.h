// Where the review server's handlers get their data: database connections from a small pool
// (a ReviewStore is one SQLite connection, one thread at a time; cpp-httplib runs handlers on
// its worker threads) and image tars from a locked cache.
#pragma once

#include <condition_variable>
#include <filesystem>
#include <list>
#include <memory>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include "warcpairs/io/tar_reader.h"
#include "warcpairs/store/review_store.h"

namespace warcpairs::stages {

// ReviewStores handed to one handler at a time; at most kSize connections.
class StorePool {
 public:
  static constexpr std::size_t kSize = 4;
  StorePool(std::filesystem::path db, std::string model, std::vector<std::string> kinds,
            std::vector<int64_t> ids = {})
      : db_(std::move(db)), model_(std::move(model)), kinds_(std::move(kinds)), ids_(std::move(ids)) {
    idle_.push_back(std::make_unique<store::ReviewStore>(db_, model_, kinds_, ids_));  // fails early if it cannot open
    opened_ = 1;
  }
  class Lease {
   public:
    Lease(StorePool& p, std::unique_ptr<store::ReviewStore> s) : pool_(p), store_(std::move(s)) {}
    ~Lease() { pool_.give_back(std::move(store_)); }
    store::ReviewStore* operator->() { return store_.get(); }

   private:
    StorePool& pool_;
    std::unique_ptr<store::ReviewStore> store_;
  };
  Lease lease() {
    std::unique_lock lock(mutex_);
    if (idle_.empty() && opened_ < kSize) {
      ++opened_;
      lock.unlock();
      try {
        return Lease(*this, std::make_unique<store::ReviewStore>(db_, model_, kinds_, ids_));
      } catch (...) {
        std::lock_guard relock(mutex_);
        --opened_;  // the slot was not used
        throw;
      }
    }
    ready_.wait(lock, [&] { return !idle_.empty(); });
    auto s = std::move(idle_.back());
    idle_.pop_back();
    return Lease(*this, std::move(s));
  }

 private:
  void give_back(std::unique_ptr<store::ReviewStore> s) {
    {
      std::lock_guard lock(mutex_);
      idle_.push_back(std::move(s));
    }
    ready_.notify_one();
  }
  std::filesystem::path db_;
  std::string model_;
  std::vector<std::string> kinds_;
  std::vector<int64_t> ids_;
  std::mutex mutex_;
  std::condition_variable ready_;
  std::vector<std::unique_ptr<store::ReviewStore>> idle_;
  std::size_t opened_ = 0;
};

// The run's image tars, opened on demand (the last kOpen kept). A tar name comes from the
// database, never from the request, and must still be a plain file name directly in
// RUN/images: a database edited to say "../../etc/passwd" serves nothing.
class ImageShelf {
 public:
  static constexpr std::size_t kOpen = 16;
  explicit ImageShelf(std::filesystem::path dir) : dir_(std::move(dir)) {}
  // The member's bytes into `out`; false when the tar or the member is not there (or not allowed).
  bool read(const std::string& tar, const std::string& member, std::string& out);

 private:
  io::TarReader* open(const std::string& name);
  std::filesystem::path dir_;
  std::mutex mutex_;
  std::list<std::pair<std::string, std::unique_ptr<io::TarReader>>> open_;
};

}  // namespace warcpairs::stages
