// What a score rerun redoes of the rows already merged into `scores`: failed downloads to retry
// (transient ones up to --max-attempts, all with --retry-failed) and stored images to CLIP-score
// when --clip is given now and was not then. Also the failure reasons a run reports.
#pragma once

#include <cstdint>
#include <map>
#include <string>

#include "warcpairs/store/score_query.h"

namespace warcpairs::dist {
class MpiSession;
}

namespace warcpairs::stages {

struct RedoOptions {
  int max_attempts = 3;       // score runs that may download one image (transient failures)
  bool retry_failed = false;  // retry every failure, permanent and exhausted ones too
  bool clip = false;          // a CLIP model is given: stored images without scores get them
};

enum class Redo {
  none,       // ok with nothing to add, or noai
  refetch,    // download again
  clip,       // CLIP-score the stored image
  exhausted,  // transient failure tried max_attempts times
  permanent,  // permanent failure (retried only with --retry-failed)
};

Redo choose_redo(const store::StoredScore& stored, const RedoOptions& options);

// The stage's reason key for a result: the outcome, with the status for "http_error"
// ("http_error 503"), so 5xx (transient) and 4xx (permanent) are told apart.
std::string outcome_key(const std::string& outcome, int32_t http_status);
bool is_transient_key(const std::string& key);

// Collective: every rank's counts summed (on every rank).
void sum_over_ranks(std::map<std::string, int64_t>& counts, const dist::MpiSession& session);

}  // namespace warcpairs::stages
