// net/robots_tag.h: X-Robots-Tag read as img2dataset's is_disallowed does (downloader.py:
// values.split(":", 1); a token before the colon, lower-cased, must equal the user-agent
// token; directives split on ",", stripped, lower-cased, any in the disallowed list), and the
// page's <meta name="robots"> opt-outs.
#include "warcpairs/net/robots_tag.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <random>

namespace warcpairs::net {
namespace {

struct Case {
  const char* value;
  const char* opt_out;  // what robots_tag_opt_out returns with the default rules
};

TEST(RobotsTag, Img2datasetDefaults) {
  const OptOutRules rules;  // noai, noimageai, noindex, noimageindex; token "warcpairs"
  const Case cases[] = {
      {"noai", "noai"},
      {" NoAI ", "noai"},
      {"noimageai", "noimageai"},
      {"noindex", "noindex"},                      // in img2dataset's default list
      {"noimageindex", "noimageindex"},
      {"nofollow, noindex", "noindex"},
      {"noindex, noimageai", "noindex"},           // the first listed directive is the reason
      {"warcpairs: noai", "noai"},                 // addressed to us
      {"WarcPairs: noimageindex", "noimageindex"}, // the token is compared lower-cased
      {"otherbot: noindex", ""},                   // addressed to another bot only
      {"otherbot: noai", ""},
      {"googlebot: nofollow, otherbot:noai", ""},  // one split at the first colon: googlebot's
      {"warcpairs : noai", ""},                    // img2dataset does not strip the token
      {"", ""},
      {"nofollow, noarchive", ""},
      {"none", ""},                                // "none" is not in the list
      {"noairplane", ""},
      {"unavailable_after: 25 Jun 2010 15:00:00 PST", ""},  // read as a bot named so
      {"max-image-preview:large", ""},
      {"all", ""},
  };
  for (const Case& c : cases) EXPECT_EQ(robots_tag_opt_out(c.value, rules), c.opt_out) << c.value;
}

TEST(RobotsTag, DisallowedListAndToken) {
  OptOutRules rules;
  rules.disallowed = {"noai"};  // --disallowed-directives noai
  EXPECT_EQ(robots_tag_opt_out("noai", rules), "noai");
  EXPECT_EQ(robots_tag_opt_out("noindex", rules), "");
  EXPECT_EQ(robots_tag_opt_out("noimageai", rules), "");
  rules.disallowed.clear();  // --disallowed-directives "": nothing opts out
  EXPECT_EQ(robots_tag_opt_out("noai, noindex", rules), "");
  rules = OptOutRules{};
  rules.user_agent_token = "img2dataset";  // --user-agent-token img2dataset
  EXPECT_EQ(robots_tag_opt_out("img2dataset: noai", rules), "noai");
  EXPECT_EQ(robots_tag_opt_out("warcpairs: noai", rules), "");
}

TEST(RobotsTag, EveryFieldOfAHeaderBlock) {
  const OptOutRules rules;
  const std::string headers =
      "HTTP/1.1 200 OK\r\nContent-Type: image/jpeg\r\nX-Robots-Tag: otherbot: noai\r\n"
      "x-robots-tag: nofollow\r\nX-ROBOTS-TAG: noimageindex\r\n\r\n";
  EXPECT_EQ(headers_opt_out(headers, rules), "noimageindex");
  EXPECT_EQ(headers_opt_out("HTTP/1.1 200 OK\r\nX-Robots-Tag: otherbot: noai\r\n\r\n", rules), "");
  EXPECT_EQ(headers_opt_out("HTTP/1.1 200 OK\r\n\r\n", rules), "");
}

TEST(RobotsTag, MetaRobots) {
  // pages.robots as extract records it: lower case, ","-joined.
  EXPECT_EQ(meta_robots_opt_out("noai"), "noai");
  EXPECT_EQ(meta_robots_opt_out("index,follow,noimageai"), "noimageai");
  EXPECT_EQ(meta_robots_opt_out("noai,noimageai"), "noai");
  EXPECT_EQ(meta_robots_opt_out("noindex,nofollow"), "");  // search engines only
  EXPECT_EQ(meta_robots_opt_out(""), "");
  EXPECT_EQ(meta_robots_opt_out("noairplane"), "");
}

// A seeded mutation loop (GCC has no libFuzzer): values spliced from directive fragments,
// separators and random bytes never crash, and whatever comes back is "" or a listed directive.
TEST(RobotsTag, RandomValuesGiveListedDirectivesOnly) {
  const char* pieces[] = {"noai", "noimageai", "noindex", "noimageindex", "warcpairs", "otherbot",
                          ":", ",", " ", "\t", "\r\n", "NOAI", "none", "unavailable_after"};
  std::mt19937 rng(20);
  const OptOutRules rules;
  int hits = 0;
  for (int i = 0; i < 20000; ++i) {
    std::string v;
    const int n = static_cast<int>(rng() % 8);
    for (int k = 0; k < n; ++k) {
      if (rng() % 5 == 0) v.push_back(static_cast<char>(rng() % 256));
      else v += pieces[rng() % std::size(pieces)];
    }
    const std::string hit = robots_tag_opt_out(v, rules);
    if (!hit.empty()) {
      ++hits;
      EXPECT_NE(std::find(rules.disallowed.begin(), rules.disallowed.end(), hit), rules.disallowed.end()) << v;
    }
    const std::string_view meta = meta_robots_opt_out(v);
    EXPECT_TRUE(meta.empty() || meta == "noai" || meta == "noimageai") << v;
    // A value on one header line is found there too.
    if (!hit.empty() && v.find_first_of("\r\n") == std::string::npos) {
      EXPECT_FALSE(headers_opt_out("HTTP/1.1 200 OK\r\nX-Robots-Tag: " + v + "\r\n\r\n", rules).empty()) << v;
    }
  }
  EXPECT_GT(hits, 1000);  // the loop reaches the interesting cases
}

}  // namespace
}  // namespace warcpairs::net
