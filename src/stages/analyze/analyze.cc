// run_analyze: gathers a run's statistics (SQL aggregates, metrics.jsonl, stage stats, pair
// images from the tars), then writes REPORT/summary.json and REPORT/index.html.
#include <spdlog/spdlog.h>

#include <fstream>
#include <set>

#include "analyze_report.h"
#include "warcpairs/core/error.h"
#include "warcpairs/io/tar_reader.h"

namespace warcpairs::stages {

std::unordered_map<std::string, std::string> read_tar_members(
    const std::filesystem::path& tar, const std::unordered_set<std::string>& wanted, int64_t max_bytes) {
  io::TarReader reader(tar, io::TarReader::OnDamage::stop);
  if (reader.damaged_at() >= 0)
    spdlog::warn("analyze: {} is damaged at byte {}; only the members before it are read", tar.string(),
                 reader.damaged_at());
  std::unordered_map<std::string, std::string> out;
  std::string bytes;
  for (const auto& name : wanted) {
    const int64_t size = reader.size(name);
    if (size >= 0 && size <= max_bytes && reader.read(name, bytes)) out.emplace(name, bytes);
  }
  return out;
}

namespace {

using nlohmann::json;
constexpr int kHistogramBins = 40;
constexpr int kSamplePoints = 2000;
constexpr std::size_t kMaxTrainPoints = 4000;

// RUN/model/metrics.jsonl: train lines give the loss curve, validation lines the quality.
// Bounded: past kMaxTrainPoints every other train point is dropped (the curve keeps its shape).
void read_metrics(const std::filesystem::path& path, RunStats& s) {
  std::ifstream in(path);
  std::string line;
  std::size_t stride = 1, seen = 0;
  while (std::getline(in, line)) {
    const auto j = json::parse(line, nullptr, /*allow_exceptions=*/false);
    if (!j.is_object()) continue;  // a torn last line of a killed run
    const auto type = j.value("type", std::string());
    if (type == "train" && j.contains("step") && j.contains("loss")) {
      if (seen++ % stride != 0) continue;
      s.train.push_back({j["step"].get<int64_t>(), j["loss"].get<double>()});
      if (s.train.size() > kMaxTrainPoints) {
        std::vector<TrainPoint> half;
        for (std::size_t i = 0; i < s.train.size(); i += 2) half.push_back(s.train[i]);
        s.train.swap(half), stride *= 2;
      }
    } else if (type == "validation" && j.contains("model") && j["model"].is_object()) {
      const auto& m = j["model"];
      s.validation.push_back({j.value("step", int64_t{0}), m.value("exact_match", 0.0),
                              m.value("token_f1", 0.0)});
    }
  }
}

void read_stage_stats(const std::filesystem::path& run, RunStats& s) {
  for (const char* stage : {"extract", "merge", "train", "predict", "score", "render"}) {
    const auto path = run / (std::string(stage) + "-stats.json");
    std::ifstream in(path);
    if (!in) continue;
    auto j = json::parse(in, nullptr, /*allow_exceptions=*/false);
    if (j.is_discarded()) {
      spdlog::warn("analyze: {} is not JSON; left out", path.string());
      continue;
    }
    s.stage_stats[stage] = std::move(j);
  }
}

std::string base64(const std::string& bytes) {
  static constexpr char kAlphabet[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  out.reserve((bytes.size() + 2) / 3 * 4);
  std::size_t i = 0;
  for (; i + 2 < bytes.size(); i += 3) {
    const uint32_t v = (uint8_t(bytes[i]) << 16) | (uint8_t(bytes[i + 1]) << 8) | uint8_t(bytes[i + 2]);
    for (int k = 18; k >= 0; k -= 6) out += kAlphabet[(v >> k) & 63];
  }
  if (i < bytes.size()) {
    uint32_t v = uint8_t(bytes[i]) << 16;
    if (i + 1 < bytes.size()) v |= uint8_t(bytes[i + 1]) << 8;
    out += kAlphabet[(v >> 18) & 63];
    out += kAlphabet[(v >> 12) & 63];
    out += i + 1 < bytes.size() ? kAlphabet[(v >> 6) & 63] : '=';
    out += '=';
  }
  return out;
}

// Reads each grid's JPEGs from RUN/images/<tar> (one pass per tar) as data: URIs.
int load_images(const std::filesystem::path& image_dir, std::vector<PairGrid>& grids) {
  std::map<std::string, std::unordered_set<std::string>> wanted;  // tar -> member names
  for (const auto& g : grids)
    for (const auto& p : g.pairs)
      if (p.tar.find('/') == std::string::npos && p.tar.find("..") == std::string::npos)
        wanted[p.tar].insert(p.key + ".jpg");
  std::map<std::string, std::string> found;  // key -> data URI
  for (const auto& [tar, names] : wanted) {
    try {
      for (auto& [name, bytes] : read_tar_members(image_dir / tar, names))
        found[name.substr(0, name.size() - 4)] = "data:image/jpeg;base64," + base64(bytes);
    } catch (const Error& e) {
      spdlog::warn("analyze: {} ({}); its pairs are shown without images", e.what(), e.file());
    }
  }
  int n = 0;
  for (auto& g : grids)
    for (const auto& p : g.pairs)
      if (auto it = found.find(p.key); it != found.end()) g.images[p.key] = it->second, ++n;
  return n;
}

constexpr std::size_t kMaxCropPng = 4 << 20;  // a crop is at most 512x256 CSS px: far below

// The render counts and failures, and the first `limit` crops (render_id order) with their
// boxes and PNGs as data: URIs.
void collect_renders(const AnalyzeConfig& c, store::AnalyzeQuery& q, RunStats& s) {
  s.has_renders = q.has_renders();
  if (!s.has_renders) return;
  s.render_counts = q.render_counts();
  s.render_failures = q.groups(store::AnalyzeQuery::Group::render_failure, c.top);
  if (c.renders <= 0) return;
  store::RenderQuery crops(c.run_dir / "warcpairs.sqlite");
  store::RenderSample sample;
  while (static_cast<int>(s.crops.size()) < c.renders && crops.next(sample)) {
    RenderCrop crop{std::move(sample), {}};
    if (crop.sample.crop.png.size() <= kMaxCropPng)
      crop.image = "data:image/png;base64," + base64(crop.sample.crop.png);
    crop.sample.crop.png.clear();
    s.crops.push_back(std::move(crop));
    sample = {};
  }
}

RunStats collect(const AnalyzeConfig& c) {
  using Q = store::AnalyzeQuery;
  Q q(c.run_dir / "warcpairs.sqlite");
  RunStats s;
  s.run_dir = c.run_dir, s.min_clip = c.min_clip;
  s.has_predictions = q.has_predictions(), s.has_scores = q.has_scores();
  s.counts = q.stage_counts();
  s.file_status = q.groups(Q::Group::file_status, c.top);
  s.skip_reasons = q.groups(Q::Group::skip_reason, c.top);
  s.domains = q.groups(Q::Group::domain, c.top);
  s.languages = q.groups(Q::Group::language, c.top);
  s.detected_languages = q.groups(Q::Group::detected_language, c.top);
  s.context_languages = q.groups(Q::Group::context_language, c.top);
  s.language_disagreements = q.groups(Q::Group::language_disagreement, c.top);
  s.language_agreement = q.language_agreement();
  s.unsafe = q.unsafe_histogram(20);
  s.page_types = q.groups(Q::Group::page_type, c.top);
  s.image_mimes = q.groups(Q::Group::image_mime, c.top);
  s.outcomes = q.groups(Q::Group::outcome, c.top);
  s.duplicates = q.duplicates();
  s.alt_length = q.length_histogram(Q::Text::alt, kHistogramBins);
  s.context_length = q.length_histogram(Q::Text::context, kHistogramBins);
  s.prediction_length = q.length_histogram(Q::Text::prediction, kHistogramBins);
  s.clip = q.clip_histogram(kHistogramBins);
  s.has_clip = s.clip.total() > 0;
  if (s.has_clip && c.min_clip) s.clip_at_or_above = q.clip_at_least(*c.min_clip);
  s.clip_vs_length = q.clip_vs_length(kSamplePoints);
  s.image_sizes = q.image_sizes(kSamplePoints);
  if (s.has_clip) {
    s.grids.push_back({"best", "Best pairs (highest CLIP score)", q.pairs(Q::Order::best, c.grid), {}});
    s.grids.push_back({"worst", "Worst pairs (lowest CLIP score)", q.pairs(Q::Order::worst, c.grid), {}});
  }
  s.grids.push_back({"random", "Random pairs", q.pairs(Q::Order::random, c.grid), {}});
  read_metrics(c.run_dir / "model" / "metrics.jsonl", s);
  read_stage_stats(c.run_dir, s);
  collect_renders(c, q, s);
  return s;
}

void write_text(const std::filesystem::path& path, const std::string& text) {
  const auto tmp = path.string() + ".tmp";
  {
    std::ofstream out(tmp, std::ios::binary);
    out << text;
    if (!out.flush()) throw Error("cannot write", tmp);
  }
  std::filesystem::rename(tmp, path);
}

}  // namespace

AnalyzeResult run_analyze(const AnalyzeConfig& config) {
  AnalyzeConfig c = config;
  if (c.report_dir.empty()) c.report_dir = c.run_dir / "report";
  if (c.grid < 0 || c.top < 1 || c.renders < 0)
    throw UsageError("--grid and --renders must be >= 0 and --top >= 1");
  RunStats stats = collect(c);
  AnalyzeResult r;
  r.images_inlined = load_images(c.run_dir / "images", stats.grids);
  r.crops_shown = static_cast<int>(stats.crops.size());
  const Plots plots = draw_plots(stats, c.gnuplot);
  for (const auto& [name, p] : plots) r.plots += p.svg.empty() ? 0 : 1;
  std::filesystem::create_directories(c.report_dir);
  r.summary = c.report_dir / "summary.json";
  r.html = c.report_dir / "index.html";
  write_text(r.summary, summary_json(stats, plots).dump(2) + "\n");
  write_text(r.html, render_html(stats, plots));
  return r;
}

}  // namespace warcpairs::stages
