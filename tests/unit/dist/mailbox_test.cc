// Mailbox under real mpirun: every rank sends to every rank (itself included) without
// waiting; every message arrives once, with its sender, tag and bytes.
#include "warcpairs/dist/mailbox.h"

#include <gtest/gtest.h>

#include <map>
#include <string>

namespace warcpairs::dist {
namespace {

int* g_argc;
char*** g_argv;

TEST(Mailbox, AllToAllArrivesOnce) {
  MpiSession session(g_argc, g_argv);
  {
    Mailbox box(session);
    constexpr int kPerPeer = 50;
    for (int to = 0; to < session.size(); ++to)
      for (int i = 0; i < kPerPeer; ++i)
        box.send(to, 7 + i % 3, std::to_string(session.rank()) + ":" + std::to_string(i) +
                                     std::string(static_cast<std::size_t>(i * 100), 'x'));
    std::map<std::string, int> seen;
    const int expected = kPerPeer * session.size();
    int got = 0;
    while (got < expected) {
      auto m = box.receive_within(30);
      ASSERT_TRUE(m.has_value()) << "only " << got << " of " << expected << " arrived";
      const std::string head = m->bytes.substr(0, m->bytes.find('x'));
      const int i = std::stoi(head.substr(head.find(':') + 1));
      EXPECT_EQ(std::to_string(m->from), head.substr(0, head.find(':')));
      EXPECT_EQ(m->tag, 7 + i % 3);
      EXPECT_EQ(m->bytes.size(), head.size() + static_cast<std::size_t>(i * 100));
      EXPECT_EQ(++seen[head], 1) << head;
      ++got;
    }
    EXPECT_FALSE(box.receive().has_value());
    EXPECT_EQ(box.messages_received(), expected);
    session.barrier();
  }
}

}  // namespace
}  // namespace warcpairs::dist

int main(int argc, char** argv) {
  ::testing::InitGoogleTest(&argc, argv);
  warcpairs::dist::g_argc = &argc;
  warcpairs::dist::g_argv = &argv;
  return RUN_ALL_TESTS();
}
