// The options record of a run folder: written by the first run, equal options pass, a difference
// is refused naming the option and both values, an accepted mix leaves the record as it was.
#include "../../../../src/stages/common/run_options.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include "warcpairs/core/error.h"
#include "warcpairs/core/small_file.h"

namespace warcpairs::stages {
namespace {
namespace fs = std::filesystem;
using nlohmann::json;

class RunOptionsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("warcpairs_run_options_" + std::to_string(::getpid()));
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }
  fs::path dir_;
};

TEST_F(RunOptionsTest, TheFirstRunRecordsAndTheSameOptionsPass) {
  const json o = {{"context-chars", 500}, {"max-html-mb", 8}};
  EXPECT_FALSE(check_run_options(dir_, "extract", o, false).mixed);
  EXPECT_EQ(json::parse(read_small_file(dir_ / "extract-options.json", "record")), o);
  EXPECT_FALSE(fs::exists(dir_ / "extract-options.json.tmp"));
  EXPECT_FALSE(check_run_options(dir_, "extract", o, false).mixed);
}

TEST_F(RunOptionsTest, ADifferenceIsRefusedWithBothValues) {
  check_run_options(dir_, "extract", {{"context-chars", 500}, {"max-html-mb", 8}}, false);
  try {
    check_run_options(dir_, "extract", {{"context-chars", 100}, {"max-html-mb", 8}}, false);
    FAIL() << "a different --context-chars passed";
  } catch (const UsageError& e) {
    const std::string what = e.what();
    EXPECT_NE(what.find("--context-chars was 500 in the earlier run, 100 now"), std::string::npos) << what;
    EXPECT_EQ(what.find("max-html-mb was"), std::string::npos) << what;
    EXPECT_NE(what.find("--allow-mixed-options"), std::string::npos) << what;
  }
  // An option the record lacks (another build) is a difference too.
  EXPECT_THROW(check_run_options(dir_, "extract",
                                 {{"context-chars", 500}, {"max-html-mb", 8}, {"new", 1}}, false),
               UsageError);
}

TEST_F(RunOptionsTest, AnAcceptedMixKeepsTheRecord) {
  const json first = {{"context-chars", 500}};
  check_run_options(dir_, "extract", first, false);
  const RunOptionsCheck mix = check_run_options(dir_, "extract", {{"context-chars", 100}}, true);
  EXPECT_TRUE(mix.mixed);
  EXPECT_NE(mix.differences.find("100 now"), std::string::npos) << mix.differences;
  EXPECT_EQ(json::parse(read_small_file(dir_ / "extract-options.json", "record")), first);
}

TEST_F(RunOptionsTest, ARecordThatIsNotJsonIsAUsageError) {
  write_atomically(dir_ / "extract-options.json", "{not json");
  EXPECT_THROW(check_run_options(dir_, "extract", {{"context-chars", 1}}, false), UsageError);
}

}  // namespace
}  // namespace warcpairs::stages
