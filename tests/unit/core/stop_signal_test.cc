// Stop flag: real signals delivered to this process set it; nothing else does.
#include "warcpairs/core/stop_signal.h"

#include <gtest/gtest.h>

#include <csignal>

namespace warcpairs {

TEST(StopSignal, SignalsSetTheFlagAndNameTheSignal) {
  install_stop_handlers();
  for (int sig : {SIGTERM, SIGUSR1, SIGINT}) {
    reset_stop();
    EXPECT_FALSE(stop_requested());
    ASSERT_EQ(raise(sig), 0);
    EXPECT_TRUE(stop_requested());
    EXPECT_EQ(stop_signal(), sig);
  }
  reset_stop();
}

TEST(StopSignal, TheFirstReasonWins) {
  install_stop_handlers();
  reset_stop();
  request_stop();
  EXPECT_TRUE(stop_requested());
  EXPECT_EQ(stop_signal(), 0) << "a programmatic stop has no signal";
  raise(SIGUSR1);
  EXPECT_EQ(stop_signal(), 0);
  reset_stop();
}

}  // namespace warcpairs
