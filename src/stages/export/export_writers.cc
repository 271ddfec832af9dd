// Export writers: WebDataset shards (KEY.jpg/.txt/.json, consecutive members), imagefolder
// parts + metadata.jsonl (file_name relative to the metadata file, as Hugging Face's
// ImageFolder builder reads it), RFC 4180 CSV, JSON lines, the dataset card.
#include "export_writers.h"

#include <cerrno>
#include <cmath>
#include <cstring>
#include <fstream>

#include "warcpairs/core/error.h"
#include "warcpairs/io/tar_writer.h"

namespace warcpairs::stages {
namespace fs = std::filesystem;
using nlohmann::json;

namespace {

// Written to NAME.tmp and renamed, so a file in the dataset is whole.
class TextFile {
 public:
  explicit TextFile(fs::path path) : path_(std::move(path)), tmp_(path_.string() + ".tmp"), out_(tmp_, std::ios::binary) {
    if (!out_) throw Error(std::string("create: ") + std::strerror(errno), tmp_.string());
  }
  std::ofstream& out() { return out_; }
  void commit() {
    out_.close();
    if (!out_) throw Error("write failed", tmp_.string());
    fs::rename(tmp_, path_);
  }

 private:
  fs::path path_, tmp_;
  std::ofstream out_;
};

// RFC 4180: fields with a comma, quote, CR or LF are quoted, quotes doubled.
void csv_field(std::ostream& out, const std::string& s) {
  if (s.find_first_of(",\"\r\n") == std::string::npos) {
    out << s;
    return;
  }
  out << '"';
  for (char c : s) out << (c == '"' ? "\"\"" : std::string(1, c));
  out << '"';
}

std::string number_text(double v) {
  if (std::isnan(v)) return "";
  char b[32];
  std::snprintf(b, sizeof b, "%.6g", v);
  return b;
}

}  // namespace

std::string part_name(int64_t index) {
  char k[32];
  std::snprintf(k, sizeof k, "%06lld", static_cast<long long>(index));
  return k;
}

// The review decision in force as a column: "accepted", "edited" or null.
json review_word(const std::string& action) {
  if (action == "accept") return "accepted";
  if (action == "edit") return "edited";
  return nullptr;
}

json pair_json(const PlannedPair& p) {
  const auto& r = p.row;
  return {{"key", sample_key(r.image_id)},
          {"image_id", r.image_id},
          {"url", r.url},
          {"page_url", r.page_url},
          {"text", r.text},
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
          {"machine_text", r.review == "edit" ? json(r.machine_text) : json(nullptr)}};
}

void ImageSource::read(const store::ExportRow& row, std::string& out) {
  if (!tar_ || tar_->path().filename() != row.tar) tar_ = std::make_unique<io::TarReader>(dir_ / row.tar);
  if (!tar_->read(row.key + ".jpg", out))
    throw Error("the run's image tar lacks " + row.key + ".jpg (image_id " +
                    std::to_string(row.image_id) + "): was RUN/images changed after merge?",
                tar_->path().string());
}

void write_webdataset_shard(const fs::path& path, const PlannedPair* begin, const PlannedPair* end,
                            ImageSource& images) {
  io::TarWriter tar(path);
  std::string jpg;
  for (const PlannedPair* p = begin; p != end; ++p) {
    images.read(p->row, jpg);
    const std::string key = sample_key(p->row.image_id);
    tar.add(key + ".jpg", std::string_view(jpg));
    tar.add(key + ".txt", std::string_view(p->row.text));
    tar.add(key + ".json", std::string_view(pair_json(*p).dump()));
  }
  tar.commit();
}

void write_image_part(const fs::path& dir, const PlannedPair* begin, const PlannedPair* end,
                      ImageSource& images) {
  fs::create_directories(dir);
  std::string jpg;
  for (const PlannedPair* p = begin; p != end; ++p) {
    images.read(p->row, jpg);
    const fs::path file = dir / (sample_key(p->row.image_id) + ".jpg");
    std::ofstream out(file, std::ios::binary);
    out.write(jpg.data(), static_cast<std::streamsize>(jpg.size()));
    if (!out) throw Error("write failed", file.string());
  }
}

void write_metadata(const fs::path& split_dir, const std::vector<PlannedPair>& pairs, int64_t shard_size) {
  fs::create_directories(split_dir);
  TextFile f(split_dir / "metadata.jsonl");
  for (std::size_t i = 0; i < pairs.size(); ++i) {
    json j = pair_json(pairs[i]);
    const std::string file_name = part_name(static_cast<int64_t>(i) / shard_size) + "/" + j["key"].get<std::string>() + ".jpg";
    json row = {{"file_name", file_name}};
    row.update(j);
    f.out() << row.dump() << '\n';
  }
  f.commit();
}

void write_csv(const fs::path& path, const std::vector<PlannedPair>& train,
               const std::vector<PlannedPair>& validation) {
  TextFile f(path);
  auto& out = f.out();
  out << "key,image_id,url,page_url,text,alt,language,width,height,sha256,phash,clip_caption,clip_alt,split,tar,review\r\n";
  for (const auto* set : {&train, &validation})
    for (const auto& p : *set) {
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
      const json review = review_word(r.review);
      out << ',' << (review.is_null() ? "" : review.get<std::string>()) << "\r\n";
    }
  f.commit();
}

void write_jsonl(const fs::path& path, const std::vector<PlannedPair>& train,
                 const std::vector<PlannedPair>& validation) {
  TextFile f(path);
  for (const auto* set : {&train, &validation})
    for (const auto& p : *set) f.out() << pair_json(p).dump() << '\n';
  f.commit();
}

}  // namespace warcpairs::stages
