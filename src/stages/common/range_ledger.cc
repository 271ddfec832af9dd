// Id-range shard names, the scan of a shard folder for them, and the plan of what is left.
#include "warcpairs/stages/common/range_ledger.h"

#include <algorithm>
#include <sstream>

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include "warcpairs/core/error.h"
#include "warcpairs/dist/mpi_session.h"
#include "warcpairs/store/prediction_record.h"
#include "warcpairs/store/score_record.h"
#include "warcpairs/store/shard.h"

namespace warcpairs::stages {
namespace fs = std::filesystem;

namespace {

constexpr std::string_view kExt = ".h5";

// "<stem>-" + rest + ".h5" → rest; nullopt for another stem or extension.
std::optional<std::string_view> after_stem(const std::string& stem, std::string_view name) {
  if (name.size() <= stem.size() + 1 + kExt.size() || name.substr(0, stem.size()) != stem ||
      name[stem.size()] != '-' || name.substr(name.size() - kExt.size()) != kExt)
    return std::nullopt;
  return name.substr(stem.size() + 1, name.size() - stem.size() - 1 - kExt.size());
}

std::optional<int64_t> parse_digits(std::string_view s) {
  if (s.empty() || s.size() > 18) return std::nullopt;
  int64_t v = 0;
  for (char ch : s) {
    if (ch < '0' || ch > '9') return std::nullopt;
    v = v * 10 + (ch - '0');
  }
  return v;
}

// The smallest and largest image id among an old chunk shard's predictions or scores.
std::optional<IdRange> ids_in_shard(const fs::path& path) {
  store::ShardReader shard(path);
  std::optional<IdRange> out;
  auto see = [&](int64_t id) {
    if (!out) out = IdRange{id, id};
    out->first = std::min(out->first, id), out->last = std::max(out->last, id);
  };
  constexpr int64_t kBatch = 4096;
  std::vector<store::PredictionRecord> predictions;
  for (int64_t at = 0; at < shard.prediction_count(); at += kBatch) {
    shard.read_predictions(at, kBatch, predictions);
    for (const auto& p : predictions) see(p.image);
  }
  std::vector<store::ScoreRecord> scores;
  for (int64_t at = 0; at < shard.score_count(); at += kBatch) {
    shard.read_scores(at, kBatch, scores);
    for (const auto& s : scores) see(s.image);
  }
  return out;
}

// "first-last first-last ..." for the broadcast of a plan.
std::string encode(const RangePlan& plan) {
  std::string out = fmt::format("{} {}", plan.shards_done, plan.ids_covered);
  for (const IdRange& r : plan.todo) out += fmt::format(" {} {}", r.first, r.last);
  return out;
}

RangePlan decode(const std::string& text) {
  std::istringstream in(text);
  RangePlan plan;
  in >> plan.shards_done >> plan.ids_covered;
  IdRange r;
  while (in >> r.first >> r.last) plan.todo.push_back(r);
  return plan;
}

RangePlan scan_and_plan(const fs::path& dir, const std::string& stem, int64_t max_id,
                        int64_t rows_per_shard) {
  RangePlan plan;
  std::vector<IdRange> covered;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(dir, ec)) {
    const std::string name = entry.path().filename().string();
    if (auto r = parse_range_shard_name(stem, name)) {
      covered.push_back(*r);
      ++plan.shards_done;
    } else if (parse_chunk_shard_name(stem, name)) {
      ++plan.shards_done;
      try {
        if (auto r = ids_in_shard(entry.path())) covered.push_back(*r);
      } catch (const Error& e) {  // unreadable: its ids are planned again (merge ignores repeats)
        spdlog::warn("{}: cannot read the ids it covered ({}); they are done again", name, e.what());
      }
    }
  }
  if (ec) throw Error("cannot list " + dir.string() + ": " + ec.message());
  plan.todo = uncovered_ranges(covered, max_id, rows_per_shard);
  plan.ids_covered = max_id - plan.ids_todo();
  return plan;
}

}  // namespace

std::string range_shard_name(const std::string& stem, IdRange range) {
  return fmt::format("{}-{:09}-{:09}.h5", stem, range.first, range.last);
}

std::optional<IdRange> parse_range_shard_name(const std::string& stem, const std::string& name) {
  const auto rest = after_stem(stem, name);
  if (!rest) return std::nullopt;
  const auto dash = rest->find('-');
  if (dash == std::string_view::npos) return std::nullopt;
  const auto first = parse_digits(rest->substr(0, dash)), last = parse_digits(rest->substr(dash + 1));
  if (!first || !last || *first < 1 || *last < *first) return std::nullopt;
  return IdRange{*first, *last};
}

std::optional<int64_t> parse_chunk_shard_name(const std::string& stem, const std::string& name) {
  const auto rest = after_stem(stem, name);
  if (!rest || rest->size() != 7 || rest->front() != 'c') return std::nullopt;
  return parse_digits(rest->substr(1));
}

std::vector<IdRange> uncovered_ranges(std::vector<IdRange> covered, int64_t max_id,
                                      int64_t rows_per_shard) {
  std::sort(covered.begin(), covered.end(),
            [](const IdRange& a, const IdRange& b) { return a.first < b.first; });
  std::vector<IdRange> out;
  auto add_gap = [&](int64_t first, int64_t last) {  // cut at multiples of rows_per_shard
    while (first <= last) {
      const int64_t end = std::min(last, (first - 1) / rows_per_shard * rows_per_shard + rows_per_shard);
      out.push_back({first, end});
      first = end + 1;
    }
  };
  int64_t next = 1;  // the first id not known to be covered
  for (const IdRange& r : covered) {
    if (next > max_id) break;
    if (r.first > next) add_gap(next, std::min(r.first - 1, max_id));
    next = std::max(next, r.last + 1);
  }
  add_gap(next, max_id);
  return out;
}

int64_t RangePlan::ids_todo() const {
  int64_t n = 0;
  for (const IdRange& r : todo) n += r.size();
  return n;
}

RangePlan plan_id_ranges(const dist::MpiSession& session, const fs::path& dir,
                         const std::string& stem, int64_t max_id, int64_t rows_per_shard) {
  std::string text;
  if (session.is_root()) {
    try {
      text = encode(scan_and_plan(dir, stem, max_id, rows_per_shard));
    } catch (const Error& e) {
      text = std::string("!") + e.what();  // every rank fails, none waits for a plan
    }
  }
  text = session.broadcast(text);
  if (!text.empty() && text.front() == '!') throw Error(text.substr(1));
  return decode(text);
}

}  // namespace warcpairs::stages
