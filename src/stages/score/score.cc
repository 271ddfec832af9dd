// run_score: chunks of pairs handed out by the work queue; per chunk, every distinct URL is
// fetched once (libcurl multi), decoded, hashed, resized into the chunk's WebDataset tar, and
// CLIP-scored in batches; the tar is committed, then the chunk's score shard.
#include "warcpairs/stages/score/score.h"

#include "clip_embedder.h"
#include "fetch_journal.h"
#include "score_redo.h"
#include "../common/run_lock.h"
#include "../common/sample_fields.h"
#include "../common/span_model_choice.h"

#include <spdlog/spdlog.h>

#include <chrono>
#include <cctype>
#include <cmath>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>

#include "warcpairs/core/crash_point.h"
#include "warcpairs/core/digest.h"
#include "warcpairs/core/error.h"
#include "warcpairs/core/hash.h"
#include "warcpairs/core/stop_signal.h"
#include "warcpairs/dist/mpi_session.h"
#include "warcpairs/dist/work_queue.h"
#include "warcpairs/image/image.h"
#include "warcpairs/io/tar_reader.h"
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

struct Pair {
  int64_t id = 0;
  std::string url, caption, alt;
};

// The pairs of one run: from the database (streamed per chunk) or a list (read once).
class PairSource {
 public:
  explicit PairSource(const ScoreConfig& c) {
    if (!c.pairs.empty()) {
      for (auto& p : text::read_pair_list(c.pairs, c.pairs_format))
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
  void read(int64_t first, int64_t last, std::vector<Pair>& out) {
    out.clear();
    if (!db_) {
      for (int64_t id = first; id <= last && id <= static_cast<int64_t>(list_.size()); ++id)
        out.push_back(list_[id - 1]);
      return;
    }
    db_->for_each_pair(first, last, span_model_, [&](const store::ImageQuery::PairRow& r) {
      out.push_back({r.image_id, r.url, r.caption, r.alt});
    });
  }

 private:
  std::optional<store::ImageQuery> db_;
  std::vector<Pair> list_;
  std::string stem_, span_model_;
};

bool is_http_url(const std::string& url) {
  auto starts = [&](std::string_view scheme) {
    if (url.size() <= scheme.size()) return false;
    for (std::size_t i = 0; i < scheme.size(); ++i)
      if (std::tolower(static_cast<unsigned char>(url[i])) != scheme[i]) return false;
    return true;
  };
  return starts("http://") || starts("https://");
}

// One chunk's work in progress: results per pair, resized JPEGs until the tar is written.
struct Chunk {
  std::vector<Pair> pairs;
  std::vector<ScoreRecord> records;
  std::vector<std::vector<uint8_t>> jpegs;  // per pair, empty when not stored
  std::vector<std::vector<float>> image_embeddings;
};

class ChunkScorer {
 public:
  ChunkScorer(const ScoreConfig& c, ClipEmbedder* clip) : c_(c), clip_(clip), downloader_(c.fetch) {
    limits_.max_pixels = c.max_pixels;
    // Decoding large JPEGs at 1/2, 1/4, 1/8 scale is free speed while both sides stay above
    // what the resize and CLIP need.
    limits_.min_side = c.exact_decode ? 0
                                      : std::max<int32_t>(c.image_size, clip ? int32_t(clip->image_size()) : 0);
  }

  // Fetches, decodes, stores and scores every pair of `chunk`; false when a stop signal cut
  // the downloads short (nothing of the chunk is then kept).
  bool run(Chunk& chunk, const fs::path& journal_path, ScoreTotals& t) {
    const std::size_t n = chunk.pairs.size();
    chunk.records.assign(n, ScoreRecord{});
    chunk.jpegs.assign(n, {});
    chunk.image_embeddings.assign(n, {});
    std::map<std::string, std::vector<std::size_t>> by_url;  // one fetch per distinct URL
    for (std::size_t i = 0; i < n; ++i) {
      ScoreRecord& r = chunk.records[i];
      const Pair& p = chunk.pairs[i];
      r.image = p.id, r.url = p.url, r.caption = p.caption, r.alt = p.alt, r.key = sample_key(p.id);
      if (!is_http_url(p.url)) {  // curl would guess a scheme ("notaurl" → http://notaurl)
        r.outcome = "bad_url";
        r.detail = "not an http:// or https:// URL";
        ++t.failed;
        ++t.outcomes[r.outcome];
        continue;
      }
      by_url[p.url].push_back(i);
    }
    // What an interrupted attempt at this shard already fetched is replayed, not fetched again.
    journal_.emplace(journal_path, [&](net::FetchResult&& f) {
      const auto it = by_url.find(f.url);
      if (it != by_url.end()) on_fetched(f, it->second, chunk, t);
    });
    std::vector<const std::vector<std::size_t>*> groups;
    for (const auto& [url, rows] : by_url) {
      if (journal_->replayed_urls().count(url)) continue;
      downloader_.add(groups.size(), url);
      groups.push_back(&rows);
    }
    t.urls += static_cast<int64_t>(groups.size());
    downloader_.run(
        [&](net::FetchResult&& f) {
          journal_->append(f);
          crash_point("score_fetched");  // tests: a SIGKILL in the middle of a shard's downloads
          on_fetched(f, *groups[f.key], chunk, t);
        },
        [] { return stop_requested(); });
    if (!downloader_.abandoned().empty()) {
      journal_.reset();
      return false;
    }
    flush_images(chunk);
    if (clip_) score_texts(chunk, t);
    return true;
  }

  // CLIP scores for stored images (chunk.records: rows of `scores` with a tar and key), read back
  // from RUN/images, not downloaded. Rows whose image cannot be read are dropped (logged).
  void clip_stored(Chunk& chunk, const fs::path& image_dir, ScoreTotals& t) {
    chunk.image_embeddings.assign(chunk.records.size(), {});
    std::map<std::string, std::unique_ptr<io::TarReader>> tars;
    std::string bytes;
    for (std::size_t i = 0; i < chunk.records.size(); ++i) {
      const ScoreRecord& r = chunk.records[i];
      auto& tar = tars[r.tar];
      const fs::path tar_path = image_dir / r.tar;
      if (!tar && fs::is_regular_file(tar_path))
        tar = std::make_unique<io::TarReader>(tar_path, io::TarReader::OnDamage::stop);
      if (!tar || !tar->read(r.key + ".jpg", bytes)) {
        spdlog::warn("score: image {} ({}.jpg) is not in {}; not CLIP-scored", r.image, r.key,
                     tar_path.string());
        continue;
      }
      image::decode({reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size()}, limits_, decoded_);
      if (!decoded_.ok) {
        spdlog::warn("score: {}.jpg in {}: {}; not CLIP-scored", r.key, tar_path.string(), decoded_.error);
        continue;
      }
      queue_image(i, image::clip_pixels(decoded_.image, int32_t(clip_->image_size())), chunk);
    }
    flush_images(chunk);
    score_texts(chunk, t);
    std::vector<ScoreRecord> scored;
    for (std::size_t i = 0; i < chunk.records.size(); ++i)
      if (!chunk.image_embeddings[i].empty()) scored.push_back(std::move(chunk.records[i]));
    chunk.records = std::move(scored);
  }

  // After the shard is committed its journal is no longer needed.
  void finish_chunk() {
    if (journal_) journal_->remove();
    journal_.reset();
  }

 private:
  void on_fetched(const net::FetchResult& f, const std::vector<std::size_t>& rows, Chunk& chunk,
                  ScoreTotals& t) {
    t.bytes += static_cast<int64_t>(f.body.size());
    ScoreRecord base;
    base.outcome = f.outcome;
    base.detail = f.detail;
    base.http_status = static_cast<int32_t>(f.http_status);
    base.attempts = f.attempts;
    base.noai = f.noai;
    if (f.outcome == "ok" || !f.body.empty()) base.bytes = static_cast<int64_t>(f.body.size());
    std::vector<uint8_t> jpeg;
    std::vector<float> pixels;
    if (f.outcome == "ok") {
      const std::span<const uint8_t> bytes(f.body);
      base.sha256 = sha256_hex(bytes);
      image::decode(bytes, limits_, decoded_);
      base.mime = decoded_.format == image::Format::unknown ? "" : image::mime_type(decoded_.format);
      if (decoded_.width > 0) base.width = decoded_.width, base.height = decoded_.height;
      if (!decoded_.ok) {
        base.outcome = decoded_.error;
        base.detail = decoded_.detail;
      } else {
        base.phash = static_cast<int64_t>(image::phash(decoded_.image));
        jpeg = image::encode_jpeg(image::resize(decoded_.image, c_.image_size, c_.resize_mode),
                                  c_.jpeg_quality);
        if (clip_) pixels = image::clip_pixels(decoded_.image, int32_t(clip_->image_size()));
      }
    }
    for (std::size_t i : rows) {
      ScoreRecord& r = chunk.records[i];
      const ScoreRecord keep = r;
      r = base;
      r.image = keep.image, r.url = keep.url, r.caption = keep.caption, r.alt = keep.alt;
      r.key = keep.key;
      ++t.outcomes[outcome_key(r.outcome, r.http_status)];
      if (!jpeg.empty()) {
        chunk.jpegs[i] = jpeg;
        ++t.ok;
        if (clip_) queue_image(i, pixels, chunk);
      } else if (r.outcome == "noai") {
        ++t.noai;
      } else {
        ++t.failed;
      }
    }
  }

  void queue_image(std::size_t row, const std::vector<float>& pixels, Chunk& chunk) {
    pending_rows_.push_back(row);
    pending_pixels_.insert(pending_pixels_.end(), pixels.begin(), pixels.end());
    if (static_cast<int>(pending_rows_.size()) >= c_.clip_batch) flush_images(chunk);
  }

  void flush_images(Chunk& chunk) {
    if (!clip_ || pending_rows_.empty()) return;
    clip_->embed_images(pending_pixels_.data(), static_cast<int64_t>(pending_rows_.size()), out_);
    const std::size_t d = static_cast<std::size_t>(clip_->projection_dim());
    for (std::size_t k = 0; k < pending_rows_.size(); ++k)
      chunk.image_embeddings[pending_rows_[k]].assign(out_.begin() + k * d, out_.begin() + (k + 1) * d);
    pending_rows_.clear();
    pending_pixels_.clear();
  }

  // Cosine similarities: caption and alt of every stored image, texts embedded in batches.
  void score_texts(Chunk& chunk, ScoreTotals& t) {
    std::vector<std::string> texts;
    std::vector<std::pair<std::size_t, bool>> owner;  // (row, is_alt)
    for (std::size_t i = 0; i < chunk.records.size(); ++i) {
      if (chunk.image_embeddings[i].empty()) continue;
      const ScoreRecord& r = chunk.records[i];
      if (!r.caption.empty()) texts.push_back(r.caption), owner.push_back({i, false});
      if (!r.alt.empty()) texts.push_back(r.alt), owner.push_back({i, true});
    }
    const std::size_t d = static_cast<std::size_t>(clip_->projection_dim());
    for (std::size_t at = 0; at < texts.size(); at += static_cast<std::size_t>(c_.clip_batch)) {
      const std::size_t end = std::min(texts.size(), at + static_cast<std::size_t>(c_.clip_batch));
      clip_->embed_texts({texts.begin() + at, texts.begin() + end}, out_);
      for (std::size_t k = at; k < end; ++k) {
        const auto& img = chunk.image_embeddings[owner[k].first];
        double dot = 0;
        for (std::size_t j = 0; j < d; ++j) dot += double(img[j]) * double(out_[(k - at) * d + j]);
        ScoreRecord& r = chunk.records[owner[k].first];
        (owner[k].second ? r.clip_alt : r.clip_caption) = dot;
      }
    }
    for (const auto& e : chunk.image_embeddings) t.clip_scored += e.empty() ? 0 : 1;
  }

  const ScoreConfig& c_;
  ClipEmbedder* clip_;
  // One per rank: kept-alive connections and the DNS cache carry over from chunk to chunk.
  net::Downloader downloader_;
  std::optional<FetchJournal> journal_;
  image::DecodeLimits limits_;
  image::DecodeResult decoded_;  // reused: its pixel buffer keeps its capacity
  std::vector<std::size_t> pending_rows_;
  std::vector<float> pending_pixels_, out_;
};

json sample_json(const ScoreRecord& r, bool from_list, const std::string& clip_model) {
  json j = {{"key", r.key}, {"url", r.url}, {"caption", r.caption}, {"alt", r.alt},
            {from_list ? "list_row" : "image_id", r.image}, {"original_width", r.width},
            {"original_height", r.height}, {"mime", r.mime}, {"sha256", r.sha256},
            {"phash", hex64(static_cast<uint64_t>(r.phash))}, {"noai", r.noai}};
  if (!std::isnan(r.clip_caption)) j["clip_caption"] = r.clip_caption;
  if (!std::isnan(r.clip_alt)) j["clip_alt"] = r.clip_alt;
  if (!clip_model.empty()) j["clip_model"] = clip_model;
  return j;
}

// revision > 0: a redo shard (ShardWriter::set_score_revision).
void write_score_shard(const std::vector<ScoreRecord>& records, const fs::path& shard_path,
                       bool from_list, const std::string& clip_model, int revision, bool refetched) {
  store::ShardWriter shard(shard_path, from_list ? "score_list" : "score");
  if (!clip_model.empty()) shard.set_clip_model(clip_model);
  if (revision > 0) shard.set_score_revision(revision, refetched);
  for (const ScoreRecord& r : records) shard.add_score(r);
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
  write_score_shard(chunk.records, shard_path, from_list, clip_model, revision, true);
}

void write_stats(const fs::path& path, const ScoreTotals& t) {
  std::ofstream(path) << json({{"shards_written", t.shards_written},
                               {"shards_already_done", t.shards_already_done},
                               {"ids_planned", t.ids_planned},
                               {"ids_already_covered", t.ids_already_covered},
                               {"pairs", t.pairs}, {"urls", t.urls}, {"ok", t.ok},
                               {"noai", t.noai}, {"failed", t.failed},
                               {"clip_scored", t.clip_scored}, {"bytes", t.bytes},
                               {"outcomes", t.outcomes}, {"retried", t.retried},
                               {"retries_exhausted", t.retries_exhausted},
                               {"permanent_left", t.permanent_left},
                               {"clip_added", t.clip_added},
                               {"seconds", t.seconds}, {"images_per_second", t.images_per_second},
                               {"clip_model", t.clip_model}, {"stopped", t.stopped}})
                             .dump(2)
                      << '\n';
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
        if (!scorer.run(chunk, image_dir / (stem + ".fetched"), t)) {
          t.stopped = true;
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
        write_score_shard(chunk.records, shard_dir / (stem + ".h5"), false, t.clip_model, revision, false);
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
  std::unique_ptr<ClipEmbedder> clip;
  if (!c.clip_dir.empty()) clip = make_clip_embedder(c, session);
  const fs::path shard_dir = c.run_dir / "shards", image_dir = c.run_dir / "images";
  fs::create_directories(shard_dir);
  fs::create_directories(image_dir);
  const int64_t max_id = source.max_id();
  const RangePlan plan = plan_score_ranges(source, c, session, shard_dir, max_id, clip.get());
  ScoreTotals t;
  t.ids_planned = plan.ids_todo(), t.ids_already_covered = plan.ids_covered;
  if (clip) t.clip_model = clip->version();
  ChunkScorer scorer(c, clip.get());
  Chunk chunk;
  {
    dist::WorkQueue queue(session, static_cast<int64_t>(plan.todo.size()));
    while (auto k = queue.next()) {
      const IdRange range = plan.todo[static_cast<std::size_t>(*k)];
      const std::string name = range_shard_name(source.stem(), range);
      const std::string stem = name.substr(0, name.size() - 3);  // without ".h5"
      const fs::path shard_path = shard_dir / name;
      source.read(range.first, range.last, chunk.pairs);
      const auto chunk_started = Clock::now();
      if (!scorer.run(chunk, image_dir / (stem + ".fetched"), t)) {
        t.stopped = true;
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
    redo_pass(c, session, source.max_id(), scorer, t);
  sum_over_ranks(t.outcomes, session);
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
  if (session.is_root()) write_stats(c.run_dir / "score-stats.json", t);
  return t;
}

}  // namespace warcpairs::stages
