// Browser: posix_spawn of chromium with the two pipes on fds 3/4, NUL-framed JSON, replies
// matched by id, events handed to one handler, kill + reap of the whole process group.
#include "warcpairs/cdp/browser.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>

#include <spdlog/spdlog.h>

extern char** environ;

namespace warcpairs::cdp {
namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

namespace {

int remaining_ms(Clock::time_point deadline) {
  const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
  return left.count() > 0 ? static_cast<int>(left.count()) : 0;
}

fs::path make_profile_dir(const fs::path& parent) {
  std::string tmpl = (parent / "warcpairs-chromium-XXXXXX").string();
  if (!::mkdtemp(tmpl.data()))
    throw BrowserError(BrowserError::Kind::start,
                       "cannot create a browser profile folder under " + parent.string() + ": " +
                           std::strerror(errno));
  return tmpl;
}

}  // namespace

std::vector<std::string> browser_flags(const BrowserOptions& o, const fs::path& profile_dir) {
  std::vector<std::string> flags = {
      "--headless",
      "--remote-debugging-pipe",
      "--user-data-dir=" + profile_dir.string(),
      "--force-device-scale-factor=1",
      "--hide-scrollbars",
      "--font-render-hinting=none",
      "--disable-gpu",
      "--disable-extensions",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-default-apps",
      "--disable-sync",
      "--disable-breakpad",
      "--disable-domain-reliability",
      "--metrics-recording-only",
      "--no-first-run",
      "--no-default-browser-check",
      "--mute-audio",
      "--disable-dev-shm-usage",
      // Second guard: Fetch interception answers every request; anything that slipped past it
      // would go to a proxy nobody listens on (port 9, discard) and fail.
      "--proxy-server=http://127.0.0.1:9",
      "--proxy-bypass-list=<-loopback>",
  };
  std::string features = "--disable-features=Translate,OptimizationHints,MediaRouter,DialMediaRouteProvider";
  if (o.one_renderer) {
    features += ",site-per-process,IsolateOrigins";
    flags.push_back("--disable-site-isolation-trials");
    flags.push_back("--renderer-process-limit=1");
  }
  flags.push_back(features);
  if (o.no_sandbox) flags.push_back("--no-sandbox");
  for (const auto& f : o.extra_flags) flags.push_back(f);
  flags.push_back("about:blank");
  return flags;
}

Browser::Browser(BrowserOptions options) : options_(std::move(options)) {
  profile_dir_ = make_profile_dir(options_.profile_parent);
  int to[2], from[2];
  if (::pipe2(to, O_CLOEXEC) != 0 || ::pipe2(from, O_CLOEXEC) != 0)
    throw BrowserError(BrowserError::Kind::start, std::string("pipe: ") + std::strerror(errno));
  std::vector<std::string> args = browser_flags(options_, profile_dir_);
  args.insert(args.begin(), options_.executable);
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);

  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, to[0], 3);    // the browser reads commands on 3
  posix_spawn_file_actions_adddup2(&actions, from[1], 4);  // and writes replies on 4
  if (!options_.log_browser_stderr) {
    posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0);
    posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0);
  }
  // Chromium's renderers and zygotes are its grandchildren: when their parents go first they
  // are reparented to the nearest subreaper, us, so kill_and_reap() can wait for each of them
  // (their CPU then counts in our RUSAGE_CHILDREN, and none is left behind as an orphan).
  ::prctl(PR_SET_CHILD_SUBREAPER, 1);
  posix_spawnattr_t attr;
  posix_spawnattr_init(&attr);
  posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETPGROUP);  // its own group: killed as a whole
  posix_spawnattr_setpgroup(&attr, 0);
  const int rc = ::posix_spawnp(&pid_, options_.executable.c_str(), &actions, &attr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  posix_spawnattr_destroy(&attr);
  ::close(to[0]);
  ::close(from[1]);
  to_browser_ = to[1];
  from_browser_ = from[0];
  group_ = pid_;
  if (rc != 0) {
    pid_ = -1;
    group_ = -1;
    ::close(to_browser_);
    ::close(from_browser_);
    std::error_code ec;
    fs::remove_all(profile_dir_, ec);
    throw BrowserError(BrowserError::Kind::start,
                       "cannot start " + options_.executable + ": " + std::strerror(rc) +
                           " (install Debian's chromium: bash env/install-debian.sh)");
  }
  ::signal(SIGPIPE, SIG_IGN);  // a dead browser must surface as EPIPE, not kill us
  try {
    call("Browser.getVersion", Json::object(), {}, options_.startup_timeout_ms);
  } catch (const BrowserError& e) {
    kill_and_reap();
    throw BrowserError(BrowserError::Kind::start, std::string("browser did not start: ") + e.what());
  }
}

Browser::~Browser() {
  if (pid_ > 0 && alive()) {
    try {
      send("Browser.close");
    } catch (const std::exception&) {
    }
    for (int i = 0; i < 20 && alive(); ++i) ::usleep(50 * 1000);
  }
  kill_and_reap();
}

