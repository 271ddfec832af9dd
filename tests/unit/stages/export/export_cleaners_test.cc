// Export cleaners: the banded near-duplicate index against brute force on random hashes (exact
// recall at every distance), keep-first order, exact duplicates, thresholds with unknown
// values, words, languages, bad settings (the [cleaners] file: tests/unit/cli).
#include "../../../../src/stages/export/export_cleaners.h"

#include <gtest/gtest.h>

#include <bit>
#include <random>

#include "warcpairs/core/error.h"

namespace warcpairs::stages {
namespace {

ExportConfig with(std::vector<CleanerSpec> specs) {
  ExportConfig c;
  c.cleaners = std::move(specs);
  c.include_noai = true;  // only the cleaners under test
  c.review = ReviewMode::ignore;
  return c;
}

store::ExportRow hashed(uint64_t phash) {
  store::ExportRow r;
  r.phash = phash;
  r.has_phash = true;
  return r;
}

// Keep-first near-duplicate removal, the slow obvious way.
std::vector<bool> brute_force(const std::vector<uint64_t>& hashes, int d) {
  std::vector<uint64_t> kept;
  std::vector<bool> out;
  for (uint64_t h : hashes) {
    bool dup = false;
    for (uint64_t k : kept) dup = dup || std::popcount(k ^ h) <= d;
    if (!dup) kept.push_back(h);
    out.push_back(!dup);
  }
  return out;
}

TEST(ExportCleaners, NearDuplicatesMatchBruteForceAtEveryDistance) {
  std::mt19937_64 rng(7);
  // Clusters: a few base hashes with 0..12 random bit flips, so every distance occurs.
  std::vector<uint64_t> hashes;
  for (int base = 0; base < 40; ++base) {
    const uint64_t b = rng();
    for (int k = 0; k < 8; ++k) {
      uint64_t h = b;
      for (int f = static_cast<int>(rng() % 13); f > 0; --f) h ^= 1ull << (rng() % 64);
      hashes.push_back(h);
    }
  }
  std::shuffle(hashes.begin(), hashes.end(), rng);
  for (int d : {0, 1, 3, 4, 6, 10, 16}) {
    auto chain = make_cleaner_chain(with({{"near_duplicates", std::to_string(d)}}), false);
    ASSERT_EQ(chain.size(), 1u);
    const auto want = brute_force(hashes, d);
    int64_t dropped = 0;
    for (std::size_t i = 0; i < hashes.size(); ++i) {
      ASSERT_EQ(chain[0]->keep(hashed(hashes[i])), want[i]) << "d=" << d << " i=" << i;
      dropped += want[i] ? 0 : 1;
    }
    EXPECT_EQ(chain[0]->count().dropped, dropped);
    if (d >= 3) {
      EXPECT_GT(dropped, 0) << d;  // the test data has near pairs at these distances
    }
  }
}

TEST(ExportCleaners, ExactDuplicatesKeepTheFirstAndPassUnhashedPairs) {
  auto chain = make_cleaner_chain(with({{"exact_duplicates", "true"}}), false);
  store::ExportRow a, b, none;
  a.sha256 = std::string(64, 'a');
  b.sha256 = std::string(64, 'b');
  EXPECT_TRUE(chain[0]->keep(a));
  EXPECT_TRUE(chain[0]->keep(b));
  EXPECT_FALSE(chain[0]->keep(a));
  EXPECT_TRUE(chain[0]->keep(none));
  EXPECT_TRUE(chain[0]->keep(none));
  EXPECT_EQ(chain[0]->count().dropped, 1);
  EXPECT_TRUE(make_cleaner_chain(with({{"exact_duplicates", "false"}}), false).empty());
}

TEST(ExportCleaners, ThresholdsAndUnknownValues) {
  store::ExportRow r;
  r.text = "two words";
  auto chain = make_cleaner_chain(with({{"min_clip", "0.2"}, {"min_width", "50"}, {"max_aspect_ratio", "2"},
                                        {"min_words", "2"}, {"max_words", "2"}}), false);
  ASSERT_EQ(chain.size(), 5u);
  EXPECT_FALSE(chain[0]->keep(r));  // no CLIP score cannot pass min_clip
  r.clip_caption = 0.2;
  EXPECT_TRUE(chain[0]->keep(r));
  EXPECT_TRUE(chain[1]->keep(r));   // unknown width passes
  r.width = 49, r.height = 30;
  EXPECT_FALSE(chain[1]->keep(r));
  EXPECT_TRUE(chain[2]->keep(r));   // 49/30 < 2
  r.width = 61;
  EXPECT_FALSE(chain[2]->keep(r));  // 61/30 > 2
  EXPECT_TRUE(chain[3]->keep(r));
  EXPECT_TRUE(chain[4]->keep(r));
  r.text = "one";
  EXPECT_FALSE(chain[3]->keep(r));
  r.text = "three\xc2\xa0words\xe3\x80\x80here";  // no-break space, ideographic space
  EXPECT_FALSE(chain[4]->keep(r));
}

TEST(ExportCleaners, CountWords) {
  EXPECT_EQ(count_words(""), 0);
  EXPECT_EQ(count_words("  \t\n "), 0);
  EXPECT_EQ(count_words(" a  b\tc\n"), 3);
  EXPECT_EQ(count_words("caf\xc3\xa9 \xe2\x80\x83x"), 2);  // é is not a space; U+2003 is
}

TEST(ExportCleaners, LanguagesCompareThePrimarySubtag) {
  auto chain = make_cleaner_chain(with({{"languages", "en, DE"}}), false);
  store::ExportRow r;
  for (const auto& [lang, keep] : std::vector<std::pair<std::string, bool>>{
           {"en", true}, {"en-GB", true}, {"de_AT", true}, {"fr", false}, {"", false}}) {
    r.language = lang;
    EXPECT_EQ(chain[0]->keep(r), keep) << lang;
  }
}

TEST(ExportCleaners, ReviewNoaiAndNoImageComeFirst) {
  ExportConfig c = with({{"min_words", "1"}});
  c.include_noai = false;
  c.review = ReviewMode::apply;
  auto chain = make_cleaner_chain(c, true);
  ASSERT_EQ(chain.size(), 5u);
  EXPECT_EQ(chain[0]->count().name, "review");
  EXPECT_EQ(chain[1]->count().name, "noai");
  EXPECT_EQ(chain[2]->count().name, "page_noai");
  EXPECT_EQ(chain[3]->count().name, "no_image");
  store::ExportRow r;
  r.outcome = "http_error";
  EXPECT_FALSE(chain[3]->keep(r));
  r.outcome = "ok", r.key = "000000001";
  EXPECT_TRUE(chain[3]->keep(r));
  r.noai = true;
  EXPECT_FALSE(chain[1]->keep(r));
  // The page's <meta name="robots"> (pages.robots): noai / noimageai drop, others do not.
  for (const auto& [robots, keep] : std::vector<std::pair<std::string, bool>>{
           {"", true}, {"index,follow", true}, {"noindex", true}, {"index,noai", false}, {"noimageai", false}}) {
    r.page_robots = robots;
    EXPECT_EQ(chain[2]->keep(r), keep) << robots;
  }
  c.include_noai = true;
  EXPECT_EQ(make_cleaner_chain(c, true).size(), 3u);  // review, no_image, min_words
}

TEST(ExportCleaners, LanguagesUseTheDetectedLanguage) {
  auto chain = make_cleaner_chain(with({{"languages", "de"}}), false);
  store::ExportRow r;
  r.language = "en", r.detected_language = "de";  // the page declares en, CLD2 finds German
  EXPECT_TRUE(chain.back()->keep(r));
  r.language = "de", r.detected_language = "en";
  EXPECT_FALSE(chain.back()->keep(r));
  r.language = "de-AT", r.detected_language = "";  // nothing detected: <html lang> decides
  EXPECT_TRUE(chain.back()->keep(r));
}

TEST(ExportCleaners, MaxUnsafe) {
  auto chain = make_cleaner_chain(with({{"max_unsafe", "0.5"}}), false);
  store::ExportRow r;
  for (const auto& [unsafe, keep] : std::vector<std::pair<double, bool>>{
           {0.0, true}, {0.5, true}, {0.5000001, false}, {1.0, false}, {NAN, false}}) {
    r.unsafe = unsafe;
    EXPECT_EQ(chain.back()->keep(r), keep) << unsafe;
  }
  EXPECT_EQ(chain.back()->count().setting, "0.5");
  for (const char* bad : {"-0.1", "1.5", "high"})
    EXPECT_THROW(make_cleaner_chain(with({{"max_unsafe", bad}}), false), UsageError) << bad;
}

TEST(ExportCleaners, ReviewDecisions) {
  store::ExportRow undecided, accepted, edited, rejected;
  accepted.review = "accept", edited.review = "edit", rejected.review = "reject";
  auto keeps = [&](ReviewMode mode) {
    ExportConfig c = with({});
    c.review = mode;
    auto chain = make_cleaner_chain(c, false);
    std::vector<bool> out;
    for (const auto* r : {&undecided, &accepted, &edited, &rejected}) {
      bool keep = true;
      for (auto& k : chain) keep = keep && k->keep(*r);
      out.push_back(keep);
    }
    return out;
  };
  EXPECT_EQ(keeps(ReviewMode::apply), (std::vector<bool>{true, true, true, false}));
  EXPECT_EQ(keeps(ReviewMode::reviewed_only), (std::vector<bool>{false, true, true, false}));
  EXPECT_EQ(keeps(ReviewMode::ignore), (std::vector<bool>{true, true, true, true}));
}

TEST(ExportCleaners, BadSettingsAreUsageErrors) {
  for (const CleanerSpec& s : std::vector<CleanerSpec>{{"bogus", "1"}, {"min_clip", "high"},
                                                      {"near_duplicates", "-1"}, {"near_duplicates", "2.5"},
                                                      {"max_aspect_ratio", "0.5"}, {"exact_duplicates", "maybe"},
                                                      {"languages", " , "}})
    EXPECT_THROW(make_cleaner_chain(with({s}), false), UsageError) << s.name << "=" << s.value;
}

}  // namespace
}  // namespace warcpairs::stages
