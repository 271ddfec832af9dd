// --format csv: pairs.csv, RFC 4180 (CRLF, header row, fields with a comma, quote, CR or LF
// quoted, quotes doubled), UTF-8, no images.
#include "export_writer.h"

#include <cmath>
#include <cstdio>
#include <utility>

namespace warcpairs::stages {

void csv_field(std::ostream& out, const std::string& s) {
  if (s.find_first_of(",\"\r\n") == std::string::npos) {
    out << s;
    return;
  }
  out << '"';
  for (char c : s) out << (c == '"' ? "\"\"" : std::string(1, c));
  out << '"';
}

namespace {

// Unknown scores (NaN) as an empty field.
std::string number_text(double v) {
  if (std::isnan(v)) return "";
  char b[32];
  std::snprintf(b, sizeof b, "%.6g", v);
  return b;
}

// The pair's JSON form, column by column: null as an empty field, numbers as text.
void write_row(std::ostream& out, const PlannedPair& p) {
  const nlohmann::json j = pair_json(p);
  const char* sep = "";
  for (const auto& column : export_columns()) {
    const nlohmann::json& v = j.at(std::string(column.name));
    out << std::exchange(sep, ",");
    if (v.is_string()) csv_field(out, v.get_ref<const std::string&>());
    else if (v.is_number_float()) out << number_text(v.get<double>());
    else if (v.is_number()) out << v.get<int64_t>();
  }
  out << "\r\n";
}

class CsvWriter : public ExportWriter {
 public:
  std::string_view name() const override { return "csv"; }
  std::string_view summary() const override { return "CSV"; }
  std::string_view card_layout() const override {
    return "`pairs.csv` (RFC 4180, header row, UTF-8): one row per pair, the `split` column says "
           "train or validation. No images: `url` is where each was found.";
  }

  void write_tables(const std::filesystem::path& dir, const std::vector<PlannedPair>& train,
                    const std::vector<PlannedPair>& validation, int64_t) const override {
    TextFile f(dir / "pairs.csv");
    const char* sep = "";
    for (const auto& column : export_columns()) f.out() << std::exchange(sep, ",") << column.name;
    f.out() << "\r\n";
    for (const auto* set : {&train, &validation})
      for (const auto& p : *set) write_row(f.out(), p);
    f.commit();
  }
};

}  // namespace

std::unique_ptr<ExportWriter> make_csv_writer() { return std::make_unique<CsvWriter>(); }

}  // namespace warcpairs::stages
