// --format parquet: data/SPLIT-NNNNNN.parquet, one Parquet file per shard of --shard-size pairs
// (src/parquet: typed columns from export_columns(), dictionary strings, zstd), the layout
// Hugging Face datasets reads with load_dataset("parquet", data_files=...) and finds the splits
// of by file name. With --embed-images, an `image` struct {bytes, path} as the Hub's Image
// feature stores it, declared in the footer's "huggingface" metadata.
#include <nlohmann/json.hpp>

#include "export_writer.h"
#include "warcpairs/core/error.h"
#include "warcpairs/parquet/writer.h"

namespace warcpairs::stages {
namespace fs = std::filesystem;
namespace {

parquet::ColumnType parquet_type(ColumnKind k) {
  switch (k) {
    case ColumnKind::integer: return parquet::ColumnType::int64;
    case ColumnKind::real: return parquet::ColumnType::float64;
    default: return parquet::ColumnType::string;
  }
}

const char* hf_dtype(ColumnKind k) {
  switch (k) {
    case ColumnKind::integer: return "int64";
    case ColumnKind::real: return "float64";
    default: return "string";
  }
}

// The Hugging Face features of the file (datasets reads them from this metadata key and
// decodes the image column as PIL images).
std::string hf_features(bool images) {
  nlohmann::ordered_json features;
  for (const auto& c : export_columns())
    features[std::string(c.name)] = {{"dtype", hf_dtype(c.kind)}, {"_type", "Value"}};
  if (images) features["image"] = {{"_type", "Image"}};
  return nlohmann::ordered_json{{"info", {{"features", features}}}}.dump();
}

// One value of pair_json into column k; a value not of the column's kind is a bug in
// export_columns() (export_writers_test catches it), except text columns, which take any
// value's JSON form.
void put(parquet::Writer& w, std::size_t k, const ExportColumn& c, const nlohmann::json& v) {
  if (v.is_null()) return;
  switch (c.kind) {
    case ColumnKind::integer:
      if (!v.is_number_integer()) throw Error("export column " + std::string(c.name) + " is declared integer but holds " + v.dump());
      w.set_int64(k, v.get<int64_t>());
      return;
    case ColumnKind::real:
      if (!v.is_number()) throw Error("export column " + std::string(c.name) + " is declared real but holds " + v.dump());
      w.set_double(k, v.get<double>());
      return;
    default:
      if (v.is_string()) w.set_bytes(k, v.get_ref<const std::string&>());
      else w.set_bytes(k, v.dump());
  }
}

class ParquetWriter : public ExportWriter {
 public:
  std::string_view name() const override { return "parquet"; }
  std::string_view summary() const override { return "Parquet"; }
  std::string_view card_layout() const override {
    return "Parquet files `data/train-NNNNNN.parquet` and `data/validation-NNNNNN.parquet` (`--shard-size` "
           "pairs each, zstd, string columns dictionary-encoded), one row per pair with the columns below; "
           "with `--embed-images` an `image` column {bytes, path} holds the JPEG (the Hub's Image feature). "
           "Read with `datasets.load_dataset(\"parquet\", data_files={\"train\": \"data/train-*.parquet\", "
           "\"validation\": \"data/validation-*.parquet\"})`, pandas or DuckDB.";
  }
  bool writes_shards() const override { return true; }
  bool can_embed_images() const override { return true; }

  void write_shard(const fs::path& dir, std::string_view split, int64_t index, std::span<const PlannedPair> pairs,
                   ImageSource& images) const override {
    const bool embed = images.available();
    const auto& columns = export_columns();
    std::vector<parquet::ColumnSpec> specs;
    for (const auto& c : columns) specs.push_back({std::string(c.name), parquet_type(c.kind)});
    if (embed) {
      specs.push_back({"bytes", parquet::ColumnType::binary, true, "image"});
      specs.push_back({"path", parquet::ColumnType::string, true, "image"});
    }
    parquet::WriterOptions options;
    options.metadata = {{"huggingface", hf_features(embed)}};
    // Row groups of about 64 MiB when images are in, so readers need not hold a whole shard.
    options.row_group_bytes = 64 << 20;
    fs::create_directories(dir / "data");
    parquet::Writer w(dir / "data" / (std::string(split) + "-" + part_name(index) + ".parquet"), std::move(specs), options);
    std::string jpg;
    // pair_json's object keeps its members sorted by name: the column of each position, found
    // once (a lookup per value cost a tenth of the writer's time).
    std::vector<std::size_t> column_at;
    for (const PlannedPair& p : pairs) {
      const nlohmann::json j = pair_json(p);
      if (column_at.empty()) {
        for (auto it = j.begin(); it != j.end(); ++it)
          for (std::size_t k = 0; k < columns.size(); ++k)
            if (columns[k].name == it.key()) column_at.push_back(k);
        if (column_at.size() != j.size() || j.size() != columns.size())
          throw Error("pair_json's members are not export_columns()");
      }
      std::size_t pos = 0;
      for (auto it = j.begin(); it != j.end(); ++it, ++pos) put(w, column_at[pos], columns[column_at[pos]], *it);
      if (embed) {
        images.read(p.row, jpg);
        w.set_bytes(columns.size(), jpg);
        w.set_bytes(columns.size() + 1, pair_key(p.row) + ".jpg");
      }
      w.end_row();
    }
    w.close();
  }
};

}  // namespace

std::unique_ptr<ExportWriter> make_parquet_writer() { return std::make_unique<ParquetWriter>(); }

}  // namespace warcpairs::stages
