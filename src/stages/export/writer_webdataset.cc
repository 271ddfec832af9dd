// --format webdataset: tar shards SPLIT-NNNNNN.tar, each sample three consecutive members
// KEY.jpg, KEY.txt, KEY.json (WebDataset groups members by the name before the first dot).
#include "export_writer.h"

#include "warcpairs/io/tar_writer.h"

namespace warcpairs::stages {
namespace {

class WebDatasetWriter : public ExportWriter {
 public:
  std::string_view name() const override { return "webdataset"; }
  std::string_view summary() const override { return "WebDataset shards"; }
  std::string_view card_layout() const override {
    return "WebDataset tar shards `train-NNNNNN.tar` and `validation-NNNNNN.tar`; each sample is "
           "three consecutive members `KEY.jpg` (the image), `KEY.txt` (the description) and "
           "`KEY.json` (every column below). Read with `webdataset.WebDataset(\"train-{000000..N}.tar\")`.";
  }
  bool needs_images() const override { return true; }

  // TarWriter: written under a temporary name and renamed when whole.
  void write_shard(const std::filesystem::path& dir, std::string_view split, int64_t index,
                   std::span<const PlannedPair> pairs, ImageSource& images) const override {
    io::TarWriter tar(dir / (std::string(split) + "-" + part_name(index) + ".tar"));
    std::string jpg;
    for (const PlannedPair& p : pairs) {
      images.read(p.row, jpg);
      const std::string key = pair_key(p.row);
      tar.add(key + ".jpg", std::string_view(jpg));
      tar.add(key + ".txt", std::string_view(p.row.text));
      tar.add(key + ".json", std::string_view(pair_json(p).dump()));
    }
    tar.commit();
  }
};

}  // namespace

std::unique_ptr<ExportWriter> make_webdataset_writer() { return std::make_unique<WebDatasetWriter>(); }

}  // namespace warcpairs::stages
