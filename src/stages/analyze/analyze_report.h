// What `analyze` gathers from a run before drawing and writing: shared by its source files.
#pragma once

#include <nlohmann/json.hpp>

#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "warcpairs/stages/analyze/analyze.h"
#include "warcpairs/store/analyze_query.h"
#include "warcpairs/store/render_query.h"

namespace warcpairs::stages {

struct TrainPoint {
  int64_t step = 0;
  double loss = 0;
};
struct ValidationPoint {
  int64_t step = 0;
  double exact_match = 0, token_f1 = 0;
};

// One image grid: its pairs and, per pair key, the image as a data: URI ("" when not found).
struct PairGrid {
  std::string id, title;
  std::vector<store::PairSample> pairs;
  std::map<std::string, std::string> images;
};

// One crop of `warcpairs render` shown with its token boxes: the PNG as a data: URI ("" when
// over the size cap).
struct RenderCrop {
  store::RenderSample sample;
  std::string image;
};

struct RunStats {
  std::filesystem::path run_dir;
  std::optional<double> min_clip;
  bool has_predictions = false, has_scores = false, has_clip = false;
  std::vector<store::NamedCount> counts, file_status, skip_reasons, domains, languages,
      page_types, image_mimes, outcomes, duplicates;
  // CLD2 (schema 8): pages and contexts per detected language, how <html lang> and detection
  // relate, and the commonest disagreements ("declared → detected").
  std::vector<store::NamedCount> detected_languages, context_languages, language_agreement,
      language_disagreements;
  store::Histogram alt_length, context_length, prediction_length, clip;
  store::Histogram unsafe;  // scores.unsafe, 20 bins over [0, 1]
  std::vector<store::Point> clip_vs_length, image_sizes;
  int64_t clip_at_or_above = -1;  // -1: no threshold or no scores
  std::vector<TrainPoint> train;  // thinned to a bounded number of points
  std::vector<ValidationPoint> validation;
  nlohmann::json stage_stats = nlohmann::json::object();  // RUN/<stage>-stats.json, parsed
  std::vector<PairGrid> grids;
  // warcpairs render (schema 11): counts, failures by reason, the first crops by render_id.
  bool has_renders = false;
  std::vector<store::NamedCount> render_counts, render_failures;
  std::vector<RenderCrop> crops;
};

// name -> SVG element, or the sentence saying why there is no plot.
struct Plot {
  std::string title, svg, missing;
};
using Plots = std::map<std::string, Plot>;

Plots draw_plots(const RunStats& stats, const std::string& gnuplot_program);
std::string render_html(const RunStats& stats, const Plots& plots);
nlohmann::json summary_json(const RunStats& stats, const Plots& plots);

}  // namespace warcpairs::stages
