// A headless Chromium driven over the DevTools protocol through --remote-debugging-pipe:
// NUL-separated JSON messages on file descriptors 3 (to the browser) and 4 (from it), so no
// port and no websocket (chromedevtools.github.io/devtools-protocol).
#pragma once

#include <sys/types.h>

#include <filesystem>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "warcpairs/core/error.h"

namespace warcpairs::cdp {

using Json = nlohmann::json;

// What went wrong with the browser. `crashed` and `hung` mean the browser must be restarted;
// `protocol` is an error reply to one command (the browser is fine).
class BrowserError : public Error {
 public:
  enum class Kind { protocol, hung, crashed, start };
  BrowserError(Kind kind, const std::string& what) : Error(what), kind_(kind) {}
  Kind kind() const { return kind_; }

 private:
  Kind kind_;
};

struct BrowserOptions {
  std::string executable = "chromium";
  std::filesystem::path profile_parent = std::filesystem::temp_directory_path();
  bool no_sandbox = false;     // needed when running as root
  int startup_timeout_ms = 30000;
  // One renderer process for every page (--renderer-process-limit=1, site isolation off), as
  // opposed to Chromium's default of a new process per site: a page then costs no process
  // start-up (about a fifth of Chromium's CPU on real pages of different sites). The pages'
  // own code never runs in the browser process either way, and a hung or crashed renderer
  // restarts the browser as before.
  bool one_renderer = true;
  std::vector<std::string> extra_flags;
  bool log_browser_stderr = false;  // else the browser's stderr goes to /dev/null
};

// The fixed flags: determinism (scale factor 1, no scrollbars, no font hinting, no GPU) and no
// traffic of its own (no background networking, extensions, sync, component updates), plus a
// proxy that cannot be reached as a second guard behind Fetch interception.
std::vector<std::string> browser_flags(const BrowserOptions& options,
                                       const std::filesystem::path& profile_dir);

// One browser process. Not thread-safe; one per rank.
class Browser {
 public:
  explicit Browser(BrowserOptions options);
  ~Browser();  // Browser.close, SIGKILL after a grace period, reaps it, removes the profile
  Browser(const Browser&) = delete;
  Browser& operator=(const Browser&) = delete;

  // Sends a command and waits for its reply (events that arrive meanwhile go to the event
  // handler). Returns the reply's "result". Throws BrowserError: protocol (an error reply),
  // hung (no reply within timeout_ms), crashed (the pipe closed / the process died).
  Json call(std::string_view method, Json params = Json::object(), std::string_view session = {},
            int timeout_ms = 30000);
  // Sends a command without waiting; its reply is dropped (an error reply is counted).
  void send(std::string_view method, Json params = Json::object(), std::string_view session = {});
  // Reads and dispatches messages until done() or timeout_ms; false on timeout.
  bool pump_until(const std::function<bool()>& done, int timeout_ms);

  // Every event (a message with "method"), in arrival order.
  void set_event_handler(std::function<void(const Json&)> handler) { on_event_ = std::move(handler); }

  pid_t pid() const { return pid_; }
  bool alive();
  uint64_t dropped_errors() const { return dropped_errors_; }  // error replies to send()
  uint64_t messages_in() const { return messages_in_; }

 private:
  int next_id() { return ++last_id_; }
  void write_message(const std::string& text);
  // Reads one message (blocks up to timeout_ms); false on timeout. Throws crashed on EOF.
  bool read_message(std::string& out, int timeout_ms);
  void dispatch(const std::string& text, int waiting_for, Json* reply);
  void kill_and_reap();

  BrowserOptions options_;
  std::filesystem::path profile_dir_;
  pid_t pid_ = -1;    // -1 once reaped
  pid_t group_ = -1;  // its process group (= its pid), until every member is reaped
  int to_browser_ = -1;
  int from_browser_ = -1;
  std::string in_buffer_;
  int last_id_ = 0;
  uint64_t dropped_errors_ = 0;
  uint64_t messages_in_ = 0;
  std::function<void(const Json&)> on_event_;
};

}  // namespace warcpairs::cdp
