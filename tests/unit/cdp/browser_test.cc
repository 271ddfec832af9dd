// The DevTools pipe client against Debian's chromium: commands and replies, events, a page that
// never answers (hang), a killed browser (crash). Fails, never skips, when chromium is missing.
#include <signal.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include "warcpairs/cdp/browser.h"

namespace warcpairs::cdp {
namespace {

BrowserOptions options() {
  BrowserOptions o;
  o.no_sandbox = ::geteuid() == 0;
  return o;
}

std::string attach(Browser& b) {
  const std::string target = b.call("Target.createTarget", {{"url", "about:blank"}})["targetId"];
  return b.call("Target.attachToTarget", {{"targetId", target}, {"flatten", true}})["sessionId"];
}

TEST(Browser, EvaluatesInAPageSession) {
  Browser b(options());
  EXPECT_NE(b.call("Browser.getVersion")["product"].get<std::string>().find("Chrome/"), std::string::npos);
  const std::string session = attach(b);
  const Json r = b.call("Runtime.evaluate", {{"expression", "6 * 7"}, {"returnByValue", true}}, session);
  EXPECT_EQ(r["result"]["value"], 42);
}

TEST(Browser, ErrorReplyIsAProtocolError) {
  Browser b(options());
  try {
    b.call("No.suchMethod");
    FAIL() << "expected an error reply";
  } catch (const BrowserError& e) {
    EXPECT_EQ(e.kind(), BrowserError::Kind::protocol);
    EXPECT_TRUE(b.alive());
  }
}

TEST(Browser, EventsReachTheHandler) {
  Browser b(options());
  const std::string session = attach(b);
  int loads = 0;
  b.set_event_handler([&](const Json& ev) { loads += ev["method"] == "Page.loadEventFired"; });
  b.call("Page.enable", Json::object(), session);
  b.call("Page.navigate", {{"url", "data:text/html,<p>hi</p>"}}, session);
  EXPECT_TRUE(b.pump_until([&] { return loads > 0; }, 10000));
}

TEST(Browser, NoReplyInTimeIsAHang) {
  Browser b(options());
  const std::string session = attach(b);
  try {
    b.call("Runtime.evaluate", {{"expression", "new Promise(() => {})"}, {"awaitPromise", true}}, session, 500);
    FAIL() << "expected a hang";
  } catch (const BrowserError& e) {
    EXPECT_EQ(e.kind(), BrowserError::Kind::hung);
  }
}

TEST(Browser, KilledBrowserIsACrash) {
  Browser b(options());
  ASSERT_EQ(::kill(b.pid(), SIGKILL), 0);
  try {
    for (int i = 0; i < 100; ++i) b.call("Browser.getVersion", Json::object(), {}, 2000);
    FAIL() << "expected a crash";
  } catch (const BrowserError& e) {
    EXPECT_EQ(e.kind(), BrowserError::Kind::crashed);
  }
}

TEST(Browser, MissingExecutableFailsToStartLoudly) {
  BrowserOptions o = options();
  o.executable = "/nonexistent/chromium";
  EXPECT_THROW(Browser b(o), BrowserError);
}

}  // namespace
}  // namespace warcpairs::cdp
