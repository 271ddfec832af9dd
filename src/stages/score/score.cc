// run_score: chunks of pairs handed out by the work queue; per chunk, every distinct URL is
// fetched once (libcurl multi), decoded, hashed, resized into the chunk's WebDataset tar, and
// CLIP-scored in batches; the tar is committed, then the chunk's score shard.
#include "warcpairs/stages/score/score.h"

#include "chunk_scorer.h"
#include "clip_embedder.h"
#include "score_redo.h"
#include "../common/run_lock.h"
#include "../common/run_options.h"
#include "../common/run_stats.h"
#include "../common/sample_fields.h"
#include "../common/span_model_choice.h"

#include <spdlog/spdlog.h>

#include <chrono>
#include <cmath>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>

#include "warcpairs/core/crash_point.h"
#include "warcpairs/core/error.h"
#include "warcpairs/core/hash.h"
#include "warcpairs/core/stop_signal.h"
#include "warcpairs/dist/mpi_session.h"
#include "warcpairs/dist/work_queue.h"
#include "warcpairs/io/tar_writer.h"
#include "warcpairs/stages/common/range_ledger.h"
#include "warcpairs/store/image_query.h"
#include "warcpairs/store/score_query.h"
#include "warcpairs/store/score_record.h"
#include "warcpairs/store/shard.h"

namespace warcpairs::stages {
namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;
using nlohmann::json;
using store::ScoreRecord;

namespace {

// The pairs of one run: from the database (streamed per chunk) or a list (read once).
class PairSource {
 public:
  explicit PairSource(const ScoreConfig& c)
      : kinds_(c.image_kinds), honour_page_opt_out_(c.fetch.honour_noai) {
    if (!c.pairs.empty()) {
      for (auto& p : text::read_pair_list(c.pairs, c.pairs_format, c.pairs_columns))
        list_.push_back({p.row, std::move(p.url), std::move(p.caption), std::move(p.alt)});
      // Shards of a list are named after it, so two lists in one run do not collide:
      // "score-<hex>-<first row>-<last row>.h5" (range_ledger.h).
      const std::string stamp = fs::absolute(c.pairs).string() + ":" + std::to_string(list_.size());
      char hex[17];
      std::snprintf(hex, sizeof hex, "%016llx", static_cast<unsigned long long>(fnv1a64(stamp)));
      stem_ = std::string("score-") + hex;
      return;
    }
    db_.emplace(c.run_dir / "warcpairs.sqlite");
    span_model_ = choose_span_model(db_->prediction_models(), c.span_model);
    stem_ = "score";  // "score-<first id>-<last id>.h5"
  }
  bool from_list() const { return !db_; }
  int64_t max_id() { return db_ ? db_->max_image_id() : static_cast<int64_t>(list_.size()); }
  const std::string& stem() const { return stem_; }
  const std::string& span_model() const { return span_model_; }
  // Database pairs of a kind not taken are left out and counted in `skipped`.
  // Pairs whose page's <meta name="robots"> opts out are left out too (unless --ignore-noai)
  // and counted in `opt_outs`.
  void read(int64_t first, int64_t last, std::vector<Pair>& out, KindCounts& skipped,
            std::map<std::string, int64_t>& opt_outs) {
    out.clear();
    if (!db_) {
      for (int64_t id = first; id <= last && id <= static_cast<int64_t>(list_.size()); ++id)
        out.push_back(list_[id - 1]);
      return;
    }
    db_->for_each_pair(first, last, span_model_, [&](const store::ImageQuery::PairRow& r) {
      if (!kinds_.takes(r.kind)) {
        ++skipped[r.kind];
        return;
      }
      const std::string_view page_opt_out = net::meta_robots_opt_out(r.page_robots);
      if (honour_page_opt_out_ && !page_opt_out.empty()) {
        ++opt_outs["meta robots: " + std::string(page_opt_out)];
        return;
      }
      out.push_back({r.image_id, r.url, r.caption, r.alt});
    });
  }

