// ShardWriter: columnar buffers flushed a chunk at a time to "<final>.tmp"; commit() makes the
// shard visible atomically (close, fsync file, rename, fsync directory) for exactly-once merge.
#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <optional>

#include "embedding_group.h"
#include "hdf5_handle.h"
#include "shard_layout.h"
#include "shard_table.h"
#include "warcpairs/core/crash_point.h"
#include "warcpairs/core/error.h"
#include "warcpairs/store/shard.h"

namespace warcpairs::store {
namespace fs = std::filesystem;

namespace {

void fsync_path(const fs::path& path, int flags) {
  int fd = ::open(path.c_str(), flags | O_CLOEXEC);
  if (fd < 0) throw Error(std::string("open for fsync: ") + std::strerror(errno), path.string());
  int rc = ::fsync(fd);
  int err = errno;
  ::close(fd);
  if (rc != 0) throw Error(std::string("fsync: ") + std::strerror(err), path.string());
}

h5::Handle create_file(const fs::path& tmp) {
  h5::silence_errors();
  h5::Handle fapl(H5Pcreate(H5P_FILE_ACCESS), "create fapl", tmp.string());
  // Strong close: H5Fclose really closes (and flushes) the file, or fails loudly.
  h5::check(H5Pset_fclose_degree(fapl.get(), H5F_CLOSE_STRONG), "set close degree", tmp.string());
  return h5::Handle(H5Fcreate(tmp.c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, fapl.get()),
                    "create shard file", tmp.string());
}

}  // namespace

fs::path shard_temporary(const fs::path& final_path) { return final_path.string() + ".tmp"; }

bool is_shard_temporary(std::string_view file_name) {
  return file_name.size() > 7 && file_name.ends_with(".h5.tmp");
}

struct ShardWriter::Impl {
  Impl(fs::path final_path, std::string stage_name)
      : final(std::move(final_path)), tmp(shard_temporary(final)), stage(std::move(stage_name)),
        file(create_file(tmp)),
        pages(file.get(), "pages", layout::kPageColumns, layout::kChunkRows, tmp.string()),
        images(file.get(), "images", layout::kImageColumns, layout::kChunkRows, tmp.string()),
        skips(file.get(), "skips", layout::kSkipColumns, layout::kChunkRows, tmp.string()),
        files(file.get(), "file", layout::kFileColumns, 1, tmp.string()) {}

