// The report's plots (gnuplot SVG) and its JSON summary, both from the gathered RunStats.
#include <fmt/format.h>

#include <algorithm>

#include "analyze_plot.h"
#include "analyze_report.h"

namespace warcpairs::stages {

namespace {

using nlohmann::json;

std::string histogram_data(const store::Histogram& h) {
  std::string d;
  for (std::size_t i = 0; i < h.bins.size(); ++i)
    d += fmt::format("{:.9g} {}\n", h.lo + (double(i) + 0.5) * h.width, h.bins[i]);
  return d;
}

std::string histogram_script(const std::string& title, const std::string& xlabel,
                             const std::string& ylabel, const store::Histogram& h) {
  return fmt::format("set title '{}'\nset xlabel '{}'\nset ylabel '{}'\nset boxwidth {:.9g} absolute\n"
                     "set yrange [0:*]\n",
                     title, xlabel, ylabel, h.width * 0.9);
}

std::string points_data(const std::vector<store::Point>& pts) {
  std::string d;
  for (const auto& p : pts) d += fmt::format("{:.9g} {:.9g}\n", p.x, p.y);
  return d;
}

void histogram(Gnuplot& g, Plots& out, const std::string& name, const std::string& title,
               const std::string& xlabel, const std::string& ylabel, const store::Histogram& h,
               const std::string& missing) {
  Plot& p = out[name];
  p.title = title;
  if (h.total() == 0) {
    p.missing = missing;
    return;
  }
  const double hi = h.lo + h.width * double(h.bins.size());
  p.svg = g.plot(histogram_script(title, xlabel, ylabel, h) +
                     fmt::format("set xrange [{:.9g}:{:.9g}]\n", h.lo, hi) +
                     "plot DATAFILE using 1:2 with boxes lc rgb '#4477aa' notitle\n",
                 histogram_data(h));
}

void clip_histogram(Gnuplot& g, Plots& out, const RunStats& s) {
  Plot& p = out["clip_histogram"];
  p.title = "CLIP score of image and description";
  if (!s.has_clip) {
    p.missing = s.has_scores ? "No CLIP scores: `warcpairs score` ran without --clip."
                             : "No scores yet: run `warcpairs score` (with --clip) and `warcpairs merge`.";
    return;
  }
  std::string script = histogram_script(p.title, "cosine similarity", "pairs", s.clip);
  if (s.min_clip) {
    const double x = *s.min_clip, hi = s.clip.lo + s.clip.width * double(s.clip.bins.size());
    script += fmt::format("set xrange [{:.9g}:{:.9g}]\n", std::min(s.clip.lo, x) - s.clip.width,
                          std::max(hi, x) + s.clip.width);
    script += fmt::format("set arrow from {0:.9g}, graph 0 to {0:.9g}, graph 1 nohead lc rgb '#cc0000' "
                          "lw 2 front\nset label 'min-clip {0:.4g}' at {0:.9g}, graph 0.93 left offset "
                          "0.5,0 tc rgb '#cc0000' front\n", x);
  }
  p.svg = g.plot(script + "plot DATAFILE using 1:2 with boxes lc rgb '#4477aa' notitle\n",
                 histogram_data(s.clip));
}

void scatter(Gnuplot& g, Plots& out, const std::string& name, const std::string& title,
             const std::string& axes, const std::vector<store::Point>& pts,
             const std::string& missing) {
  Plot& p = out[name];
  p.title = title;
  if (pts.empty()) {
    p.missing = missing;
    return;
  }
  // Offsets keep the extreme points off the frame.
  p.svg = g.plot(fmt::format("set title '{}'\nset offsets graph 0.05, graph 0.05, graph 0.05, "
                             "graph 0.05\n{}plot DATAFILE using 1:2 with points pt 7 ps 0.8 "
                             "lc rgb '#4477aa' notitle\n", title, axes),
                 points_data(pts));
}

void bars(Gnuplot& g, Plots& out, const std::string& name, const std::string& title,
          const std::vector<store::NamedCount>& groups, const std::string& missing) {
  Plot& p = out[name];
  p.title = title;
  if (groups.empty()) {
    p.missing = missing;
    return;
  }
  std::string d;
  for (const auto& c : groups) d += fmt::format("{} {}\n", Gnuplot::label(c.name), c.count);
  p.svg = g.plot(fmt::format("set title '{}'\nset style data histograms\nset yrange [0:*]\n"
                             "set xtics rotate by -40 scale 0\nset bmargin 8\n"
                             "plot DATAFILE using 2:xtic(1) lc rgb '#4477aa' notitle\n", title),
                 d);
}

void training(Gnuplot& g, Plots& out, const RunStats& s) {
  Plot& loss = out["training_loss"];
  loss.title = "Training loss";
  const std::string none = "No model trained in this run (RUN/model/metrics.jsonl is missing or empty).";
  if (s.train.empty()) {
    loss.missing = none;
  } else {
    std::string d;
    for (const auto& t : s.train) d += fmt::format("{} {:.9g}\n", t.step, t.loss);
    loss.svg = g.plot("set title 'Training loss'\nset xlabel 'step'\nset ylabel 'loss'\n"
                      "plot DATAFILE using 1:2 with lines lw 2 lc rgb '#4477aa' notitle\n", d);
  }
  Plot& val = out["validation"];
  val.title = "Validation: exact match and token F1";
  if (s.validation.empty()) {
    val.missing = s.train.empty() ? none : "No validation lines in RUN/model/metrics.jsonl.";
    return;
  }
  std::string d;
  for (const auto& v : s.validation)
    d += fmt::format("{} {:.9g} {:.9g}\n", v.step, v.exact_match, v.token_f1);
  val.svg = g.plot("set title 'Validation'\nset xlabel 'step'\nset yrange [0:1]\nset key bottom right\n"
                   "plot DATAFILE using 1:2 with linespoints lw 2 title 'exact match', "
                   "DATAFILE using 1:3 with linespoints lw 2 title 'token F1'\n", d);
}

json counts_object(const std::vector<store::NamedCount>& v) {
  json j = json::object();
  for (const auto& c : v) j[c.name] = c.count;
  return j;
}

json histogram_json(const store::Histogram& h) {
  return {{"lo", h.lo}, {"bin_width", h.width}, {"bins", h.bins}, {"total", h.total()}};
}

}  // namespace

Plots draw_plots(const RunStats& s, const std::string& gnuplot_program) {
  Gnuplot g(gnuplot_program);
  Plots out;
  const std::string no_scores = "No scores yet: run `warcpairs score` and `warcpairs merge`.";
  bars(g, out, "domains", "Pages per domain", s.domains, "No pages.");
  bars(g, out, "languages", "Pages per language", s.languages, "No pages.");
  bars(g, out, "detected_languages", "Pages per detected language (CLD2)", s.detected_languages,
       "No detected languages: the database predates schema 8, or extract ran with --no-language-id.");
  histogram(g, out, "unsafe_histogram", "Unsafe-image score", "unsafe (zero-shot CLIP probability)",
            "pairs", s.unsafe, s.has_scores ? "No unsafe scores: `warcpairs score` ran without --clip."
                                            : "No scores yet: run `warcpairs score --clip` and `warcpairs merge`.");
  bars(g, out, "skip_reasons", "Skipped records per reason", s.skip_reasons, "No record was skipped.");
  bars(g, out, "outcomes", "Download outcomes", s.outcomes, no_scores);
  histogram(g, out, "alt_length", "Alt text length", "characters", "images", s.alt_length,
            "No image has alt text.");
  histogram(g, out, "context_length", "Context length", "characters", "images", s.context_length,
            "No image has context text.");
  histogram(g, out, "prediction_length", "Predicted description length", "characters", "images",
            s.prediction_length, "No predictions yet: run `warcpairs predict` and `warcpairs merge`.");
  clip_histogram(g, out, s);
  scatter(g, out, "clip_vs_length", "CLIP score against description length",
          "set xlabel 'description length (characters)'\nset ylabel 'CLIP score'\n", s.clip_vs_length,
          s.has_scores ? "No CLIP scores: `warcpairs score` ran without --clip." : no_scores);
  scatter(g, out, "image_sizes", "Original image size",
          "set logscale xy\nset xlabel 'width (px)'\nset ylabel 'height (px)'\n", s.image_sizes,
          s.has_scores ? "No image was downloaded." : no_scores);
  training(g, out, s);
  return out;
}

json summary_json(const RunStats& s, const Plots& plots) {
  json j;
  j["run"] = s.run_dir.string();
  j["counts"] = counts_object(s.counts);
  j["files_by_status"] = counts_object(s.file_status);
  j["skip_reasons"] = counts_object(s.skip_reasons);
  j["domains"] = counts_object(s.domains);
  j["languages"] = counts_object(s.languages);
  j["detected_languages"] = counts_object(s.detected_languages);
  j["context_languages"] = counts_object(s.context_languages);
  j["language_agreement"] = counts_object(s.language_agreement);
  j["language_disagreements"] = counts_object(s.language_disagreements);
  j["page_content_types"] = counts_object(s.page_types);
  j["image_mime_types"] = counts_object(s.image_mimes);
  j["score_outcomes"] = counts_object(s.outcomes);
  j["duplicates"] = counts_object(s.duplicates);
  j["histograms"] = {{"alt_length", histogram_json(s.alt_length)},
                     {"context_length", histogram_json(s.context_length)},
                     {"prediction_length", histogram_json(s.prediction_length)},
                     {"clip_caption", histogram_json(s.clip)},
                     {"unsafe", histogram_json(s.unsafe)}};
  j["clip"] = {{"scored", s.clip.total()}, {"min_clip", s.min_clip ? json(*s.min_clip) : json()},
               {"at_or_above_min_clip", s.clip_at_or_above >= 0 ? json(s.clip_at_or_above) : json()}};
  j["training"] = {{"train_points", s.train.size()}, {"validation_points", s.validation.size()},
                   {"last_loss", s.train.empty() ? json() : json(s.train.back().loss)},
                   {"last_validation", s.validation.empty() ? json()
                                        : json{{"step", s.validation.back().step},
                                               {"exact_match", s.validation.back().exact_match},
                                               {"token_f1", s.validation.back().token_f1}}}};
  j["stage_stats"] = s.stage_stats;
  json p = json::object();
  for (const auto& [name, plot] : plots)
    p[name] = plot.svg.empty() ? json{{"drawn", false}, {"why_not", plot.missing}} : json{{"drawn", true}};
  j["plots"] = p;
  json grids = json::object();
  for (const auto& g : s.grids) grids[g.id] = {{"pairs", g.pairs.size()}, {"images", g.images.size()}};
  j["grids"] = grids;
  if (s.has_renders) {
    json r = counts_object(s.render_counts);
    const int64_t tokens = r.value("page_tokens", int64_t{0}), visible = r.value("page_visible_tokens", int64_t{0});
    r["visible_share"] = tokens ? json(double(visible) / double(tokens)) : json();
    r["failures_by_reason"] = counts_object(s.render_failures);
    json shown = json::array();
    for (const auto& c : s.crops)
      shown.push_back({{"render_id", c.sample.render_id}, {"boxes", c.sample.tokens.size()},
                       {"image", !c.image.empty()}});
    r["crops_shown"] = shown;
    j["renders"] = r;
  } else {
    j["renders"] = nullptr;
  }
  return j;
}

}  // namespace warcpairs::stages
