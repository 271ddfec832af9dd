// --format jsonl: pairs.jsonl, one JSON object per pair and line (pair_json), no images.
#include "export_writer.h"

namespace warcpairs::stages {
namespace {

class JsonLinesWriter : public ExportWriter {
 public:
  std::string_view name() const override { return "jsonl"; }
  std::string_view summary() const override { return "JSON lines"; }
  std::string_view card_layout() const override {
    return "`pairs.jsonl`: one JSON object per line, the `split` field says train or validation. "
           "No images: `url` is where each was found.";
  }

  void write_tables(const std::filesystem::path& dir, const std::vector<PlannedPair>& train,
                    const std::vector<PlannedPair>& validation, int64_t) const override {
    TextFile f(dir / "pairs.jsonl");
    for (const auto* set : {&train, &validation})
      for (const auto& p : *set) f.out() << pair_json(p).dump() << '\n';
    f.commit();
  }
};

}  // namespace

std::unique_ptr<ExportWriter> make_jsonl_writer() { return std::make_unique<JsonLinesWriter>(); }

}  // namespace warcpairs::stages
