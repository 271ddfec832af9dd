// Writers of `warcpairs export`: the planned pairs → WebDataset shards, imagefolder parts,
// CSV / JSON lines tables, metadata.jsonl files and the dataset card.
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
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

// The pair as one JSON object (the WebDataset .json member, a JSON lines row, metadata.jsonl).
nlohmann::json pair_json(const PlannedPair& p);

// Reads images out of RUN/images/*.tar, keeping the last archive open (pairs come in
// image_id order, and the run's tars cover image_id ranges).
class ImageSource {
 public:
  explicit ImageSource(std::filesystem::path images_dir) : dir_(std::move(images_dir)) {}
  // The JPEG of `row` into `out`; throws Error when the run's tar lacks it.
  void read(const store::ExportRow& row, std::string& out);

 private:
  std::filesystem::path dir_;
  std::unique_ptr<io::TarReader> tar_;
};

// One WebDataset shard: KEY.jpg, KEY.txt, KEY.json per pair, consecutive (TarWriter, atomic).
void write_webdataset_shard(const std::filesystem::path& path, const PlannedPair* begin,
                            const PlannedPair* end, ImageSource& images);
// One imagefolder part: DIR/KEY.jpg per pair.
void write_image_part(const std::filesystem::path& dir, const PlannedPair* begin,
                      const PlannedPair* end, ImageSource& images);
// SPLIT/metadata.jsonl: one row per pair with file_name relative to SPLIT.
void write_metadata(const std::filesystem::path& split_dir, const std::vector<PlannedPair>& pairs,
                    int64_t shard_size);
void write_csv(const std::filesystem::path& path, const std::vector<PlannedPair>& train,
               const std::vector<PlannedPair>& validation);
void write_jsonl(const std::filesystem::path& path, const std::vector<PlannedPair>& train,
                 const std::vector<PlannedPair>& validation);
// README.md: counts, cleaners and what each dropped, layout, provenance, licence notes.
void write_card(const std::filesystem::path& path, const ExportConfig& config,
                const ExportTotals& totals, const std::string& clip_model);

// The part folder / shard number as six digits.
std::string part_name(int64_t index);

}  // namespace warcpairs::stages