 private:
  ImageKindFilter kinds_;
  bool honour_page_opt_out_ = true;
  std::optional<store::ImageQuery> db_;
  std::vector<Pair> list_;
  std::string stem_, span_model_;
};

json sample_json(const ScoreRecord& r, bool from_list, const std::string& clip_model) {
  json j = {{"key", r.key}, {"url", r.url}, {"caption", r.caption}, {"alt", r.alt},
            {from_list ? "list_row" : "image_id", r.image}, {"original_width", r.width},
            {"original_height", r.height}, {"mime", r.mime}, {"sha256", r.sha256},
            {"phash", hex64(static_cast<uint64_t>(r.phash))}, {"noai", r.noai}};
  if (!std::isnan(r.clip_caption)) j["clip_caption"] = r.clip_caption;
  if (!std::isnan(r.clip_alt)) j["clip_alt"] = r.clip_alt;
  if (!std::isnan(r.unsafe)) j["unsafe"] = r.unsafe;
  if (!clip_model.empty()) j["clip_model"] = clip_model;
  return j;
}

// revision > 0: a redo shard (ShardWriter::set_score_revision). embeddings[i]: the CLIP image
// embedding of records[i] (empty when the image was not CLIP-scored), kept in /embeddings.
void write_score_shard(const std::vector<ScoreRecord>& records,
                       const std::vector<std::vector<float>>& embeddings, const fs::path& shard_path,
                       bool from_list, const std::string& clip_model, int revision, bool refetched) {
  store::ShardWriter shard(shard_path, from_list ? "score_list" : "score");
  if (!clip_model.empty()) shard.set_clip_model(clip_model);
  if (revision > 0) shard.set_score_revision(revision, refetched);
  for (const ScoreRecord& r : records) shard.add_score(r);
  for (std::size_t i = 0; i < records.size() && i < embeddings.size(); ++i)
    if (!embeddings[i].empty()) shard.add_embedding(records[i].image, embeddings[i]);
  shard.commit();
}

// Tar first (the images), then the shard (the ledger): a shard that exists has its tar.
void commit_chunk(Chunk& chunk, const fs::path& tar_path, const fs::path& shard_path,
                  bool from_list, const std::string& clip_model, int revision = 0) {
  const std::string tar_name = tar_path.filename().string();
  io::TarWriter tar(tar_path);
  for (std::size_t i = 0; i < chunk.records.size(); ++i) {
    ScoreRecord& r = chunk.records[i];
    if (chunk.jpegs[i].empty()) {
      r.key.clear();  // a key names a sample in a tar; this pair has none
      continue;
    }
    r.tar = tar_name;
    tar.add(r.key + ".jpg", chunk.jpegs[i]);
    tar.add(r.key + ".txt", r.caption);
    tar.add(r.key + ".json", sample_json(r, from_list, clip_model).dump());
  }
  tar.commit();
  crash_point("score_between_tar_and_shard");
  write_score_shard(chunk.records, chunk.image_embeddings, shard_path, from_list, clip_model,
                    revision, true);
}

// RUN/score-stats.json: the totals of the run's attempts on the same pairs (run_stats.h). A
// URL tried by two attempts counts in each one's downloads; what the ledger and the database
// say remains (ids planned, failures left) is the last attempt's.
void write_stats(const fs::path& run_dir, const std::string& source, const ScoreTotals& t) {
  const json attempt = {{"source", source}, {"shards_written", t.shards_written},
                        {"shards_already_done", t.shards_already_done},
                        {"ids_planned", t.ids_planned}, {"ids_already_covered", t.ids_already_covered},
                        {"pairs", t.pairs}, {"urls", t.urls}, {"ok", t.ok},
                        {"noai", t.noai}, {"failed", t.failed},
                        {"clip_scored", t.clip_scored}, {"bytes", t.bytes},
                        {"outcomes", t.outcomes}, {"skipped_kinds", t.skipped_kinds},
                        {"opt_outs", t.opt_outs},
                        {"retried", t.retried},
                        {"retries_exhausted", t.retries_exhausted},
                        {"permanent_left", t.permanent_left}, {"clip_added", t.clip_added},
                        {"seconds", t.seconds}, {"images_per_second", t.images_per_second},
                        {"clip_model", t.clip_model}, {"stopped", t.stopped},
                        {"unsafe_prompts", t.unsafe_prompts}, {"unsafe_threshold", t.unsafe_threshold}};
  json run = sum_attempts(append_attempt(run_dir, "score", attempt),
                          {"shards_already_done", "ids_planned", "ids_already_covered",
                           "retries_exhausted", "permanent_left", "unsafe_threshold"},
                          "source");
  const double seconds = run.value("seconds", 0.0);
  run["images_per_second"] = seconds > 0 ? run.value("pairs", 0.0) / seconds : 0.0;
  write_atomically(run_dir / "score-stats.json", run.dump(2) + "\n");
}

// What shapes the stored images and captions, by command-line name (ScoreConfig).
json output_options(const ScoreConfig& c, const PairSource& source) {
  static const char* const kResize[] = {"keep_ratio", "center_crop", "border"};
  json o = {{"image-size", c.image_size},
            {"resize-mode", kResize[static_cast<int>(c.resize_mode)]},
            {"jpeg-quality", c.jpeg_quality},
            {"max-pixels", c.max_pixels},
            {"exact-decode", c.exact_decode},
            {"ignore-noai", !c.fetch.honour_noai}};
  // Recorded only when not img2dataset's defaults, so runs recorded before these existed
  // (which honoured noai/noimageai whatever bot they named) are not refused as mixed.
  const net::OptOutRules defaults;
  if (c.fetch.opt_out.disallowed != defaults.disallowed)
    o["disallowed-directives"] = c.fetch.opt_out.disallowed;
  if (c.fetch.opt_out.user_agent_token != defaults.user_agent_token)
    o["user-agent-token"] = c.fetch.opt_out.user_agent_token;
  if (!source.from_list()) {
    o["span-model"] = source.span_model().empty() ? "none" : source.span_model();
    o["image-kinds"] = c.image_kinds.str();
  } else {
    // Another column is another list: a rerun that names other columns is refused (exit 2).
    if (!c.pairs_columns.url.empty()) o["url-col"] = c.pairs_columns.url;
    if (!c.pairs_columns.caption.empty()) o["caption-col"] = c.pairs_columns.caption;
  }
  return o;
}

// Rank 0, before any work: the options against the source's record in the run folder (a
// UsageError on every rank when they differ and the mix was not allowed); a mixed run records
// the id ranges it sets out to do, and the redo pass's revision.
void check_options(const ScoreConfig& c, const PairSource& source, const RangePlan& plan,
                   const dist::MpiSession& session) {
  on_root_sharing_usage_error(session, [&] {
    const json options = output_options(c, source);
    const RunOptionsCheck check =
        check_run_options(c.run_dir, "score", options, c.allow_mixed_options, source.stem());
    std::vector<json> units;
    for (const IdRange& r : plan.todo) units.push_back({{"first", r.first}, {"last", r.last}});
    if (!source.from_list()) units.push_back({{"redo_pass", true}});
    record_mixed_units(c.run_dir / (source.stem() + "-range-options.jsonl"), check, options, units);
  });
}

// The ledger part of a run: the ids (image ids, or list rows) that no committed shard of
// the source's stem covers, cut into ranges (stages/common/range_ledger.h); logged on rank 0.
RangePlan plan_score_ranges(const PairSource& source, const ScoreConfig& c,
                            const dist::MpiSession& session, const fs::path& shard_dir,
                            int64_t max_id, const ClipEmbedder* clip) {
  RangePlan plan = plan_id_ranges(session, shard_dir, source.stem(), max_id, c.rows_per_shard);
  if (!session.is_root()) return plan;
  if (plan.todo.empty()) {
    spdlog::info("score: nothing new: the {} ids are all covered by {} shards", max_id,
                 plan.shards_done);
    return plan;
  }
  spdlog::info("score: {} of {} ids new ({} covered by {} shards), {} shards of up to {}, {} "
               "ranks, {}; descriptions: {}",
               plan.ids_todo(), max_id, plan.ids_covered, plan.shards_done, plan.todo.size(),
               c.rows_per_shard, session.size(),
               clip ? "CLIP " + clip->version() + " on " + clip->device() : "no CLIP model",
               source.from_list() ? "the list's captions"
               : source.span_model().empty() ? "alt texts (no predictions)"
                                              : "predictions of " + source.span_model() + ", else alt");
  return plan;
}

std::string redo_stem(int revision, const char* kind, int64_t chunk) {
  char stem[64];
  std::snprintf(stem, sizeof stem, "score-r%03d-%sc%06lld", revision, kind, static_cast<long long>(chunk));
  return stem;
}

// Fetches a chunk's images (ChunkScorer::run). When a stop signal abandons the chunk, it is
// not committed: what its downloads added to the totals is taken back (its fetch journal
// keeps them for the next run, which counts them then), so the summary counts only the
// shards written, and `stopped` is set. Returns whether the chunk is complete.
bool run_or_drop(ChunkScorer& scorer, Chunk& chunk, const fs::path& journal, ScoreTotals& t) {
  const ScoreTotals before = t;
  if (scorer.run(chunk, journal, t)) return true;
  t = before;
  t.stopped = true;
  return false;
}

// The redo pass over rows already in `scores` (pairs from the database): per id range, the
// rows choose_redo picks, in shards of their own whose revision makes merge replace the rows.
// The plan is read from the database, so a rerun before the next merge finds the same shards.
void redo_pass(const ScoreConfig& c, const dist::MpiSession& session, int64_t max_id,
               ChunkScorer& scorer, ScoreTotals& t) {
  store::ScoreQuery stored(c.run_dir / "warcpairs.sqlite");
  const int revision = stored.max_revision() + 1;
  if (revision == 1) return;  // no score merged yet: nothing to redo
  const RedoOptions options{c.max_attempts, c.retry_failed, !t.clip_model.empty()};
  const fs::path shard_dir = c.run_dir / "shards", image_dir = c.run_dir / "images";
  dist::WorkQueue queue(session, (max_id + c.rows_per_shard - 1) / c.rows_per_shard);
  Chunk chunk;
  std::vector<ScoreRecord> refetch, clip_rows;
  while (auto k = queue.next()) {
    refetch.clear(), clip_rows.clear();
    stored.for_each_redo_candidate(*k * c.rows_per_shard + 1, (*k + 1) * c.rows_per_shard,
                                   options.clip, [&](const store::StoredScore& s) {
      switch (choose_redo(s, options)) {
        case Redo::refetch: refetch.push_back(s.record); break;
        case Redo::clip: clip_rows.push_back(s.record); break;
        case Redo::exhausted: ++t.retries_exhausted; break;
        case Redo::permanent: ++t.permanent_left; break;
        case Redo::none: break;
      }
    });
    if (!refetch.empty()) {
      const std::string stem = redo_stem(revision, "", *k);
      if (fs::exists(shard_dir / (stem + ".h5"))) {
        ++t.shards_already_done;
      } else {
        chunk.pairs.clear();
        for (const ScoreRecord& r : refetch) chunk.pairs.push_back({r.image, r.url, r.caption, r.alt});
        if (!run_or_drop(scorer, chunk, image_dir / (stem + ".fetched"), t)) {
          queue.stop();
          break;
        }
        commit_chunk(chunk, image_dir / (stem + ".tar"), shard_dir / (stem + ".h5"), false,
                     t.clip_model, revision);
        scorer.finish_chunk();
        t.retried += static_cast<int64_t>(refetch.size());
        t.pairs += static_cast<int64_t>(refetch.size());
        ++t.shards_written;
        spdlog::info("score: {} ({} failed downloads retried)", stem, refetch.size());
      }
    }
    if (!clip_rows.empty()) {
      const std::string stem = redo_stem(revision, "clip-", *k);
      if (fs::exists(shard_dir / (stem + ".h5"))) {
        ++t.shards_already_done;
      } else {
        chunk.records = std::move(clip_rows);
        scorer.clip_stored(chunk, image_dir, t);
        write_score_shard(chunk.records, chunk.image_embeddings, shard_dir / (stem + ".h5"), false,
                          t.clip_model, revision, false);
        t.clip_added += static_cast<int64_t>(chunk.records.size());
        ++t.shards_written;
        spdlog::info("score: {} ({} stored images CLIP-scored)", stem, chunk.records.size());
      }
    }
  }
  if (stop_requested()) t.stopped = true;
}

}  // namespace

ScoreTotals run_score(const ScoreConfig& c, const dist::MpiSession& session) {
  if (c.rows_per_shard < 1 || c.image_size < 1 || c.clip_batch < 1)
    throw UsageError("--rows-per-shard, --image-size and --clip-batch must be >= 1");
  const auto started = Clock::now();
  const auto lock = lock_run(c.run_dir, "score", session);  // one score job per run
  PairSource source(c);
  if (c.clip_dir.empty() && !c.unsafe_prompts.empty())
    throw UsageError("--unsafe-prompts needs --clip (the unsafe score is a CLIP zero-shot score)");
  const UnsafePrompts prompts = load_unsafe_prompts(c.unsafe_prompts);
  std::unique_ptr<ClipEmbedder> clip;
  if (!c.clip_dir.empty()) clip = make_clip_embedder(c, session);
  const fs::path shard_dir = c.run_dir / "shards", image_dir = c.run_dir / "images";
  fs::create_directories(shard_dir);
  fs::create_directories(image_dir);
  const int64_t max_id = source.max_id();
  const RangePlan plan = plan_score_ranges(source, c, session, shard_dir, max_id, clip.get());
  check_options(c, source, plan, session);
  ScoreTotals t;
  t.ids_planned = plan.ids_todo(), t.ids_already_covered = plan.ids_covered;
  if (clip) {
    t.clip_model = clip->version();
    t.unsafe_prompts = prompts.source + " (" + prompts.digest + ")";
    t.unsafe_threshold = prompts.threshold;
  }
  ChunkScorer scorer(c, clip.get(), prompts);
  Chunk chunk;
  {
    dist::WorkQueue queue(session, static_cast<int64_t>(plan.todo.size()));
    while (auto k = queue.next()) {
      const IdRange range = plan.todo[static_cast<std::size_t>(*k)];
      const std::string name = range_shard_name(source.stem(), range);
      const std::string stem = name.substr(0, name.size() - 3);  // without ".h5"
      const fs::path shard_path = shard_dir / name;
      source.read(range.first, range.last, chunk.pairs, t.skipped_kinds, t.opt_outs);
      const auto chunk_started = Clock::now();
      if (!run_or_drop(scorer, chunk, image_dir / (stem + ".fetched"), t)) {
        queue.stop();
        break;
      }
      commit_chunk(chunk, image_dir / (stem + ".tar"), shard_path, source.from_list(), t.clip_model);
      scorer.finish_chunk();
      t.pairs += static_cast<int64_t>(chunk.pairs.size());
      ++t.shards_written;
      const double s = std::chrono::duration<double>(Clock::now() - chunk_started).count();
      spdlog::info("score: {} ({} pairs, {:.0f} pairs/s)", stem, chunk.pairs.size(),
                   double(chunk.pairs.size()) / std::max(1e-9, s));
    }
    if (stop_requested()) t.stopped = true;
  }
  if (!source.from_list() && !session.any(t.stopped))
    redo_pass(c, session, max_id, scorer, t);
  sum_over_ranks(t.outcomes, session);
  sum_over_ranks(t.skipped_kinds, session);
  sum_over_ranks(t.opt_outs, session);
  double sums[] = {double(t.shards_written), double(t.shards_already_done), double(t.pairs),
                   double(t.urls), double(t.ok), double(t.noai), double(t.failed),
                   double(t.clip_scored), double(t.bytes), t.stopped ? 1.0 : 0.0,
                   double(t.retried), double(t.retries_exhausted), double(t.permanent_left),
                   double(t.clip_added)};
  session.allreduce_sum(sums, std::size(sums));
  // Already done: the first pass's covered shards, plus redo shards found written.
  t.shards_written = int64_t(sums[0]), t.shards_already_done = plan.shards_done + int64_t(sums[1]);
  t.pairs = int64_t(sums[2]), t.urls = int64_t(sums[3]), t.ok = int64_t(sums[4]);
  t.noai = int64_t(sums[5]), t.failed = int64_t(sums[6]), t.clip_scored = int64_t(sums[7]);
  t.bytes = int64_t(sums[8]), t.stopped = sums[9] > 0;
  t.retried = int64_t(sums[10]), t.retries_exhausted = int64_t(sums[11]);
  t.permanent_left = int64_t(sums[12]), t.clip_added = int64_t(sums[13]);
  t.seconds = std::chrono::duration<double>(Clock::now() - started).count();
  t.images_per_second = double(t.pairs) / std::max(1e-9, t.seconds);
  if (session.is_root())
    write_stats(c.run_dir, source.from_list() ? "pairs " + source.stem() : "database", t);
  return t;
}

}  // namespace warcpairs::stages
