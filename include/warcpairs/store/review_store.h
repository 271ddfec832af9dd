// The review decisions of `warcpairs review`: pages of pairs as a person sees them (context,
// predicted span, alt, scores, current decision) and decisions appended to review_decisions
// (schema v4) with a check that nobody else decided the pair in between.
#pragma once

#include <cmath>
#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace warcpairs::store {

// One row of review_decisions. decision_id 0: the pair has none (undecided).
struct ReviewDecision {
  int64_t decision_id = 0;
  int64_t image_id = 0;
  std::string action;  // accept | reject | edit | reset
  std::string text;    // accept: the description accepted; edit: the reviewer's; else ""
  std::string machine_text, reviewer, decided_at;
  int64_t replaces = 0;
};

// A pair as the review page shows it. Unknown numbers are NaN / -1.
struct ReviewPair {
  int64_t image_id = 0;
  std::string page_url, page_title, url, alt, context;
  int32_t image_pos = 0;                 // code point in context where the image stands
  int32_t span_start = -1, span_end = -1;  // the predicted span, code points; -1: none
  double prediction_score = NAN;
  std::string machine_text;              // what export uses without a decision
  double clip_caption = NAN, clip_alt = NAN;
  int64_t width = -1, height = -1;
  std::string outcome;                   // scores.outcome; "" when not scored
  bool has_image = false;                // a stored image to show (outcome ok, tar + key)
  ReviewDecision decision;               // the current one (reset counts as none)
  int64_t latest_decision_id = 0;        // the pair's last row, a reset included: what a
                                         // reviewer passes back as DecisionRequest::expected
};

enum class ReviewFilter { all, undecided, accepted, rejected, edited };
enum class ReviewOrder { image_id, clip_descending, clip_ascending };

struct ReviewPage {
  int64_t total = 0;  // pairs matching the filter
  std::vector<ReviewPair> pairs;
  std::map<std::string, int64_t> counts;  // as counts() returns them
};

struct DecisionRequest {
  int64_t image_id = 0;
  std::string action;  // accept | reject | edit | reset
  std::string text;    // edit only: the new description (non-empty)
  std::string reviewer;
  int64_t expected = 0;  // the decision_id the reviewer saw as current (0: none)
};

struct DecisionResult {
  enum class Status { saved, conflict, no_such_pair } status = Status::saved;
  ReviewDecision current;  // saved: the new row; conflict: the row that got there first
};

class ReviewStore {
 public:
  // Opens RUN/warcpairs.sqlite read-write and migrates it to schema v4 when older. Throws
  // Error when it is missing (run merge first) or newer than this build. `span_model`: the
  // predictions shown ("" = alt text only). `kinds`: the image kinds shown (image_kinds
  // view; empty: all); the others are left out of every list and count.
  // `only_ids`: when not empty, only these images are shown (review --ids: a search's list).
  ReviewStore(const std::filesystem::path& database, std::string span_model,
              const std::vector<std::string>& kinds = {}, const std::vector<int64_t>& only_ids = {});
  ~ReviewStore();

  // The model versions in `predictions`, most rows first.
  std::vector<std::string> prediction_models();
  // Pairs with a non-empty machine description (as export reads them), `limit` from `offset`.
  ReviewPage list(ReviewFilter filter, ReviewOrder order, int64_t offset, int64_t limit);
  // Appends a decision in one IMMEDIATE transaction, unless the pair's current decision is no
  // longer `expected` (another reviewer or tab decided in between: conflict, nothing written).
  // Throws UsageError on an unknown action or an edit without text.
  DecisionResult decide(const DecisionRequest& request);
  // Every decision on one pair, oldest first.
  std::vector<ReviewDecision> history(int64_t image_id);
  // Pairs the kinds leave out, by kind (empty when every kind is shown).
  std::map<std::string, int64_t> skipped_kinds();
  // Pairs by current decision: accepted, rejected, edited, undecided, total.
  std::map<std::string, int64_t> counts();
  // Where the pair's stored image is: the tar under RUN/images and the sample key. False
  // when the pair has no stored image.
  bool image_location(int64_t image_id, std::string& tar, std::string& key);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace warcpairs::store
