// ShardReader: validates a shard (format, version, equal column lengths) and reads it in batches.
#include <optional>

#include "embedding_group.h"
#include "hdf5_handle.h"
#include "shard_layout.h"
#include "shard_table.h"
#include "warcpairs/core/error.h"
#include "warcpairs/store/shard.h"

namespace warcpairs::store {
namespace fs = std::filesystem;

namespace {

h5::Handle open_file(const fs::path& path) {
  h5::silence_errors();
  std::error_code ec;
  if (!fs::is_regular_file(path, ec)) throw Error("shard does not exist", path.string());
  if (H5Fis_hdf5(path.c_str()) <= 0) {
    H5Eclear2(H5E_DEFAULT);
    throw Error("not a warcpairs shard: not an HDF5 file", path.string());
  }
  h5::Handle file(H5Fopen(path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT), "open shard (corrupt?)",
                  path.string());
  std::string format = h5::read_string_attr(file.get(), "format", path.string());
  if (format != layout::kFormat)
    throw Error("not a warcpairs shard: format is '" + format + "'", path.string());
  int version = h5::read_int_attr(file.get(), "version", path.string());
  if (version == 1)
    throw Error("shard format version 1 (variable-length strings) is no longer read: this "
                "build reads version " + std::to_string(kShardFormatVersion) +
                    "; run the stage that wrote it again with this build (docs/storage.md)",
                path.string());
  if (version != kShardFormatVersion)
    throw Error("shard format version " + std::to_string(version) +
                    " is not supported (this build reads " +
                    std::to_string(kShardFormatVersion) + ")", path.string());
  return file;
}

}  // namespace

struct ShardReader::Impl {
  explicit Impl(const fs::path& p)
      : path(p.string()), file(open_file(p)),
        stage(h5::read_string_attr(file.get(), "stage", path)),
        pages(file.get(), "pages", layout::kPageColumns, path),
        images(file.get(), "images", layout::kImageColumns, path),
        skips(file.get(), "skips", layout::kSkipColumns, path),
        files(file.get(), "file", layout::kFileColumns, path) {
    if (files.rows() > 1) throw Error("shard holds more than one /file row", path);
    if (H5Lexists(file.get(), "predictions", H5P_DEFAULT) > 0)
      predictions.emplace(file.get(), "predictions", layout::kPredictionColumns, path);
    if (H5Aexists(file.get(), "model") > 0) model = h5::read_string_attr(file.get(), "model", path);
    if (H5Lexists(file.get(), "scores", H5P_DEFAULT) > 0)
      scores.emplace(file.get(), "scores", layout::kScoreColumns, path);
    if (H5Lexists(file.get(), "embeddings", H5P_DEFAULT) > 0) embeddings.emplace(file.get(), path);
    if (H5Aexists(file.get(), "clip_model") > 0)
      clip_model = h5::read_string_attr(file.get(), "clip_model", path);
    if (H5Aexists(file.get(), "score_revision") > 0)
      score_revision = h5::read_int_attr(file.get(), "score_revision", path);
    if (H5Lexists(file.get(), "render_pages", H5P_DEFAULT) > 0) {
      render_pages.emplace(file.get(), "render_pages", layout::kRenderPageColumns, path);
      renders.emplace(file.get(), "renders", layout::kRenderColumns, path);
      render_tokens.emplace(file.get(), "render_tokens", layout::kRenderTokenColumns, path);
    }
    if (H5Aexists(file.get(), "score_refetched") > 0)
      score_refetched = h5::read_int_attr(file.get(), "score_refetched", path) != 0;
  }
  std::string path;
  h5::Handle file;
  std::string stage;
  TableReader<PageRecord, layout::kPageColumns.size()> pages;
  TableReader<html::ImageRecord, layout::kImageColumns.size()> images;
  TableReader<SkipEntry, layout::kSkipColumns.size()> skips;
  TableReader<FileSummary, layout::kFileColumns.size()> files;
  std::optional<TableReader<PredictionRecord, layout::kPredictionColumns.size()>> predictions;
  std::string model;
  std::optional<TableReader<ScoreRecord, layout::kScoreColumns.size()>> scores;
  std::string clip_model;
  int score_revision = 1;
  bool score_refetched = true;
  std::optional<EmbeddingGroupReader> embeddings;
  std::optional<TableReader<RenderPageRecord, layout::kRenderPageColumns.size()>> render_pages;
  std::optional<TableReader<RenderRecord, layout::kRenderColumns.size()>> renders;
  std::optional<TableReader<RenderTokenRecord, layout::kRenderTokenColumns.size()>> render_tokens;
};

void check_last_part(const FileSummary& file, std::size_t parts, const std::string& where) {
  if (file.path.empty() || !file.last || file.part + 1 != static_cast<int32_t>(parts))
    throw Error("not the complete sequence of one file's shards: the last is part " + std::to_string(file.part) +
                    (file.last ? "" : " (not marked last)") + " of " + std::to_string(parts),
                where);
}

void check_earlier_part(const FileSummary& f, std::size_t i, const FileSummary& last, const std::string& where) {
  if (f.path != last.path || f.part != static_cast<int32_t>(i))
    throw Error("shard is part " + std::to_string(f.part) + " of " + f.path + ", expected part " + std::to_string(i) +
                    " of " + last.path,
                where);
}

ShardReader::ShardReader(const fs::path& path) : impl_(std::make_unique<Impl>(path)) {}
ShardReader::~ShardReader() = default;

std::string ShardReader::stage() const { return impl_->stage; }

FileSummary ShardReader::file() const {
  std::vector<FileSummary> rows;
  impl_->files.read(0, 1, rows);
  return rows.empty() ? FileSummary{} : rows.front();
}

int64_t ShardReader::page_count() const { return impl_->pages.rows(); }
int64_t ShardReader::image_count() const { return impl_->images.rows(); }
int64_t ShardReader::skip_count() const { return impl_->skips.rows(); }
int64_t ShardReader::prediction_count() const {
  return impl_->predictions ? impl_->predictions->rows() : 0;
}
std::string ShardReader::model() const { return impl_->model; }
int64_t ShardReader::score_count() const { return impl_->scores ? impl_->scores->rows() : 0; }
std::string ShardReader::clip_model() const { return impl_->clip_model; }
int ShardReader::score_revision() const { return impl_->score_revision; }
bool ShardReader::score_refetched() const { return impl_->score_refetched; }

int64_t ShardReader::embedding_count() const {
  return impl_->embeddings ? impl_->embeddings->rows() : 0;
}
int64_t ShardReader::embedding_dim() const {
  return impl_->embeddings ? impl_->embeddings->dim() : 0;
}

void ShardReader::read_embeddings(int64_t first, int64_t max_rows, std::vector<int64_t>& images,
                                  std::vector<uint16_t>& halves) {
  if (!impl_->embeddings) {
    images.clear(), halves.clear();
    return;
  }
  impl_->embeddings->read(first, max_rows, images, halves);
}

void ShardReader::read_scores(int64_t first, int64_t max_rows, std::vector<ScoreRecord>& out) {
  if (!impl_->scores) {
    out.clear();
    return;
  }
  impl_->scores->read(first, max_rows, out);
}

int64_t ShardReader::render_page_count() const { return impl_->render_pages ? impl_->render_pages->rows() : 0; }
int64_t ShardReader::render_count() const { return impl_->renders ? impl_->renders->rows() : 0; }
int64_t ShardReader::render_token_count() const {
  return impl_->render_tokens ? impl_->render_tokens->rows() : 0;
}

// A shard without render groups reads as empty ones.
template <class Table, class Row>
static void read_optional(std::optional<Table>& table, int64_t first, int64_t max_rows, std::vector<Row>& out) {
  if (table) table->read(first, max_rows, out);
  else out.clear();
}

void ShardReader::read_render_pages(int64_t first, int64_t max_rows, std::vector<RenderPageRecord>& out) {
  read_optional(impl_->render_pages, first, max_rows, out);
}
void ShardReader::read_renders(int64_t first, int64_t max_rows, std::vector<RenderRecord>& out) {
  read_optional(impl_->renders, first, max_rows, out);
}
void ShardReader::read_render_tokens(int64_t first, int64_t max_rows, std::vector<RenderTokenRecord>& out) {
  read_optional(impl_->render_tokens, first, max_rows, out);
}

void ShardReader::read_predictions(int64_t first, int64_t max_rows,
                                   std::vector<PredictionRecord>& out) {
  if (!impl_->predictions) {
    out.clear();
    return;
  }
  impl_->predictions->read(first, max_rows, out);
}

void ShardReader::read_pages(int64_t first, int64_t max_rows, std::vector<PageRecord>& out) {
  impl_->pages.read(first, max_rows, out);
}

void ShardReader::read_images(int64_t first, int64_t max_rows, std::vector<html::ImageRecord>& out) {
  impl_->images.read(first, max_rows, out);
}

void ShardReader::read_skips(int64_t first, int64_t max_rows, std::vector<SkipEntry>& out) {
  impl_->skips.read(first, max_rows, out);
  const std::string path = file().path;  // skips are not stored with their file: it is this one
  for (auto& s : out) s.file = path;
}

}  // namespace warcpairs::store