void Browser::kill_and_reap() {
  if (group_ > 0) {
    ::kill(-group_, SIGKILL);  // the browser's own process group (renderers, zygotes)
    int status = 0;
    if (pid_ > 0) ::waitpid(pid_, &status, 0);
    // The rest of the group comes to us as it is orphaned (subreaper): wait until no process of
    // it is left (at most ~2 s; a straggler then stays a zombie of ours, never a live orphan).
    for (int i = 0; i < 200; ++i) {
      while (::waitpid(-group_, &status, WNOHANG) > 0) {
      }
      if (::kill(-group_, 0) != 0 && errno == ESRCH && ::waitpid(-group_, &status, WNOHANG) < 0) break;
      ::usleep(10 * 1000);
    }
    pid_ = group_ = -1;
  }
  if (to_browser_ >= 0) ::close(to_browser_);
  if (from_browser_ >= 0) ::close(from_browser_);
  to_browser_ = from_browser_ = -1;
  std::error_code ec;
  if (!profile_dir_.empty()) fs::remove_all(profile_dir_, ec);
  profile_dir_.clear();
}

bool Browser::alive() {
  if (pid_ <= 0) return false;
  int status = 0;
  const pid_t r = ::waitpid(pid_, &status, WNOHANG);
  if (r == pid_) {
    pid_ = -1;
    return false;
  }
  return true;
}

void Browser::write_message(const std::string& text) {
  std::string framed = text;
  framed.push_back('\0');
  const char* p = framed.data();
  std::size_t left = framed.size();
  while (left) {
    const ssize_t n = ::write(to_browser_, p, left);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) throw BrowserError(BrowserError::Kind::crashed, "browser pipe closed on write");
    p += n;
    left -= static_cast<std::size_t>(n);
  }
}

bool Browser::read_message(std::string& out, int timeout_ms) {
  const auto deadline = Clock::now() + std::chrono::milliseconds(timeout_ms);
  char buf[1 << 16];
  for (;;) {
    const auto nul = in_buffer_.find('\0');
    if (nul != std::string::npos) {
      out.assign(in_buffer_, 0, nul);
      in_buffer_.erase(0, nul + 1);
      ++messages_in_;
      return true;
    }
    pollfd pfd{from_browser_, POLLIN, 0};
    const int pr = ::poll(&pfd, 1, remaining_ms(deadline));
    if (pr < 0 && errno == EINTR) continue;
    if (pr == 0) return false;
    const ssize_t n = ::read(from_browser_, buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) throw BrowserError(BrowserError::Kind::crashed, "browser closed its pipe (crashed or exited)");
    in_buffer_.append(buf, static_cast<std::size_t>(n));
  }
}

void Browser::send(std::string_view method, Json params, std::string_view session) {
  Json msg = {{"id", next_id()}, {"method", method}, {"params", std::move(params)}};
  if (!session.empty()) msg["sessionId"] = session;
  write_message(msg.dump());
}

void Browser::dispatch(const std::string& text, int waiting_for, Json* reply) {
  Json msg = Json::parse(text, nullptr, false);
  if (msg.is_discarded()) {
    spdlog::warn("browser sent a message that is not JSON ({} bytes), ignored", text.size());
    return;
  }
  if (msg.contains("id")) {
    if (msg["id"].get<int>() == waiting_for && reply) *reply = std::move(msg);
    else if (msg.contains("error")) ++dropped_errors_;
    return;
  }
  if (on_event_) on_event_(msg);
}

Json Browser::call(std::string_view method, Json params, std::string_view session, int timeout_ms) {
  const int id = next_id();
  Json msg = {{"id", id}, {"method", method}, {"params", std::move(params)}};
  if (!session.empty()) msg["sessionId"] = session;
  write_message(msg.dump());
  const auto deadline = Clock::now() + std::chrono::milliseconds(timeout_ms);
  Json reply;
  std::string text;
  while (reply.is_null()) {
    if (!read_message(text, remaining_ms(deadline)))
      throw BrowserError(BrowserError::Kind::hung,
                         std::string(method) + ": no reply within " + std::to_string(timeout_ms) + " ms");
    dispatch(text, id, &reply);
  }
  if (reply.contains("error"))
    throw BrowserError(BrowserError::Kind::protocol,
                       std::string(method) + ": " + reply["error"].value("message", std::string("error")));
  return reply.value("result", Json::object());
}

bool Browser::pump_until(const std::function<bool()>& done, int timeout_ms) {
  const auto deadline = Clock::now() + std::chrono::milliseconds(timeout_ms);
  std::string text;
  while (!done()) {
    const int left = remaining_ms(deadline);
    if (left <= 0 || !read_message(text, left)) return done();
    dispatch(text, 0, nullptr);
  }
  return true;
}

}  // namespace warcpairs::cdp
