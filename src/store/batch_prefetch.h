// BatchPrefetch: one reader thread decodes a shard's page and image batches (HDF5) while the
// merging thread inserts the previous ones (SQLite) — DESIGN's "one writer, parallel readers".
#pragma once

#include <condition_variable>
#include <cstdint>
#include <exception>
#include <mutex>
#include <thread>
#include <vector>

#include "warcpairs/store/shard.h"

namespace warcpairs::store {

// The reader owns every HDF5 call on the shard from construction to destruction (HDF5 here is
// the serial, non-thread-safe build: the merging thread must not touch the shard meanwhile).
// Memory stays bounded: kSlots batches of batch_rows rows, reused round-robin.
class BatchPrefetch {
 public:
  struct Batch {
    int64_t first = 0;       // row of the batch's first element in its table
    bool pages = true;       // true: `page` holds the rows; false: `image` does
    std::vector<PageRecord> page;
    std::vector<html::ImageRecord> image;
  };

  BatchPrefetch(ShardReader& shard, int64_t batch_rows)
      : shard_(shard), batch_rows_(batch_rows), thread_([this] { run(); }) {}
  ~BatchPrefetch() {
    {
      std::lock_guard lock(mu_);
      stop_ = true;
    }
    cv_.notify_all();
    thread_.join();
  }
  BatchPrefetch(const BatchPrefetch&) = delete;
  BatchPrefetch& operator=(const BatchPrefetch&) = delete;

  // The next filled batch (pages first, then images, in row order), or nullptr when all are
  // consumed. Rethrows what the reader threw. The batch stays valid until the next call.
  const Batch* next() {
    std::unique_lock lock(mu_);
    if (holding_) {  // hand the previous batch back to the reader
      holding_ = false;
      ++consumed_;
      cv_.notify_all();
    }
    cv_.wait(lock, [&] { return consumed_ < produced_ || done_; });
    if (consumed_ < produced_) {
      holding_ = true;
      return &slots_[consumed_ % kSlots];
    }
    if (error_) std::rethrow_exception(error_);
    return nullptr;
  }

 private:
  static constexpr int64_t kSlots = 3;

  void run() {
    try {
      for (int64_t f = 0, n = shard_.page_count(); f < n; f += batch_rows_)
        if (!fill(f, true)) return;
      for (int64_t f = 0, n = shard_.image_count(); f < n; f += batch_rows_)
        if (!fill(f, false)) return;
    } catch (...) {
      std::lock_guard lock(mu_);
      error_ = std::current_exception();
    }
    std::lock_guard lock(mu_);
    done_ = true;
    cv_.notify_all();
  }

  // Waits for a free slot, reads into it outside the lock, publishes it. False when stopped.
  bool fill(int64_t first, bool pages) {
    Batch* slot = nullptr;
    {
      std::unique_lock lock(mu_);
      cv_.wait(lock, [&] { return stop_ || produced_ - consumed_ < kSlots; });
      if (stop_) return false;
      slot = &slots_[produced_ % kSlots];
    }
    slot->first = first;
    slot->pages = pages;
    if (pages) shard_.read_pages(first, batch_rows_, slot->page);
    else shard_.read_images(first, batch_rows_, slot->image);
    {
      std::lock_guard lock(mu_);
      ++produced_;
    }
    cv_.notify_all();
    return true;
  }

  ShardReader& shard_;
  const int64_t batch_rows_;
  Batch slots_[kSlots];
  std::mutex mu_;
  std::condition_variable cv_;
  int64_t produced_ = 0, consumed_ = 0;
  bool holding_ = false, done_ = false, stop_ = false;
  std::exception_ptr error_;
  std::thread thread_;  // last: starts after every member above is initialised
};

}  // namespace warcpairs::store
