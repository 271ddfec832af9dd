// What the export writers share: the pair as JSON (every format's columns), images out of the
// run's tars, text files written whole.
#include "export_writer.h"

#include <cerrno>
#include <cstring>

#include "warcpairs/core/error.h"

namespace warcpairs::stages {
namespace fs = std::filesystem;
using nlohmann::json;

std::string part_name(int64_t index) {
  char k[32];
  std::snprintf(k, sizeof k, "%06lld", static_cast<long long>(index));
  return k;
}

json review_word(const std::string& action) {
  if (action == "accept") return "accepted";
  if (action == "edit") return "edited";
  return nullptr;
}

json pair_json(const PlannedPair& p) {
  const auto& r = p.row;
  return {{"key", sample_key(r.image_id)},
          {"image_id", r.image_id},
          {"url", r.url},
          {"page_url", r.page_url},
          {"text", r.text},
          {"alt", r.alt},
          {"language", r.language},
          {"crawl_date", r.crawl_date},
          {"width", size_or_null(r.width)},
          {"height", size_or_null(r.height)},
          {"sha256", r.sha256.empty() ? json(nullptr) : json(r.sha256)},
          {"phash", r.has_phash ? json(hex64(r.phash)) : json(nullptr)},
          {"clip_caption", number_or_null(r.clip_caption)},
          {"clip_alt", number_or_null(r.clip_alt)},
          {"split", p.validation ? "validation" : "train"},
          {"tar", r.tar.empty() ? json(nullptr) : json(r.tar)},
          {"review", review_word(r.review)},
          {"machine_text", r.review == "edit" ? json(r.machine_text) : json(nullptr)}};
}

void ImageSource::read(const store::ExportRow& row, std::string& out) {
  if (!tar_ || tar_->path().filename() != row.tar) tar_ = std::make_unique<io::TarReader>(dir_ / row.tar);
  if (!tar_->read(row.key + ".jpg", out))
    throw Error("the run's image tar lacks " + row.key + ".jpg (image_id " +
                    std::to_string(row.image_id) + "): was RUN/images changed after merge?",
                tar_->path().string());
}

TextFile::TextFile(fs::path path) : path_(std::move(path)), tmp_(path_.string() + ".tmp"), out_(tmp_, std::ios::binary) {
  if (!out_) throw Error(std::string("create: ") + std::strerror(errno), tmp_.string());
}

void TextFile::commit() {
  out_.close();
  if (!out_) throw Error("write failed", tmp_.string());
  fs::rename(tmp_, path_);
}

}  // namespace warcpairs::stages