  fs::path final, tmp;
  std::string stage;
  h5::Handle file;
  TableWriter<PageRecord, layout::kPageColumns.size()> pages;
  TableWriter<html::ImageRecord, layout::kImageColumns.size()> images;
  TableWriter<SkipEntry, layout::kSkipColumns.size()> skips;
  TableWriter<FileSummary, layout::kFileColumns.size()> files;
  // Created on the first prediction, so shards without predictions stay as they were.
  std::optional<TableWriter<PredictionRecord, layout::kPredictionColumns.size()>> predictions;
  std::string model;
  std::optional<TableWriter<ScoreRecord, layout::kScoreColumns.size()>> scores;
  std::string clip_model;
  int score_revision = 0;  // 0: not a redo shard, no attributes
  std::optional<EmbeddingGroupWriter> embeddings;
  bool score_refetched = true;
  std::optional<FileSummary> summary;
  // Render groups, created on the first page rendered.
  std::optional<TableWriter<RenderPageRecord, layout::kRenderPageColumns.size()>> render_pages;
  std::optional<TableWriter<RenderRecord, layout::kRenderColumns.size()>> renders;
  std::optional<TableWriter<RenderTokenRecord, layout::kRenderTokenColumns.size()>> render_tokens;
  bool committed = false;
};

ShardWriter::ShardWriter(fs::path final_path, std::string stage)
    : impl_(std::make_unique<Impl>(std::move(final_path), std::move(stage))) {}

ShardWriter::~ShardWriter() {
  if (!impl_ || impl_->committed) return;
  fs::path tmp = impl_->tmp;
  impl_.reset();  // closes every HDF5 handle before the file is removed
  std::error_code ec;
  fs::remove(tmp, ec);
}

int64_t ShardWriter::add_page(const PageRecord& page) { return impl_->pages.add(page); }

int64_t ShardWriter::add_image(const html::ImageRecord& image) {
  if (image.page_row < 0 || image.page_row >= impl_->pages.total())
    throw Error("image refers to page row " + std::to_string(image.page_row) +
                    ", which has not been added", impl_->tmp.string());
  return impl_->images.add(image);
}

void ShardWriter::add_skip(const SkipEntry& skip) { impl_->skips.add(skip); }

void ShardWriter::add_prediction(const PredictionRecord& prediction) {
  Impl& s = *impl_;
  if (!s.predictions)
    s.predictions.emplace(s.file.get(), "predictions", layout::kPredictionColumns,
                          layout::kChunkRows, s.tmp.string());
  s.predictions->add(prediction);
}

void ShardWriter::set_model(const std::string& model_version) { impl_->model = model_version; }

void ShardWriter::add_score(const ScoreRecord& score) {
  Impl& s = *impl_;
  if (!s.scores)
    s.scores.emplace(s.file.get(), "scores", layout::kScoreColumns, layout::kChunkRows,
                     s.tmp.string());
  s.scores->add(score);
}

void ShardWriter::add_embedding(int64_t image, const std::vector<float>& vector) {
  Impl& s = *impl_;
  if (!s.embeddings) s.embeddings.emplace(s.file.get(), int64_t(vector.size()), s.tmp.string());
  if (int64_t(vector.size()) != s.embeddings->dim())
    throw Error("embedding of " + std::to_string(vector.size()) + " values in a shard of " +
                    std::to_string(s.embeddings->dim()), s.tmp.string());
  s.embeddings->add(image, vector.data());
}

void ShardWriter::set_clip_model(const std::string& model_version) {
  impl_->clip_model = model_version;
}

void ShardWriter::set_score_revision(int revision, bool refetched) {
  impl_->score_revision = revision;
  impl_->score_refetched = refetched;
}

void ShardWriter::set_file(const FileSummary& file) { impl_->summary = file; }

int64_t ShardWriter::add_render_page(const RenderPageRecord& page) {
  Impl& s = *impl_;
  if (!s.render_pages) {
    s.render_pages.emplace(s.file.get(), "render_pages", layout::kRenderPageColumns, layout::kChunkRows,
                           s.tmp.string());
    s.renders.emplace(s.file.get(), "renders", layout::kRenderColumns, layout::kChunkRows, s.tmp.string());
    s.render_tokens.emplace(s.file.get(), "render_tokens", layout::kRenderTokenColumns,
                            layout::kChunkRows, s.tmp.string());
  }
  return s.render_pages->add(page);
}

int64_t ShardWriter::add_render(const RenderRecord& crop) {
  Impl& s = *impl_;
  if (!s.render_pages || crop.page_row < 0 || crop.page_row >= s.render_pages->total())
    throw Error("crop refers to render page row " + std::to_string(crop.page_row) +
                    ", which has not been added", s.tmp.string());
  return s.renders->add(crop);
}

void ShardWriter::add_render_token(const RenderTokenRecord& token) {
  Impl& s = *impl_;
  if (!s.renders || token.render_row < 0 || token.render_row >= s.renders->total())
    throw Error("token refers to crop row " + std::to_string(token.render_row) +
                    ", which has not been added", s.tmp.string());
  s.render_tokens->add(token);
}

void ShardWriter::commit_as(std::filesystem::path final_path) {
  impl_->final = std::move(final_path);
  commit();
}

void ShardWriter::commit() {
  Impl& s = *impl_;
  if (s.committed) throw Error("shard committed twice", s.final.string());
  if (s.summary) s.files.add(*s.summary);
  s.pages.flush();
  s.images.flush();
  s.skips.flush();
  s.files.flush();
  if (s.predictions) s.predictions->flush();
  if (s.scores) s.scores->flush();
  if (s.embeddings) s.embeddings->flush();
  if (s.render_pages) s.render_pages->flush(), s.renders->flush(), s.render_tokens->flush();
  if (!s.clip_model.empty())
    h5::write_attr(s.file.get(), "clip_model", s.clip_model, s.tmp.string());
  if (s.score_revision > 0) {
    h5::write_attr(s.file.get(), "score_revision", s.score_revision, s.tmp.string());
    h5::write_attr(s.file.get(), "score_refetched", s.score_refetched ? 1 : 0, s.tmp.string());
  }
  if (!s.model.empty()) h5::write_attr(s.file.get(), "model", s.model, s.tmp.string());
  h5::write_attr(s.file.get(), "format", std::string(layout::kFormat), s.tmp.string());
  h5::write_attr(s.file.get(), "version", kShardFormatVersion, s.tmp.string());
  h5::write_attr(s.file.get(), "stage", s.stage, s.tmp.string());
  // Strong close also closes the groups and datasets still held by the tables.
  s.file.close("close shard file", s.tmp.string());
  fsync_path(s.tmp, O_RDONLY);
  crash_point("shard_before_rename");
  std::error_code ec;
  fs::rename(s.tmp, s.final, ec);
  if (ec) throw Error("rename shard into place: " + ec.message(), s.final.string());
  crash_point("shard_after_rename");
  s.committed = true;
  fs::path dir = s.final.parent_path();
  fsync_path(dir.empty() ? fs::path(".") : dir, O_RDONLY | O_DIRECTORY);
}

}  // namespace warcpairs::store
