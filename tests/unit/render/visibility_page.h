// A generated page whose every text block is known to be visible or not to a person looking at
// the screen: plain text, hidden text of each kind the checks know, and hard cases the checks
// are known to get wrong (kept in, so the measured precision and recall are honest).
#pragma once

#include <string>
#include <vector>

namespace warcpairs::render::testing {

struct VisibilityCase {
  std::string name;
  bool visible;       // what a person sees
  std::string style;  // of the block's element (absolutely positioned at its grid cell)
  std::string wrap_open, wrap_close;  // around the text, inside the block
  std::string after;  // markup after the block (e.g. a cover)
};

inline std::vector<VisibilityCase> visibility_cases() {
  return {
      {"plain", true, "", "", "", ""},
      {"white_on_black", true, "background:#000;color:#fff", "", "", ""},
      {"inside_overflow_box", true, "overflow:hidden;width:260px;height:40px", "", "", ""},
      {"bold_span", true, "", "<b>", "</b>", ""},
      {"display_none", false, "display:none", "", "", ""},
      {"visibility_hidden", false, "visibility:hidden", "", "", ""},
      {"opacity_zero", false, "opacity:0", "", "", ""},
      {"zero_font", false, "font-size:0", "", "", ""},
      {"transparent_colour", false, "color:transparent", "", "", ""},
      {"same_colour", false, "color:#fff;background:#fff", "", "", ""},
      {"clipped_by_overflow", false, "overflow:hidden;width:260px;height:0", "", "", ""},
      {"sr_only", false, "overflow:hidden;clip:rect(0 0 0 0);width:1px;height:1px", "", "", ""},
      {"covered", false, "", "", "", "<div class=cover></div>"},
      {"offscreen_left", false, "margin-left:-2000px", "", "", ""},
      {"offscreen_below", false, "margin-top:2000px", "", "", ""},
      {"text_indent", false, "text-indent:-9999px", "", "", ""},
      {"near_background_colour", false, "color:#fcfcfc", "", "", ""},
      {"low_contrast_grey_on_white", true, "color:#777", "", "", ""},
      // Hard cases the checks get wrong: a cover with pointer-events:none is skipped by hit testing
      // (judged visible); a background image is not compared with the text, so white text on a
      // dark image is compared with the white page behind it (judged hidden).
      {"covered_pointer_events_none", false, "", "", "", "<div class=cover style='pointer-events:none'></div>"},
      {"white_on_dark_image", true, "color:#fff;background:url(data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAIAAACQd1PeAAAADElEQVR4nGNgYGAAAAAEAAH2FzhVAAAAAElFTkSuQmCC)", "", "", ""},
  };
}

// Block i of case c sits at a grid cell; a cover is a white div over the same cell. Four
// instances of each case, each with the same four words.
inline std::string visibility_page(int instances = 4) {
  const auto cases = visibility_cases();
  std::string html =
      "<!doctype html><html><head><style>"
      "body{margin:0;font:16px/20px 'DejaVu Sans';color:#000;background:#fff}"
      ".cell{position:absolute;width:280px;height:40px}"
      ".b{position:absolute;left:0;top:0;white-space:nowrap}"
      ".cover{position:absolute;left:0;top:0;width:280px;height:40px;background:#fff}"
      "</style></head><body>";
  int cell = 0;
  for (const auto& c : cases)
    for (int i = 0; i < instances; ++i, ++cell) {
      const int x = 10 + (cell % 4) * 300, y = 10 + (cell / 4) * 44;
      html += "<div class=cell style='left:" + std::to_string(x) + "px;top:" + std::to_string(y) + "px'>";
      html += "<div class=b style='" + c.style + "'>" + c.wrap_open + "river stone apple cloud" +
              c.wrap_close + "</div>" + c.after + "</div>";
    }
  return html + "</body></html>";
}

}  // namespace warcpairs::render::testing
