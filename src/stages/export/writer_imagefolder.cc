// --format imagefolder: a Hugging Face imagefolder, SPLIT/NNNNNN/KEY.jpg parts and
// SPLIT/metadata.jsonl with file_name relative to the metadata file, as Hugging Face's
// ImageFolder builder reads it.
#include "export_writer.h"

#include "warcpairs/core/error.h"

namespace warcpairs::stages {
namespace fs = std::filesystem;
namespace {

// SPLIT/metadata.jsonl: one row per pair, file_name first.
void write_metadata(const fs::path& split_dir, const std::vector<PlannedPair>& pairs, int64_t shard_size) {
  fs::create_directories(split_dir);
  TextFile f(split_dir / "metadata.jsonl");
  for (std::size_t i = 0; i < pairs.size(); ++i) {
    nlohmann::json j = pair_json(pairs[i]);
    const std::string file_name = part_name(static_cast<int64_t>(i) / shard_size) + "/" + j["key"].get<std::string>() + ".jpg";
    nlohmann::json row = {{"file_name", file_name}};
    row.update(j);
    f.out() << row.dump() << '\n';
  }
  f.commit();
}

class ImageFolderWriter : public ExportWriter {
 public:
  std::string_view name() const override { return "imagefolder"; }
  std::string_view summary() const override { return "a Hugging Face imagefolder"; }
  std::string_view card_layout() const override {
    return "Hugging Face imagefolder: `train/` and `validation/`, each with `metadata.jsonl` "
           "(`file_name` relative to that folder, then the columns below) and the images in "
           "`NNNNNN/KEY.jpg` parts. Read with `datasets.load_dataset(\"imagefolder\", data_dir=...)`.";
  }
  bool needs_images() const override { return true; }

  // One part: SPLIT/NNNNNN/KEY.jpg per pair.
  void write_shard(const fs::path& dir, std::string_view split, int64_t index,
                   std::span<const PlannedPair> pairs, ImageSource& images) const override {
    const fs::path part = dir / split / part_name(index);
    fs::create_directories(part);
    std::string jpg;
    for (const PlannedPair& p : pairs) {
      images.read(p.row, jpg);
      const fs::path file = part / (pair_key(p.row) + ".jpg");
      std::ofstream out(file, std::ios::binary);
      out.write(jpg.data(), static_cast<std::streamsize>(jpg.size()));
      if (!out) throw Error("write failed", file.string());
    }
  }

  void write_tables(const fs::path& dir, const std::vector<PlannedPair>& train,
                    const std::vector<PlannedPair>& validation, int64_t shard_size) const override {
    write_metadata(dir / "train", train, shard_size);
    write_metadata(dir / "validation", validation, shard_size);
  }
};

}  // namespace

std::unique_ptr<ExportWriter> make_imagefolder_writer() { return std::make_unique<ImageFolderWriter>(); }

}  // namespace warcpairs::stages
