// ChunkScorer (chunk_scorer.h): fetch, decode, store and CLIP-score one range's pairs.
#include "chunk_scorer.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <cctype>
#include <span>
#include <string_view>

#include "score_redo.h"
#include "../common/sample_fields.h"
#include "warcpairs/core/crash_point.h"
#include "warcpairs/core/digest.h"
#include "warcpairs/core/error.h"
#include "warcpairs/core/stop_signal.h"
#include "warcpairs/io/tar_reader.h"

namespace warcpairs::stages {
namespace fs = std::filesystem;

namespace {

bool is_http_url(const std::string& url) {
  auto starts = [&](std::string_view scheme) {
    if (url.size() <= scheme.size()) return false;
    for (std::size_t i = 0; i < scheme.size(); ++i)
      if (std::tolower(static_cast<unsigned char>(url[i])) != scheme[i]) return false;
    return true;
  };
  return starts("http://") || starts("https://");
}

}  // namespace

ChunkScorer::ChunkScorer(const ScoreConfig& c, ClipEmbedder* clip, const UnsafePrompts& prompts)
    : c_(c), clip_(clip), downloader_(c.fetch) {
  if (clip_) {
    clip_->embed_texts(prompts.texts, prompt_embeddings_);
    prompt_unsafe_ = prompts.unsafe;
    logit_scale_ = clip_->logit_scale();
  }
  limits_.max_pixels = c.max_pixels;
  // Decoding large JPEGs at 1/2, 1/4, 1/8 scale is free speed while both sides stay above
  // what the resize and CLIP need.
  limits_.min_side = c.exact_decode ? 0
                                    : std::max<int32_t>(c.image_size, clip ? int32_t(clip->image_size()) : 0);
}

bool ChunkScorer::run(Chunk& chunk, const fs::path& journal_path, ScoreTotals& t) {
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

void ChunkScorer::clip_stored(Chunk& chunk, const fs::path& image_dir, ScoreTotals& t) {
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
  std::vector<std::vector<float>> embeddings;
  for (std::size_t i = 0; i < chunk.records.size(); ++i)
    if (!chunk.image_embeddings[i].empty()) {
      scored.push_back(std::move(chunk.records[i]));
      embeddings.push_back(std::move(chunk.image_embeddings[i]));
    }
  chunk.records = std::move(scored);
  chunk.image_embeddings = std::move(embeddings);
}

void ChunkScorer::finish_chunk() {
  if (journal_) journal_->remove();
  journal_.reset();
}

void ChunkScorer::on_fetched(const net::FetchResult& f, const std::vector<std::size_t>& rows,
                             Chunk& chunk, ScoreTotals& t) {
  t.bytes += static_cast<int64_t>(f.body.size());
  ScoreRecord base;
  base.outcome = f.outcome;
  base.detail = f.detail;
  base.http_status = static_cast<int32_t>(f.http_status);
  base.attempts = f.attempts;
  base.noai = f.noai;
  // Which directive opted out: the reason counted in score-stats.json and kept in scores.detail.
  if (f.outcome == "noai") base.detail = "X-Robots-Tag: " + f.opt_out;
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
      ++t.opt_outs["X-Robots-Tag: " + f.opt_out];
    } else {
      ++t.failed;
    }
  }
}

void ChunkScorer::queue_image(std::size_t row, const std::vector<float>& pixels, Chunk& chunk) {
  pending_rows_.push_back(row);
  pending_pixels_.insert(pending_pixels_.end(), pixels.begin(), pixels.end());
  if (static_cast<int>(pending_rows_.size()) >= c_.clip_batch) flush_images(chunk);
}

void ChunkScorer::flush_images(Chunk& chunk) {
  if (!clip_ || pending_rows_.empty()) return;
  clip_->embed_images(pending_pixels_.data(), static_cast<int64_t>(pending_rows_.size()), out_);
  const std::size_t d = static_cast<std::size_t>(clip_->projection_dim());
  for (std::size_t k = 0; k < pending_rows_.size(); ++k)
    chunk.image_embeddings[pending_rows_[k]].assign(out_.begin() + k * d, out_.begin() + (k + 1) * d);
  pending_rows_.clear();
  pending_pixels_.clear();
}

void ChunkScorer::score_texts(Chunk& chunk, ScoreTotals& t) {
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
  // scores.unsafe: each CLIP-scored image against the prompt set (unsafe_score.h).
  for (std::size_t i = 0; i < chunk.records.size(); ++i) {
    const auto& img = chunk.image_embeddings[i];
    if (img.empty()) continue;
    unsafe_scores(img.data(), 1, prompt_embeddings_.data(), prompt_unsafe_.size(), d,
                  prompt_unsafe_, logit_scale_, unsafe_);
    chunk.records[i].unsafe = unsafe_[0];
  }
}

}  // namespace warcpairs::stages
