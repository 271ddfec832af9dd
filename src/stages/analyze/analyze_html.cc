// The report page: one HTML file with inline CSS, inline SVG plots and data: images; no
// script, no external resource (a Content-Security-Policy forbids both). Every text that
// comes from the run (URLs, alt texts, descriptions, paths, stage stats) goes through
// html_escape.
#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "analyze_report.h"

namespace warcpairs::stages {

std::string html_escape(std::string_view text) {
  std::string out;
  out.reserve(text.size() + text.size() / 8);
  for (char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default: out += c;
    }
  }
  return out;
}

namespace {

constexpr const char* kHead = R"(<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; img-src data:; style-src 'unsafe-inline'">
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="icon" href="data:,">
<title>warcpairs report</title>
<style>
body { font-family: sans-serif; margin: 1.5em auto; max-width: 1200px; color: #222; }
h1 { margin-bottom: 0.2em; } h2 { border-bottom: 1px solid #ccc; margin-top: 1.6em; }
table { border-collapse: collapse; margin: 0.5em 1.5em 0.5em 0; display: inline-table; vertical-align: top; }
td, th { border: 1px solid #ddd; padding: 2px 8px; text-align: left; }
td.n { text-align: right; font-variant-numeric: tabular-nums; }
figure.plot { display: inline-block; margin: 0.5em; border: 1px solid #eee; }
figure.plot svg { max-width: 100%; height: auto; display: block; }
p.missing { color: #875; font-style: italic; }
.grid { display: grid; grid-template-columns: repeat(auto-fill, minmax(220px, 1fr)); gap: 12px; }
figure.pair { margin: 0; border: 1px solid #ddd; padding: 6px; overflow-wrap: anywhere; font-size: 0.85em; }
figure.pair img { width: 100%; height: auto; display: block; background: #f4f4f4; }
.score { font-weight: bold; } .meta { color: #666; }
figure.crop { display: inline-block; margin: 0.5em; border: 1px solid #ddd; padding: 6px; max-width: 540px; font-size: 0.85em; overflow-wrap: anywhere; }
figure.crop svg { display: block; max-width: 100%; height: auto; background: #f4f4f4; }
rect.tok { fill: none; stroke-width: 1; } rect.visible { stroke: #1a7f37; } rect.hidden { stroke: #d1242f; stroke-dasharray: 3 2; }
pre { background: #f7f7f7; padding: 0.6em; overflow: auto; max-height: 30em; }
</style>
</head>
<body>
)";

std::string table(const std::string& caption, const std::vector<store::NamedCount>& rows) {
  std::string h = "<table><caption>" + html_escape(caption) + "</caption>";
  if (rows.empty()) return h + "<tr><td>(none)</td></tr></table>\n";
  for (const auto& r : rows)
    h += "<tr><td>" + html_escape(r.name) + "</td><td class=\"n\">" + std::to_string(r.count) +
         "</td></tr>";
  return h + "</table>\n";
}

std::string plot(const Plots& plots, const std::string& name) {
  const auto it = plots.find(name);
  if (it == plots.end()) return {};
  const Plot& p = it->second;
  if (p.svg.empty())
    return fmt::format("<p class=\"missing\" data-plot=\"{}\">{}: {}</p>\n", name,
                       html_escape(p.title), html_escape(p.missing));
  // The SVG is gnuplot's output for fixed titles and sanitised labels (Gnuplot::label).
  return fmt::format("<figure class=\"plot\" data-plot=\"{}\">{}</figure>\n", name, p.svg);
}

std::string pair_card(const store::PairSample& p, const PairGrid& g) {
  std::string h = "<figure class=\"pair\">";
  const auto img = g.images.find(p.key);
  if (img != g.images.end())
    h += "<img src=\"" + img->second + "\" alt=\"" + html_escape(p.caption) + "\">";
  else
    h += "<p class=\"missing\">image not found in " + html_escape(p.tar) + "</p>";
  h += "<figcaption>";
  if (p.clip) h += fmt::format("<span class=\"score\">CLIP {:.3f}</span> ", *p.clip);
  h += html_escape(p.caption);
  if (!p.alt.empty() && p.alt != p.caption) h += "<br><span class=\"meta\">alt: " + html_escape(p.alt) + "</span>";
  h += "<br><span class=\"meta\">" + html_escape(p.url) + "</span>";
  if (p.width > 0) h += fmt::format("<br><span class=\"meta\">{}&times;{} px</span>", p.width, p.height);
  return h + "</figcaption></figure>\n";
}

std::string grids(const RunStats& s) {
  std::string h = "<section id=\"pairs\"><h2>Pairs</h2>\n";
  if (!s.has_scores)
    return h + "<p class=\"missing\">No images yet: run `warcpairs score` and `warcpairs merge` "
               "to download them.</p></section>\n";
  if (!s.has_clip) h += "<p class=\"missing\">No CLIP scores: best and worst pairs need `score --clip`.</p>\n";
  for (const auto& g : s.grids) {
    h += "<h3>" + html_escape(g.title) + "</h3>\n";
    if (g.pairs.empty()) {
      h += "<p class=\"missing\">No stored images.</p>\n";
      continue;
    }
    h += "<div class=\"grid\" id=\"grid-" + g.id + "\">\n";
    for (const auto& p : g.pairs) h += pair_card(p, g);
    h += "</div>\n";
  }
  return h + "</section>\n";
}

// A coordinate for an SVG attribute: finite, two decimals (a damaged row draws at 0).
std::string num(double v) { return std::isfinite(v) ? fmt::format("{:.2f}", v) : "0"; }

// One crop: an inline SVG of its size in CSS px, the PNG under the boxes of its tokens (one
// <rect> per row of render_tokens: green visible, red dashed hidden), the token in a <title>.
std::string crop_card(const RenderCrop& c) {
  const auto& r = c.sample.crop;
  std::string h = fmt::format("<figure class=\"crop\" data-render-id=\"{}\" data-boxes=\"{}\">"
                              "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {} {}\" width=\"{}\" height=\"{}\">",
                              c.sample.render_id, c.sample.tokens.size(), num(r.width), num(r.height),
                              num(r.width), num(r.height));
  if (!c.image.empty())
    h += "<image href=\"" + c.image + "\" x=\"0\" y=\"0\" width=\"" + num(r.width) + "\" height=\"" +
         num(r.height) + "\" preserveAspectRatio=\"none\"/>";
  for (const auto& t : c.sample.tokens) {
    h += fmt::format("<rect class=\"tok {}\" x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\"><title>",
                     t.visible ? "visible" : "hidden", num(t.x), num(t.y), num(std::max(t.width, 0.0)),
                     num(std::max(t.height, 0.0)));
    h += html_escape(t.token) + fmt::format(" (id {}, position {})", t.token_id, t.position);
    if (!t.visible) h += " hidden: " + html_escape(t.hidden_by);
    h += "</title></rect>";
  }
  h += "</svg><figcaption>";
  if (c.image.empty()) h += "<span class=\"missing\">PNG over the size cap; boxes only</span><br>";
  int visible = 0;
  for (const auto& t : c.sample.tokens) visible += t.visible ? 1 : 0;
  h += fmt::format("crop {} of <span class=\"meta\">{}</span><br>{}&times;{} CSS px at scale {}, "
                   "{} boxes ({} visible)",
                   r.crop, html_escape(c.sample.url), num(r.width), num(r.height), num(r.device_scale_factor),
                   c.sample.tokens.size(), visible);
  return h + "</figcaption></figure>\n";
}

// Only when `warcpairs render` has been merged into this run's database.
std::string renders(const RunStats& s) {
  if (!s.has_renders) return {};
  int64_t tokens = 0, visible = 0;
  for (const auto& c : s.render_counts) {
    if (c.name == "page_tokens") tokens = c.count;
    if (c.name == "page_visible_tokens") visible = c.count;
  }
  std::string h = "<section id=\"renders\"><h2>Rendered pages</h2>\n" + table("render rows", s.render_counts) +
                  table("failures by reason", s.render_failures) +
                  fmt::format("<p>{} of {} tokens on the rendered pages ({:.1f}%) are visible.</p>\n", visible,
                              tokens, tokens ? 100.0 * double(visible) / double(tokens) : 0.0);
  if (s.crops.empty()) return h + "<p class=\"missing\">No crops shown (none made, or --renders 0).</p></section>\n";
  h += fmt::format("<h3>The first {} crops, token boxes drawn (green visible, red dashed hidden; "
                   "hover for the token)</h3>\n<div id=\"crops\">\n", s.crops.size());
  for (const auto& c : s.crops) h += crop_card(c);
  return h + "</div></section>\n";
}

std::string clip_summary(const RunStats& s) {
  if (!s.has_clip || !s.min_clip) return {};
  const auto scored = s.clip.total();
  return fmt::format("<p>{} of {} scored pairs ({:.1f}%) have a CLIP score of at least "
                     "--min-clip {:.4g}.</p>\n", s.clip_at_or_above, scored,
                     scored ? 100.0 * double(s.clip_at_or_above) / double(scored) : 0.0, *s.min_clip);
}

}  // namespace

std::string render_html(const RunStats& s, const Plots& plots) {
  std::string h = kHead;
  h += "<h1>warcpairs report</h1>\n<p>Run: <code>" + html_escape(s.run_dir.string()) + "</code></p>\n";
  h += "<section id=\"counts\"><h2>Counts per stage</h2>\n" + table("rows", s.counts) +
       table("files by status", s.file_status) + table("skip reasons", s.skip_reasons) +
       plot(plots, "skip_reasons") + "</section>\n";
  h += "<section id=\"sources\"><h2>Domains, languages, types</h2>\n" + table("domains", s.domains) +
       table("languages", s.languages) + table("page content types", s.page_types) +
       table("image MIME types", s.image_mimes) + "<br>" + plot(plots, "domains") +
       plot(plots, "languages") + "</section>\n";
  h += "<section id=\"detected-languages\"><h2>Detected languages (CLD2)</h2>\n" +
       table("pages per detected language", s.detected_languages) +
       table("contexts per detected language", s.context_languages) +
       table("<html lang> and detected language", s.language_agreement) +
       table("disagreements (declared → detected)", s.language_disagreements) + "<br>" +
       plot(plots, "detected_languages") + "</section>\n";
  h += "<section id=\"lengths\"><h2>Text lengths</h2>\n" + plot(plots, "alt_length") +
       plot(plots, "context_length") + plot(plots, "prediction_length") + "</section>\n";
  h += "<section id=\"scores\"><h2>Scores</h2>\n" + clip_summary(s) + plot(plots, "clip_histogram") +
       plot(plots, "unsafe_histogram") +
       plot(plots, "clip_vs_length") + table("download outcomes", s.outcomes) +
       plot(plots, "outcomes") + "</section>\n";
  h += "<section id=\"images\"><h2>Images</h2>\n" + plot(plots, "image_sizes") +
       table("duplicates", s.duplicates) + "</section>\n";
  h += grids(s);
  h += renders(s);
  h += "<section id=\"training\"><h2>Training</h2>\n" + plot(plots, "training_loss") +
       plot(plots, "validation") + "</section>\n";
  h += "<section id=\"stage-stats\"><h2>Stage statistics</h2>\n";
  h += s.stage_stats.empty() ? std::string("<p class=\"missing\">No RUN/*-stats.json files.</p>\n")
                             : "<pre>" + html_escape(s.stage_stats.dump(2)) + "</pre>\n";
  return h + "</section>\n</body>\n</html>\n";
}

}  // namespace warcpairs::stages
