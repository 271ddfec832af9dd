// Per-rank HDF5 shards: the exchange format between a stage's ranks and `merge`.
// Layout (documented in README.md, "Shard format"): groups /file, /pages, /images, /skips,
// (and /predictions when the span model ran), each a set of equal-length 1-D datasets (one per column; chunked, deflate-compressed;
// a string column is a UTF-8 byte buffer plus int64 offsets), plus root attributes
// format/version/stage.
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "warcpairs/core/skip_log.h"
#include "warcpairs/html/image_record.h"
#include "warcpairs/store/page_record.h"
#include "warcpairs/store/prediction_record.h"
#include "warcpairs/store/render_record.h"
#include "warcpairs/store/score_record.h"

namespace warcpairs::store {

// 2: strings as one byte buffer + offsets per column. Version 1 shards (HDF5 variable-length
// strings) are refused with a message saying so (docs/storage.md).
inline constexpr int kShardFormatVersion = 2;

// What one input file came to, up to and including this shard. A file's result is a
// sequence of shards (parts 0..n-1, see stages/common/shard_ledger.h); each carries the counts so
// far, so the last one holds the file's totals and an interrupted file resumes from its
// latest part. A file that could not be read still leaves a last part (and a trace in the
// database).
struct FileSummary {
  std::string path;          // canonical absolute path of the WARC file
  int64_t size = 0;          // bytes
  std::string status;        // "ok", "partial" (some records skipped), "unreadable"
  int64_t records = 0;       // WARC records seen
  int64_t pages = 0;         // HTML pages stored
  int64_t images = 0;        // image occurrences stored
  int64_t skipped = 0;       // skip entries (all reasons)
  std::string error;         // for "unreadable": why
  int32_t part = 0;          // this shard's place in the file's sequence
  bool last = true;          // the file is finished with this part
  int64_t resume_offset = -1;         // not last: the record to continue with (its offset
  int64_t resume_member_offset = 0;   // and member_offset, as WarcReader::seek takes them)
};

// The checks merge makes on one file's part sequence before taking it (Error, nothing taken):
// the last part, which carries the file's totals, names a file, is marked last and is part
// parts - 1; every earlier part i is part i of the same file. `where`: the part's path.
void check_last_part(const FileSummary& last, std::size_t parts, const std::string& where);
void check_earlier_part(const FileSummary& part, std::size_t i, const FileSummary& last, const std::string& where);

// The temporary a ShardWriter writes until commit(): "<final>.tmp".
std::filesystem::path shard_temporary(const std::filesystem::path& final_path);
// Whether `file_name` is a shard's temporary ("*.h5.tmp"), as a killed writer leaves behind.
bool is_shard_temporary(std::string_view file_name);

// Writes a shard to "<final>.tmp" and makes it visible only in commit() (write, fsync,
// rename, fsync the directory). Destroying an uncommitted writer removes the temporary.
// Rows are buffered and appended in chunks, so memory does not grow with the file.
class ShardWriter {
 public:
  ShardWriter(std::filesystem::path final_path, std::string stage);
  ~ShardWriter();
  ShardWriter(const ShardWriter&) = delete;
  ShardWriter& operator=(const ShardWriter&) = delete;

  // Returns the row index of the page in this shard (for html::ImageRecord::page_row).
  int64_t add_page(const PageRecord& page);
  int64_t add_image(const html::ImageRecord& image);  // returns its row in this shard's /images
  void add_skip(const SkipEntry& skip);  // entry.file is not stored (it is the shard's file)
  // Span predictions go to the optional /predictions group; `model_version` (root attribute
  // "model") names the checkpoint that made them.
  void add_prediction(const PredictionRecord& prediction);
  void set_model(const std::string& model_version);
  // Score results go to the optional /scores group; the CLIP model's version is the root
  // attribute "clip_model".
  void add_score(const ScoreRecord& score);
  void set_clip_model(const std::string& model_version);
  // A score shard that redoes rows already in the database (a retry or CLIP added later):
  // root attributes "score_revision" (its rows supersede stored rows of a lower revision at
  // merge) and "score_refetched" (1: the rows were downloaded again, a try more per image).
  void set_score_revision(int revision, bool refetched);
  // CLIP image embeddings go to the optional /embeddings group (docs/storage.md): `image` as in
  // /scores, `vector` stored as float16; every vector of a shard has the first one's size.
  void add_embedding(int64_t image, const std::vector<float>& vector);
  void set_file(const FileSummary& file);
  // Render rows go to the optional groups /render_pages, /renders (crops) and /render_tokens.
  int64_t add_render_page(const RenderPageRecord& page);  // returns its row
  int64_t add_render(const RenderRecord& crop);            // returns its row
  void add_render_token(const RenderTokenRecord& token);
  void commit();
  // Commits under another name than the one given at construction (the temporary keeps its
  // name): for a writer that learns only at the end what its shard is, e.g. a file's last part.
  void commit_as(std::filesystem::path final_path);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// Reads a committed shard in batches (bounded memory). Throws Error on a file that is not a
// valid shard of a supported version.
class ShardReader {
 public:
  explicit ShardReader(const std::filesystem::path& path);
  ~ShardReader();

  std::string stage() const;
  FileSummary file() const;
  int64_t page_count() const;
  int64_t image_count() const;
  int64_t skip_count() const;
  int64_t prediction_count() const;  // 0 when the shard has no /predictions group
  std::string model() const;         // "" when the shard names no model
  int64_t score_count() const;       // 0 when the shard has no /scores group
  std::string clip_model() const;    // "" when the shard names none
  int score_revision() const;        // 1 when the shard names none (a first score of its rows)
  bool score_refetched() const;      // true when the shard names none
  int64_t embedding_count() const;   // 0 when the shard has no /embeddings group
  int64_t embedding_dim() const;     // 0 when the shard has no /embeddings group
  int64_t render_page_count() const;   // 0 when the shard has no render groups
  int64_t render_count() const;
  int64_t render_token_count() const;

  // Rows [first, first + out.size()) after resizing out to min(max_rows, remaining).
  void read_pages(int64_t first, int64_t max_rows, std::vector<PageRecord>& out);
  void read_images(int64_t first, int64_t max_rows, std::vector<html::ImageRecord>& out);
  void read_skips(int64_t first, int64_t max_rows, std::vector<SkipEntry>& out);
  void read_predictions(int64_t first, int64_t max_rows, std::vector<PredictionRecord>& out);
  void read_scores(int64_t first, int64_t max_rows, std::vector<ScoreRecord>& out);
  // Rows of /embeddings: their image ids and n × embedding_dim() float16 bit patterns.
  void read_embeddings(int64_t first, int64_t max_rows, std::vector<int64_t>& images,
                       std::vector<uint16_t>& halves);
  void read_render_pages(int64_t first, int64_t max_rows, std::vector<RenderPageRecord>& out);
  void read_renders(int64_t first, int64_t max_rows, std::vector<RenderRecord>& out);
  void read_render_tokens(int64_t first, int64_t max_rows, std::vector<RenderTokenRecord>& out);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace warcpairs::store
