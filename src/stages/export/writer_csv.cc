// --format csv: pairs.csv, RFC 4180 (CRLF, header row, fields with a comma, quote, CR or LF
// quoted, quotes doubled), UTF-8, no images.
#include "export_writer.h"

#include <cmath>
#include <cstdio>

namespace warcpairs::stages {
namespace {

void csv_field(std::ostream& out, const std::string& s) {
  if (s.find_first_of(",\"\r\n") == std::string::npos) {
    out << s;
    return;
  }
  out << '"';
  for (char c : s) out << (c == '"' ? "\"\"" : std::string(1, c));
  out << '"';
}

// Unknown scores (NaN) as an empty field.
std::string number_text(double v) {
  if (std::isnan(v)) return "";
  char b[32];
  std::snprintf(b, sizeof b, "%.6g", v);
  return b;
}

void write_row(std::ostream& out, const PlannedPair& p) {
  const auto& r = p.row;
  out << sample_key(r.image_id) << ',' << r.image_id << ',';
  for (const std::string* s : {&r.url, &r.page_url, &r.text, &r.alt, &r.language}) {
    csv_field(out, *s);
    out << ',';
  }
  out << (r.width < 0 ? "" : std::to_string(r.width)) << ','
      << (r.height < 0 ? "" : std::to_string(r.height)) << ',' << r.sha256 << ','
      << (r.has_phash ? hex64(r.phash) : "") << ',' << number_text(r.clip_caption) << ','
      << number_text(r.clip_alt) << ',' << (p.validation ? "validation" : "train") << ',';
  csv_field(out, r.tar);
  const nlohmann::json review = review_word(r.review);
  out << ',' << (review.is_null() ? "" : review.get<std::string>()) << "\r\n";
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
    f.out() << "key,image_id,url,page_url,text,alt,language,width,height,sha256,phash,clip_caption,"
               "clip_alt,split,tar,review\r\n";
    for (const auto* set : {&train, &validation})
      for (const auto& p : *set) write_row(f.out(), p);
    f.commit();
  }
};

}  // namespace

std::unique_ptr<ExportWriter> make_csv_writer() { return std::make_unique<CsvWriter>(); }

}  // namespace warcpairs::stages
