// export --what renders: crops of `warcpairs render` with their token boxes, as WebDataset
// shards (<key>.png + <key>.json), a Hugging Face imagefolder (train/<key>.png +
// train/metadata.jsonl) or CSV (<key>.png + <key>.csv beside renders.csv). Rank 0 writes.
#include "export_renders.h"
#include "export_writer.h"  // csv_field

#include <cstdio>
#include <fstream>
#include <memory>
#include <sstream>

#include <nlohmann/json.hpp>

#include "warcpairs/core/error.h"
#include "warcpairs/io/tar_writer.h"
#include "warcpairs/store/render_query.h"

namespace warcpairs::stages {
namespace fs = std::filesystem;
using nlohmann::json;

namespace {

std::string key_of(int64_t render_id) {
  char b[32];
  std::snprintf(b, sizeof b, "%09lld", static_cast<long long>(render_id));
  return b;
}

json tokens_json(const store::RenderSample& s) {
  json out = json::array();
  for (const auto& t : s.tokens)
    out.push_back({{"token", t.token}, {"token_id", t.token_id}, {"x", t.x}, {"y", t.y}, {"width", t.width},
                   {"height", t.height}, {"visible", t.visible}, {"hidden_by", t.hidden_by},
                   {"position", t.position}, {"box", t.box}, {"char_start", t.char_start}, {"char_end", t.char_end}});
  return out;
}

json meta_json(const store::RenderSample& s) {
  const auto& c = s.crop;
  return {{"render_id", s.render_id}, {"url", s.url}, {"crawl_date", s.crawl_date}, {"crop", c.crop},
          {"region", {{"x", c.x}, {"y", c.y}, {"width", c.width}, {"height", c.height}}},
          {"viewport", {{"width", c.viewport_width}, {"height", c.viewport_height}}},
          {"device_scale_factor", c.device_scale_factor}, {"fonts", json::parse(c.fonts, nullptr, false)},
          {"visible_tokens", c.visible_tokens}, {"tokens", tokens_json(s)}};
}

void write_file(const fs::path& path, std::string_view bytes) {
  std::ofstream out(path, std::ios::binary);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  if (!out) throw Error("cannot write", path.string());
}

// One crop's token table, RFC 4180 (CRLF, header row).
std::string tokens_csv(const store::RenderSample& s) {
  std::ostringstream out;
  out << "token,token_id,x,y,width,height,visible\r\n";
  for (const auto& t : s.tokens) {
    csv_field(out, t.token);
    out << ',' << t.token_id << ',' << t.x << ',' << t.y << ',' << t.width << ',' << t.height << ','
        << (t.visible ? 1 : 0) << "\r\n";
  }
  return out.str();
}

}  // namespace

ExportTotals export_renders(const ExportConfig& c, const fs::path& tmp) {
  if (c.format != "webdataset" && c.format != "imagefolder" && c.format != "csv")
    throw UsageError("--what renders takes --format webdataset, imagefolder or csv");
  store::RenderQuery query(c.run_dir / "warcpairs.sqlite");
  ExportTotals t;
  store::RenderSample s;
  std::unique_ptr<io::TarWriter> tar;
  std::ofstream listing;
  if (c.format == "imagefolder") {
    fs::create_directories(tmp / "train");
    listing.open(tmp / "train" / "metadata.jsonl");
  } else if (c.format == "csv") {
    listing.open(tmp / "renders.csv");
    listing << "key,url,crop,x,y,width,height,viewport_width,viewport_height,device_scale_factor,visible_tokens\r\n";
  }
  while (query.next(s)) {
    const std::string key = key_of(s.render_id);
    ++t.pairs, ++t.kept, ++t.train;
    if (c.format == "webdataset") {
      if (!tar || tar->members() >= 2 * c.shard_size) {
        if (tar) tar->commit();
        char name[64];
        std::snprintf(name, sizeof name, "renders-%06lld.tar", static_cast<long long>(t.shards++));
        tar = std::make_unique<io::TarWriter>(tmp / name);
      }
      tar->add(key + ".png", std::string_view(s.crop.png));
      tar->add(key + ".json", std::string_view(meta_json(s).dump()));
    } else if (c.format == "imagefolder") {
      write_file(tmp / "train" / (key + ".png"), s.crop.png);
      json m = meta_json(s);
      m["file_name"] = key + ".png";
      listing << m.dump() << '\n';
    } else {
      write_file(tmp / (key + ".png"), s.crop.png);
      write_file(tmp / (key + ".csv"), tokens_csv(s));
      const auto& r = s.crop;
      listing << key << ',';
      csv_field(listing, s.url);
      listing << ',' << r.crop << ',' << r.x << ',' << r.y << ',' << r.width << ',' << r.height << ','
              << r.viewport_width << ',' << r.viewport_height << ',' << r.device_scale_factor << ','
              << r.visible_tokens << "\r\n";
    }
  }
  if (tar) tar->commit();
  if (listing.is_open()) {
    listing.close();
    if (!listing) throw Error("cannot write the listing", tmp.string());
  }
  return t;
}

}  // namespace warcpairs::stages
