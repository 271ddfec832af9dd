// RunLock: a second holder of the same stage's lock is refused with the first one named, other
// stages are not blocked, and the lock goes with its process, even a SIGKILLed one.
#include "../../../../src/stages/common/run_lock.h"

#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <optional>

#include "warcpairs/core/error.h"

namespace warcpairs::stages {
namespace {
namespace fs = std::filesystem;

class RunLockTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("warcpairs_run_lock_" + std::to_string(::getpid()));
    fs::remove_all(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }
  fs::path dir_;
};

TEST_F(RunLockTest, ASecondJobOfTheSameStageIsRefused) {
  std::optional<RunLock> first;
  first.emplace(dir_ / "run", "extract");  // creates the run folder
  try {
    RunLock second(dir_ / "run", "extract");
    FAIL() << "two extract locks on one run";
  } catch (const Error& e) {
    const std::string what = e.what();
    EXPECT_NE(what.find("another `warcpairs extract` is running"), std::string::npos) << what;
    EXPECT_NE(what.find("pid " + std::to_string(::getpid())), std::string::npos) << what;
  }
  RunLock other_stage(dir_ / "run", "predict");  // a different stage is not blocked
  first.reset();
  RunLock again(dir_ / "run", "extract");  // released with its holder
}

TEST_F(RunLockTest, AKilledHolderLeavesNoStaleLock) {
  fs::create_directories(dir_);
  int ready[2];
  ASSERT_EQ(::pipe(ready), 0);
  const pid_t child = ::fork();
  if (child == 0) {
    RunLock held(dir_ / "run", "score");
    char c = 1;
    (void)!::write(ready[1], &c, 1);
    ::pause();
    ::_exit(0);
  }
  char c = 0;
  ASSERT_EQ(::read(ready[0], &c, 1), 1);
  EXPECT_THROW(RunLock(dir_ / "run", "score"), Error);
  ::kill(child, SIGKILL);
  ::waitpid(child, nullptr, 0);
  EXPECT_NO_THROW(RunLock(dir_ / "run", "score"));
  ::close(ready[0]);
  ::close(ready[1]);
}

}  // namespace
}  // namespace warcpairs::stages
