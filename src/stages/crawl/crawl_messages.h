// What the crawl's leader and workers say to each other (dist::Mailbox tags and bodies,
// CBOR through nlohmann-json).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "warcpairs/store/crawl_state.h"

namespace warcpairs::stages::crawl {

enum Tag : int {
  kWant = 1,      // worker → leader: {n}: send me up to n URLs
  kLease = 2,     // leader → worker: [FrontierUrl...]
  kCommit = 3,    // worker → leader: Commit
  kStopping = 4,  // worker → leader: a stop signal arrived here
  kStop = 5,      // leader → worker: stop now: commit what is done, then say bye
  kDone = 6,      // leader → worker: the crawl is complete: commit, then say bye
  kBye = 7,       // worker → leader: {stopped}: nothing more will come from me
  kFetched = 8,   // worker → leader: [id...]: these transfers ended (politeness; not yet committed)
  kFlush = 9,     // leader → worker: commit now: the crawl waits on your fetched, uncommitted URLs
};

struct Link {
  std::string url;  // normalised
  store::UrlKind kind = store::UrlKind::page;
};

// One leased URL's outcome.
struct Result {
  int64_t id = 0;
  std::string outcome;   // net::Response::outcome
  int status = 0;
  bool recorded = false; // its request/response records are in the commit's part
  int64_t bytes = 0;
  std::string robots;    // robots.txt URLs: the body (500 KiB at most)
  std::vector<Link> links;
  // A recorded 2xx response with a complete payload: its WARC-Payload-Digest and WARC-Date
  // (written as a response; the leader's finalize step turns duplicates into revisits).
  // digest "": not eligible for deduplication.
  std::string digest, date;
};

// A worker's unit of commit: the results of the URLs whose records are in `part` (finished in
// RUN/crawl/staging/), and of those that failed without a record.
struct Commit {
  std::string part;      // "" when no result has a record
  int64_t records = 0, part_bytes = 0;
  std::vector<Result> results;
};

std::string encode_ids(const std::vector<int64_t>& ids);
std::vector<int64_t> decode_ids(const std::string& bytes);
std::string encode_want(int n);
int decode_want(const std::string& bytes);
std::string encode_lease(const std::vector<store::FrontierUrl>& urls);
std::vector<store::FrontierUrl> decode_lease(const std::string& bytes);
std::string encode_commit(const Commit& c);
Commit decode_commit(const std::string& bytes);

}  // namespace warcpairs::stages::crawl
