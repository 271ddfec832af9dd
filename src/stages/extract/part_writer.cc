// PartWriter: the current part's ShardWriter plus the file's running summary.
#include "part_writer.h"

#include <spdlog/spdlog.h>

#include "warcpairs/core/error.h"

namespace warcpairs::stages {

namespace {
// Contexts queued before the model runs: enough for length buckets to pad little, few enough
// that a part's memory stays small.
constexpr int64_t kPredictionPool = 256;
}  // namespace

PartWriter::PartWriter(std::filesystem::path dir, std::string prefix, RollPolicy policy,
                       const FileParts& committed, SpanPredictor* predictor)
    : dir_(std::move(dir)), prefix_(std::move(prefix)), policy_(policy), predictor_(predictor) {
  summary_.part = 0;
  if (committed.names.empty()) return;
  // The latest part carries the counts so far and where to go on.
  store::ShardReader latest(dir_ / committed.names.back());
  summary_ = latest.file();
  if (summary_.last) throw Error("file already complete", (dir_ / committed.names.back()).string());
  summary_.part = committed.next_part();
  resuming_ = true;
}

PartWriter::~PartWriter() = default;

store::ShardWriter& PartWriter::writer() {
  if (!writer_) {
    const auto path = dir_ / part_file_name(prefix_, summary_.part, false);
    writer_ = std::make_unique<store::ShardWriter>(path, "extract");
    if (predictor_) writer_->set_model(predictor_->model_version());
  }
  return *writer_;
}

bool PartWriter::full() const {
  return part_pages_ >= policy_.pages || part_bytes_ >= policy_.bytes;
}

int64_t PartWriter::add_page(const store::PageRecord& page) {
  ++part_pages_;
  part_bytes_ += static_cast<int64_t>(page.url.size() + page.title.size() + page.text.size() + 128);
  return writer().add_page(page);
}

void PartWriter::add_image(const html::ImageRecord& image) {
  part_bytes_ += static_cast<int64_t>(image.context.size() + image.url.size() + image.srcset.size() +
                                      image.alt.size() + image.dom_path.size() + 64);
  const int64_t row = writer().add_image(image);
  if (predictor_ && !image.context.empty()) {
    predictor_->add(row, image.context, image.image_pos);
    if (static_cast<int64_t>(predictor_->pending()) >= kPredictionPool) flush_predictions();
  }
}

void PartWriter::flush_predictions() {
  if (!predictor_) return;
  store::ShardWriter& w = writer();
  predictor_->flush([&](const store::PredictionRecord& p) {
    w.add_prediction(p);
    ++predictions_;
  });
}

void PartWriter::commit_part(int64_t next_offset, int64_t next_member_offset,
                             const SkipLog& skips) {
  summary_.resume_offset = next_offset;
  summary_.resume_member_offset = next_member_offset;
  commit(false, skips);
}

void PartWriter::commit_last(const SkipLog& skips) {
  summary_.resume_offset = -1;
  summary_.resume_member_offset = 0;
  commit(true, skips);
}

void PartWriter::commit(bool last, const SkipLog& skips) {
  flush_predictions();  // the part's images keep their answers: both land or neither
  store::ShardWriter& w = writer();
  const auto& entries = skips.entries();
  for (; skips_written_ < entries.size(); ++skips_written_) w.add_skip(entries[skips_written_]);
  summary_.last = last;
  w.set_file(summary_);
  // One atomic rename makes the part visible under its final name, ".last" included.
  w.commit_as(dir_ / part_file_name(prefix_, summary_.part, last));
  writer_.reset();
  ++summary_.part;
  part_pages_ = part_bytes_ = 0;
}

}  // namespace warcpairs::stages
