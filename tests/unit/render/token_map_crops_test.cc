// The pure pieces of render: tokens placed in their text node by UTF-16 offsets (accents,
// astral characters), the same ids as WordPiece over the joined text; and crop choice.
#include <gtest/gtest.h>

#include "render_fixture.h"
#include "warcpairs/render/crops.h"
#include "warcpairs/render/token_map.h"

namespace warcpairs::render {
namespace {

TEST(TokenMap, SameIdsAsTheJoinedTextAndUtf16Offsets) {
  const std::vector<std::string> nodes = {"Héllo wörld", "\xF0\x9F\x98\x80 smile", "x"};
  text::Encoding enc, whole;
  std::vector<NodeToken> toks;
  tokenize_nodes(testing::wordpiece(), nodes, enc, toks);
  testing::wordpiece().encode(page_text(nodes), whole);
  ASSERT_EQ(toks.size(), whole.ids.size());
  for (std::size_t i = 0; i < toks.size(); ++i) EXPECT_EQ(toks[i].id, whole.ids[i]);
  // "héllo" [0,5) and "wörld" [6,11) of node 0: one UTF-16 unit per code point.
  EXPECT_EQ(toks[0].node, 0);
  EXPECT_EQ(toks[0].start16, 0);
  EXPECT_EQ(toks[0].end16, 5);
  // Node 1: the emoji is two UTF-16 units, so "smile" starts at 3 (code point 2).
  const auto smile = std::find_if(toks.begin(), toks.end(), [](const NodeToken& t) {
    return testing::wordpiece().token(t.id) == "smile";
  });
  ASSERT_NE(smile, toks.end());
  EXPECT_EQ(smile->node, 1);
  EXPECT_EQ(smile->start16, 3);
  EXPECT_EQ(smile->end16, 8);
  EXPECT_EQ(toks.back().node, 2);
  EXPECT_EQ(toks.back().start16, 0);
  EXPECT_EQ(toks.back().end16, 1);
}

TEST(TokenMap, NoNodesNoTokens) {
  text::Encoding enc;
  std::vector<NodeToken> toks;
  tokenize_nodes(testing::wordpiece(), {}, enc, toks);
  EXPECT_TRUE(toks.empty());
}

// A block of 10 x 10 visible tokens of 20 x 10 px at (x0, y0).
std::vector<TokenBoxes> grid(double x0, double y0, bool visible = true) {
  std::vector<TokenBoxes> out;
  for (int r = 0; r < 10; ++r)
    for (int c = 0; c < 10; ++c) out.push_back({{{x0 + c * 20, y0 + r * 10, 18, 8}}, visible});
  return out;
}

TEST(Crops, WindowsWithEnoughVisibleTokensWholeInside) {
  auto tokens = grid(0, 0);
  const auto more = grid(600, 500);
  tokens.insert(tokens.end(), more.begin(), more.end());
  CropCriteria c;
  c.min_visible_tokens = 100;
  const auto crops = choose_crops(tokens, 1280, 1024, c);
  ASSERT_EQ(crops.size(), 2u);
  for (const auto& b : crops) {
    EXPECT_EQ(b.width, 512);
    EXPECT_EQ(b.height, 256);
    EXPECT_EQ(visible_tokens_inside(tokens, b), 100);
  }
}

TEST(Crops, HiddenTokensDoNotCountAndSmallViewportsGiveNone) {
  CropCriteria c;
  EXPECT_TRUE(choose_crops(grid(0, 0, false), 1280, 1024, c).empty());
  EXPECT_TRUE(choose_crops(grid(0, 0), 1280, 99, c).empty());  // shorter than min_height
  const auto small = choose_crops(grid(0, 0), 300, 120, c);   // the viewport is the window
  ASSERT_EQ(small.size(), 1u);
  EXPECT_EQ(small[0].width, 300);
  EXPECT_EQ(small[0].height, 120);
}

TEST(Crops, ChosenCropsDoNotOverlapAndAreCapped) {
  std::vector<TokenBoxes> tokens;
  for (int y = 0; y < 1000; y += 12)
    for (int x = 0; x < 1260; x += 20) tokens.push_back({{{double(x), double(y), 18, 10}}, true});
  CropCriteria c;
  c.max_crops = 3;
  const auto crops = choose_crops(tokens, 1280, 1024, c);
  ASSERT_EQ(crops.size(), 3u);
  for (std::size_t i = 0; i < crops.size(); ++i)
    for (std::size_t j = i + 1; j < crops.size(); ++j) EXPECT_FALSE(crops[i].intersects(crops[j]));
}

}  // namespace
}  // namespace warcpairs::render
