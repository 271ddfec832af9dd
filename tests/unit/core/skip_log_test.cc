// SkipLog: exact counts by reason, capped entries.
#include "warcpairs/core/skip_log.h"

#include <gtest/gtest.h>

#include "warcpairs/core/error.h"

namespace warcpairs {

TEST(SkipLog, CountsEveryReasonButCapsEntries) {
  SkipLog log(2);
  log.skip("gzip_corrupt", "a.warc.gz", 10, "bad header");
  log.skip("gzip_corrupt", "a.warc.gz", 20);
  log.skip("http_malformed", "a.warc.gz", 30);
  EXPECT_EQ(log.counts().at("gzip_corrupt"), 2u);
  EXPECT_EQ(log.counts().at("http_malformed"), 1u);
  EXPECT_EQ(log.total(), 3u);
  ASSERT_EQ(log.entries().size(), 2u);
  EXPECT_EQ(log.entries()[1].offset, 20);
  EXPECT_EQ(log.entries_dropped(), 1u);
}

TEST(Error, MessageLocatesFileAndOffset) {
  Error e("truncated record", "x.warc", 1234);
  EXPECT_STREQ(e.what(), "truncated record (x.warc at byte 1234)");
  EXPECT_EQ(e.offset(), 1234);
  EXPECT_STREQ(Error("no input").what(), "no input");
}

}  // namespace warcpairs
