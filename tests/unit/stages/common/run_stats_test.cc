// A stage's stats over the attempts of a run: every attempt is kept in the log, numbers (and
// objects of numbers) are summed over the attempts of the same group, the fields that say what
// remains are the last attempt's, and a line that does not parse is left out.
#include "../../../../src/stages/common/run_stats.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <fstream>

namespace warcpairs::stages {
namespace {
namespace fs = std::filesystem;
using nlohmann::json;

class RunStatsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("warcpairs_run_stats_" + std::to_string(::getpid()));
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }
  fs::path dir_;
};

TEST_F(RunStatsTest, AttemptsAreAppendedAndReadBack) {
  append_attempt(dir_, "score", {{"pairs", 4}});
  const auto all = append_attempt(dir_, "score", {{"pairs", 0}});
  ASSERT_EQ(all.size(), 2u);
  EXPECT_EQ(all[0]["pairs"], 4);
  EXPECT_EQ(all[1]["pairs"], 0);
  EXPECT_TRUE(fs::exists(dir_ / "logs" / "score-attempts.jsonl"));
}

TEST_F(RunStatsTest, NumbersAreSummedAndWhatRemainsIsTheLastAttempts) {
  const std::vector<json> attempts = {
      {{"pairs", 6}, {"seconds", 1.5}, {"ids_planned", 6}, {"outcomes", {{"ok", 5}, {"http_error 503", 1}}},
       {"stopped", true}, {"clip_model", ""}},
      {{"pairs", 0}, {"seconds", 0.25}, {"ids_planned", 0}, {"outcomes", {{"ok", 1}}},
       {"stopped", false}, {"clip_model", "clip-x"}}};
  const json run = sum_attempts(attempts, {"ids_planned"});
  EXPECT_EQ(run["pairs"], 6);
  EXPECT_DOUBLE_EQ(run["seconds"].get<double>(), 1.75);
  EXPECT_EQ(run["ids_planned"], 0);  // the last attempt's: nothing left to plan
  EXPECT_EQ(run["outcomes"]["ok"], 6);
  EXPECT_EQ(run["outcomes"]["http_error 503"], 1);
  EXPECT_EQ(run["stopped"], false);
  EXPECT_EQ(run["clip_model"], "clip-x");
  EXPECT_EQ(run["attempts"], 2);
  EXPECT_EQ(run["last_attempt"], attempts[1]);
}

TEST_F(RunStatsTest, OnlyTheAttemptsOfTheLastOnesGroupAreSummed) {
  const std::vector<json> attempts = {{{"model", "a"}, {"images", 10}},
                                      {{"model", "b"}, {"images", 3}},
                                      {{"model", "a"}, {"images", 2}}};
  const json run = sum_attempts(attempts, {}, "model");
  EXPECT_EQ(run["images"], 12);
  EXPECT_EQ(run["attempts"], 2);
  EXPECT_EQ(run["model"], "a");
}

TEST_F(RunStatsTest, ALineThatDoesNotParseIsLeftOut) {
  append_attempt(dir_, "predict", {{"images", 5}});
  std::ofstream(dir_ / "logs" / "predict-attempts.jsonl", std::ios::app) << "{\"images\": 9, \"cu";  // no newline
  const auto all = append_attempt(dir_, "predict", {{"images", 1}});
  ASSERT_EQ(all.size(), 2u);
  EXPECT_EQ(sum_attempts(all, {})["images"], 6);
}

}  // namespace
}  // namespace warcpairs::stages
