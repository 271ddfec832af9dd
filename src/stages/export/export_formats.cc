// The registry of export formats: the one list a new format is added to. Explicit calls, not
// self-registering statics, which a static library's linker would drop.
#include "export_writer.h"
#include "warcpairs/core/error.h"

namespace warcpairs::stages {

std::unique_ptr<ExportWriter> make_webdataset_writer();   // writer_webdataset.cc
std::unique_ptr<ExportWriter> make_imagefolder_writer();  // writer_imagefolder.cc
std::unique_ptr<ExportWriter> make_csv_writer();          // writer_csv.cc
std::unique_ptr<ExportWriter> make_jsonl_writer();        // writer_jsonl.cc
std::unique_ptr<ExportWriter> make_parquet_writer();      // writer_parquet.cc

const std::vector<std::unique_ptr<ExportWriter>>& export_writers() {
  static const std::vector<std::unique_ptr<ExportWriter>> writers = [] {
    std::vector<std::unique_ptr<ExportWriter>> v;
    v.push_back(make_webdataset_writer());
    v.push_back(make_imagefolder_writer());
    v.push_back(make_csv_writer());
    v.push_back(make_jsonl_writer());
    v.push_back(make_parquet_writer());
    return v;
  }();
  return writers;
}

const ExportWriter& export_writer(std::string_view name) {
  std::vector<std::string> names;
  for (const auto& w : export_writers()) {
    if (w->name() == name) return *w;
    names.emplace_back(w->name());
  }
  throw UsageError("unknown export format '" + std::string(name) + "' (known: " + word_list(names, "or") + ")");
}

std::vector<ExportFormat> export_formats() {
  std::vector<ExportFormat> out;
  for (const auto& w : export_writers()) out.push_back({std::string(w->name()), std::string(w->summary()), w->needs_images()});
  return out;
}

std::string word_list(const std::vector<std::string>& words, std::string_view conjunction) {
  std::string out;
  for (std::size_t i = 0; i < words.size(); ++i) {
    if (i > 0 && i + 1 == words.size()) out.append(" ").append(conjunction).append(" ");
    else if (i > 0) out += ", ";
    out += words[i];
  }
  return out;
}

}  // namespace warcpairs::stages
