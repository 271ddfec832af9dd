// Precision and recall of the visibility checks on the generated page of visibility_page.h,
// per case and overall (the README quotes the numbers this test prints).
#include <gtest/gtest.h>

#include <cstdio>

#include "render_fixture.h"
#include "visibility_page.h"

namespace warcpairs::render {
namespace {

struct Confusion {
  int tp = 0, fp = 0, fn = 0, tn = 0;
};

// Renders the page, prints a line per case and the totals, returns the confusion counts.
Confusion measure(bool pixel_check) {
  const int instances = 4;
  SkipLog skips;
  auto archive = CdxjArchive::build(
      {testing::write_warc({{"http://v.example/", "text/html", testing::visibility_page(instances)}})}, Limits{},
      skips);
  RenderOptions options;
  options.pixel_check = pixel_check;
  PageRenderer renderer(testing::browser_options(), *archive, testing::wordpiece(), options);
  RenderedPage page;
  PageFailure failure;
  EXPECT_TRUE(renderer.render("http://v.example/", page, failure)) << failure.reason;
  const auto cases = testing::visibility_cases();
  // Text node k is block k (one text node per block); a token's node is the number of "\n"
  // before its start in the page text.
  std::vector<int> node_of_cp;
  int node = 0;
  for (char ch : page.text) {
    node_of_cp.push_back(node);
    node += ch == '\n';
  }
  EXPECT_EQ(node + 1, static_cast<int>(cases.size()) * instances);
  if (node + 1 != static_cast<int>(cases.size()) * instances) return {};
  int tp = 0, fp = 0, fn = 0, tn = 0;
  std::printf("%-28s %8s %8s  %s\n", "case", "truth", "judged", "reasons");
  for (std::size_t c = 0; c < cases.size(); ++c) {
    int judged_visible = 0, total = 0;
    std::string reasons;
    for (const auto& t : page.tokens) {
      if (node_of_cp[static_cast<std::size_t>(t.start)] / instances != static_cast<int>(c)) continue;
      ++total;
      judged_visible += t.visible;
      if (!t.visible && reasons.find(t.hidden_by) == std::string::npos) reasons += t.hidden_by + " ";
      if (cases[c].visible) (t.visible ? tp : fn)++;
      else (t.visible ? fp : tn)++;
    }
    EXPECT_EQ(total, 4 * instances) << cases[c].name;  // four whole-word tokens per block
    std::printf("%-28s %8s %5d/%-3d %s\n", cases[c].name.c_str(), cases[c].visible ? "visible" : "hidden",
                judged_visible, total, reasons.c_str());
  }
  const double precision = tp / double(tp + fp), recall = tp / double(tp + fn);  // printed
  std::printf("pixel check %s\n", pixel_check ? "on" : "off");
  std::printf("tokens: %d visible judged visible, %d hidden judged visible, %d visible judged hidden, "
              "%d hidden judged hidden\nprecision %.3f  recall %.3f\n", tp, fp, fn, tn, precision, recall);
  (void)precision, (void)recall;
  return {tp, fp, fn, tn};
}

TEST(Visibility, PrecisionAndRecallOnTheGeneratedPage) {
  // Every case the checks are built for comes out right; only the two hard cases do not.
  const Confusion c = measure(false);
  EXPECT_EQ(c.tp, 5 * 16);
  EXPECT_EQ(c.fp, 16) << "only covered_pointer_events_none passes as visible";
  EXPECT_EQ(c.fn, 16) << "only white_on_dark_image is judged hidden";
}

TEST(Visibility, ThePixelCheckSettlesTheHardCases) {
  const Confusion c = measure(true);
  EXPECT_EQ(c.tp, 6 * 16);
  EXPECT_EQ(c.fp, 0);
  EXPECT_EQ(c.fn, 0);
}

}  // namespace
}  // namespace warcpairs::render
