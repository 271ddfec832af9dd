// One range's work in score: the pairs, the downloads (journalled), decoding, storing and CLIP
// scores; one ChunkScorer per rank keeps its connections and batches across ranges.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "clip_embedder.h"
#include "fetch_journal.h"
#include "unsafe_score.h"
#include "warcpairs/image/image.h"
#include "warcpairs/net/downloader.h"
#include "warcpairs/stages/score/score.h"
#include "warcpairs/store/score_record.h"

namespace warcpairs::stages {

using store::ScoreRecord;

struct Pair {
  int64_t id = 0;
  std::string url, caption, alt;
};

// One chunk's work in progress: results per pair, resized JPEGs until the tar is written.
struct Chunk {
  std::vector<Pair> pairs;
  std::vector<ScoreRecord> records;
  std::vector<std::vector<uint8_t>> jpegs;  // per pair, empty when not stored
  std::vector<std::vector<float>> image_embeddings;
};

class ChunkScorer {
 public:
  // With clip: `prompts` are embedded once, and every CLIP-scored image gets scores.unsafe.
  ChunkScorer(const ScoreConfig& c, ClipEmbedder* clip, const UnsafePrompts& prompts);
  // Fetches, decodes, stores and scores every pair of `chunk`; false when a stop signal cut
  // the downloads short (nothing of the chunk is then kept).
  bool run(Chunk& chunk, const std::filesystem::path& journal_path, ScoreTotals& t);
  // CLIP scores for stored images (chunk.records: rows of `scores` with a tar and key), read back
  // from RUN/images, not downloaded. Rows whose image cannot be read are dropped (logged).
  void clip_stored(Chunk& chunk, const std::filesystem::path& image_dir, ScoreTotals& t);
  // After the shard is committed its journal is no longer needed.
  void finish_chunk();

 private:
  void on_fetched(const net::FetchResult& f, const std::vector<std::size_t>& rows, Chunk& chunk,
                  ScoreTotals& t);
  void queue_image(std::size_t row, const std::vector<float>& pixels, Chunk& chunk);
  void flush_images(Chunk& chunk);
  // Cosine similarities: caption and alt of every stored image, texts embedded in batches.
  void score_texts(Chunk& chunk, ScoreTotals& t);

  const ScoreConfig& c_;
  ClipEmbedder* clip_;
  // One per rank: kept-alive connections and the DNS cache carry over from chunk to chunk.
  net::Downloader downloader_;
  std::optional<FetchJournal> journal_;
  image::DecodeLimits limits_;
  image::DecodeResult decoded_;  // reused: its pixel buffer keeps its capacity
  std::vector<std::size_t> pending_rows_;
  std::vector<float> pending_pixels_, out_;
  std::vector<char> prompt_unsafe_;
  std::vector<float> prompt_embeddings_;  // prompts × projection_dim, L2-normalised
  double logit_scale_ = 100;
  std::vector<double> unsafe_;
};

}  // namespace warcpairs::stages
