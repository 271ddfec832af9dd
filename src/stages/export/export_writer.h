// The writer of one export format (ExportWriter), the registry of them (export_formats.cc) and
// what several writers share: the planned pair, its JSON form, the run's images, whole files.
#pragma once

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <memory>
#include <ostream>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "../common/sample_fields.h"  // sample_key: the key of a pair in every format
#include "warcpairs/io/tar_reader.h"
#include "warcpairs/stages/export/export.h"
#include "warcpairs/store/export_query.h"

namespace warcpairs::stages {

struct PlannedPair {
  store::ExportRow row;
  bool validation = false;
};

// Reads images out of RUN/images/*.tar, keeping the last archive open (pairs come in
// image_id order, and the run's tars cover image_id ranges).
class ImageSource {
 public:
  // An empty folder: an export that reads no images (available() false).
  explicit ImageSource(std::filesystem::path images_dir) : dir_(std::move(images_dir)) {}
  bool available() const { return !dir_.empty(); }
  // The JPEG of `row` into `out`; throws Error when the run's tar lacks it.
  void read(const store::ExportRow& row, std::string& out);

 private:
  std::filesystem::path dir_;
  std::unique_ptr<io::TarReader> tar_;
};

// One format of `warcpairs export --format NAME`. run_export calls write_shard for every shard
// of --shard-size pairs (spread over the ranks; formats that need images only), then
// write_tables once on rank 0. Both write into the dataset folder before it is renamed into
// place, so a writer need not make its files atomic towards readers of the dataset.
class ExportWriter {
 public:
  virtual ~ExportWriter() = default;
  // The name the user types after --format (the card's command line says it too).
  virtual std::string_view name() const = 0;
  // What it writes, for `warcpairs export --help`: "WebDataset shards".
  virtual std::string_view summary() const = 0;
  // The dataset card's "Layout" paragraph (Markdown, one line).
  virtual std::string_view card_layout() const = 0;
  // True: reads RUN/images, so an unscored run is refused, and writes shards.
  virtual bool needs_images() const { return false; }
  // True: write_shard is called for every shard even without images (one file per shard).
  virtual bool writes_shards() const { return needs_images(); }
  // True: `--embed-images` puts the image bytes in the shards (then RUN/images is read).
  virtual bool can_embed_images() const { return false; }
  // Shard `index` of `split` ("train" or "validation"): `pairs` in order, their images from
  // `images`.
  virtual void write_shard(const std::filesystem::path& dir, std::string_view split, int64_t index,
                           std::span<const PlannedPair> pairs, ImageSource& images) const {}
  // Rank 0, after every shard is written: the tables of the whole set.
  virtual void write_tables(const std::filesystem::path& dir, const std::vector<PlannedPair>& train,
                            const std::vector<PlannedPair>& validation, int64_t shard_size) const {}
};

// Every format, in the order `--help` lists them (export_formats.cc).
const std::vector<std::unique_ptr<ExportWriter>>& export_writers();
// The writer called `name`; UsageError when there is none.
const ExportWriter& export_writer(std::string_view name);

// What a column's non-null values are in typed formats (Parquet): text unless declared.
enum class ColumnKind { text, integer, real };
// A column of the exported pairs: its name, what the dataset card says it holds, its kind
// (pair_json's value for it is null or of this kind; export_writers_test checks).
struct ExportColumn {
  std::string_view name, meaning;
  ColumnKind kind = ColumnKind::text;
};
// Every column, in CSV header order: the CSV header, the keys of pair_json and the card's
// column table all come from this list.
const std::vector<ExportColumn>& export_columns();

// The sample key of a pair: its image_id in nine digits (as in RUN/images), or "row" and the
// list row in nine digits for a pair of a `score --pairs` list (no clash with image ids).
std::string pair_key(const store::ExportRow& row);
// The pair as one JSON object (the WebDataset .json member, a JSON lines row, metadata.jsonl):
// one member per export_columns() entry.
nlohmann::json pair_json(const PlannedPair& p);
// The review decision in force as a column: "accepted", "edited" or null.
nlohmann::json review_word(const std::string& action);
// The part folder / shard number as six digits.
std::string part_name(int64_t index);
// One CSV field, RFC 4180: quoted when it holds a comma, quote, CR or LF; quotes doubled
// (writer_csv.cc; export --what renders uses it too).
void csv_field(std::ostream& out, const std::string& s);

// Written to NAME.tmp and renamed, so a file in the dataset is whole.
class TextFile {
 public:
  explicit TextFile(std::filesystem::path path);
  std::ofstream& out() { return out_; }
  void commit();

 private:
  std::filesystem::path path_, tmp_;
  std::ofstream out_;
};

}  // namespace warcpairs::stages
