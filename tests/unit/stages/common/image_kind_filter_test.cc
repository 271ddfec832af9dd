// ImageKindFilter: --image-kinds as users write it, and the refusals that name the kinds.
#include "warcpairs/stages/common/image_kind_filter.h"

#include <gtest/gtest.h>

#include "warcpairs/core/error.h"

namespace warcpairs::stages {
namespace {

TEST(ImageKindFilter, ParsesListsInKindOrder) {
  const ImageKindFilter f = ImageKindFilter::parse(" unknown , content");
  EXPECT_EQ(f.kinds, (std::vector<std::string>{"content", "unknown"}));
  EXPECT_EQ(f.str(), "content,unknown");
  EXPECT_TRUE(f.takes("content"));
  EXPECT_TRUE(f.takes("unknown"));
  EXPECT_FALSE(f.takes("logo"));
  EXPECT_FALSE(f.takes(""));
  const ImageKindFilter all = ImageKindFilter::parse("all");
  EXPECT_TRUE(all.kinds.empty());
  EXPECT_EQ(all.str(), "all");
  EXPECT_TRUE(all.takes("logo") && all.takes("placeholder"));
  EXPECT_EQ(ImageKindFilter::parse("content,content").kinds.size(), 1u);
}

TEST(ImageKindFilter, RefusesWhatIsNotAKind) {
  for (const char* bad : {"", " , ", "photo", "content,photo", "all,content", "Content"}) {
    try {
      ImageKindFilter::parse(bad);
      ADD_FAILURE() << "accepted '" << bad << "'";
    } catch (const UsageError& e) {
      EXPECT_NE(std::string(e.what()).find("content, logo, icon"), std::string::npos) << e.what();
    }
  }
}

TEST(ImageKindFilter, DescribesCounts) {
  EXPECT_EQ(describe({}), "none");
  EXPECT_EQ(describe({{"logo", 12}, {"icon", 3}}), "icon 3, logo 12");
}

}  // namespace
}  // namespace warcpairs::stages
