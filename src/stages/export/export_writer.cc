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

const std::vector<ExportColumn>& export_columns() {
  static const std::vector<ExportColumn> columns = {
      {"key", "the sample's name: the image_id in nine digits, or `row` and the list row in nine digits for a "
              "pair of a `score --pairs` list (WebDataset key, imagefolder file name)"},
      {"image_id", "the image in the run's database (`images`); empty for a pair of a list", ColumnKind::integer},
      {"list_row", "the row of the `score --pairs` list (1-based, header not counted); empty for a pair of the "
                   "database", ColumnKind::integer},
      {"url", "the image URL"},
      {"page_url", "the page the image was found on; empty for a pair of a list"},
      {"text", "the description"},
      {"description_source", "where `text` came from: `model` (the span model's prediction), `alt` (the alt "
                             "text), `review` (written by a person on the review page), `pairs-list` (the "
                             "caption of a `score --pairs` list)"},
      {"alt", "the alt text"},
      {"language", "the page's language tag; empty when unknown"},
      {"crawl_date", "when the page was crawled (WARC-Date)"},
      {"width", "the original image width (from the download; before scoring the HTML attribute)", ColumnKind::integer},
      {"height", "the original image height (likewise)", ColumnKind::integer},
      {"sha256", "of the downloaded image bytes"},
      {"phash", "64-bit DCT perceptual hash of the image, 16 hex digits"},
      {"clip_caption", "CLIP cosine similarity of the image and the description scored; empty when not scored", ColumnKind::real},
      {"clip_alt", "CLIP cosine similarity of the image and the alt text; empty when not scored", ColumnKind::real},
      {"split", "`train` or `validation`"},
      {"tar", "the run's image shard (RUN/images) the image came from"},
      {"review", "`accepted` or `edited` when a person decided so on the review page, else empty"},
      {"machine_text", "for an edited pair: the machine's description the person replaced"},
      {"detected_language", "CLD2's language code: of the description when CLD2 was sure, else of its "
                            "context when sure, else of the page's visible text; empty when unknown "
                            "(`--languages` filters on it)"},
      {"unsafe", "zero-shot CLIP probability that the image shows unsafe content (0..1, README "
                 "\"Unsafe-image score\"); empty when not scored with --clip", ColumnKind::real},
  };
  return columns;
}

std::string pair_key(const store::ExportRow& row) {
  return row.list_row > 0 ? "row" + sample_key(row.list_row) : sample_key(row.image_id);
}

json pair_json(const PlannedPair& p) {
  const auto& r = p.row;
  return {{"key", pair_key(r)},
          {"image_id", r.list_row > 0 ? json(nullptr) : json(r.image_id)},
          {"list_row", r.list_row > 0 ? json(r.list_row) : json(nullptr)},
          {"url", r.url},
          {"page_url", r.page_url},
          {"text", r.text},
          {"description_source", r.text_source},
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
          {"machine_text", r.review == "edit" ? json(r.machine_text) : json(nullptr)},
          {"detected_language", r.detected_language},
          {"unsafe", number_or_null(r.unsafe)}};
}

void ImageSource::read(const store::ExportRow& row, std::string& out) {
  if (!tar_ || tar_->path().filename() != row.tar) tar_ = std::make_unique<io::TarReader>(dir_ / row.tar);
  if (!tar_->read(row.key + ".jpg", out))
    throw Error("the run's image tar lacks " + row.key + ".jpg (pair " + pair_key(row) +
                    "): was RUN/images changed after merge?",
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
