// choose_redo: the rerun rules of README.md ("Reruns: retries and CLIP added later", score).
#include "score_redo.h"

#include <cmath>
#include <cstdlib>
#include <nlohmann/json.hpp>

#include "warcpairs/dist/mpi_session.h"
#include "warcpairs/stages/score/score.h"
#include "warcpairs/net/downloader.h"

namespace warcpairs::stages {

Redo choose_redo(const store::StoredScore& stored, const RedoOptions& options) {
  const store::ScoreRecord& r = stored.record;
  if (r.outcome == "ok") {
    const bool unscored = std::isnan(r.clip_caption) && std::isnan(r.clip_alt);
    return options.clip && unscored && !r.tar.empty() && !r.key.empty() ? Redo::clip : Redo::none;
  }
  if (r.outcome == "noai") return Redo::none;  // an opt-out, not a failure
  if (options.retry_failed) return Redo::refetch;
  if (!net::is_transient_failure(r.outcome, r.http_status)) return Redo::permanent;
  return stored.tries < options.max_attempts ? Redo::refetch : Redo::exhausted;
}

std::string outcome_key(const std::string& outcome, int32_t http_status) {
  if (outcome == "http_error" && http_status > 0) return outcome + " " + std::to_string(http_status);
  return outcome;
}

bool is_transient_key(const std::string& key) {
  const auto space = key.find(' ');
  if (space == std::string::npos) return net::is_transient_failure(key, 0);
  return net::is_transient_failure(key.substr(0, space), std::atol(key.c_str() + space + 1));
}

void sum_over_ranks(std::map<std::string, int64_t>& counts, const dist::MpiSession& session) {
  if (session.size() == 1) return;
  const auto all = session.gather(nlohmann::json(counts).dump());
  std::map<std::string, int64_t> sum;
  for (const std::string& part : all) {
    const nlohmann::json rank_counts = nlohmann::json::parse(part);  // outlives the loop below
    for (const auto& [key, n] : rank_counts.items()) sum[key] += n.get<int64_t>();
  }
  counts = nlohmann::json::parse(session.broadcast(nlohmann::json(sum).dump()))
               .get<std::map<std::string, int64_t>>();
}

std::string describe_failures(const ScoreTotals& t, const ScoreConfig& c) {
  std::string out;
  for (const auto& [key, n] : t.outcomes) {
    if (key == "ok" || key == "noai") continue;
    out += "  " + std::to_string(n) + " " + key +
           (!c.pairs.empty() ? std::string(is_transient_key(key) ? " (transient)\n" : " (permanent)\n")
            : is_transient_key(key) ? " (transient: a rerun retries them, up to --max-attempts " +
                                        std::to_string(c.max_attempts) + " per image)\n"
                                  : " (permanent: a rerun with --retry-failed retries them)\n");
  }
  if (t.retried || t.clip_added)
    out += "  rerun: " + std::to_string(t.retried) + " failed downloads retried, " +
           std::to_string(t.clip_added) + " stored images CLIP-scored without a download\n";
  if (t.retries_exhausted || t.permanent_left)
    out += "  left as they are: " + std::to_string(t.retries_exhausted) +
           " transient failures tried --max-attempts times, " + std::to_string(t.permanent_left) +
           " permanent failures (--retry-failed retries both)\n";
  return out;
}

}  // namespace warcpairs::stages
