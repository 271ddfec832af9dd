// The review stage: start the server, print where to open it, serve until SIGINT/SIGTERM, say
// what was decided.
#include "warcpairs/stages/review/review.h"

#include <spdlog/spdlog.h>
#include <sys/stat.h>

#include <cstdio>
#include <algorithm>
#include <atomic>
#include <chrono>
#include <fstream>
#include <thread>

#include "review_server.h"
#include "warcpairs/stages/common/id_list.h"
#include "warcpairs/core/error.h"
#include "warcpairs/core/stop_signal.h"

namespace warcpairs::stages {
namespace fs = std::filesystem;

namespace {

// Written whole under a temporary name and renamed, readable by the owner only: the URL holds
// the access token, and a script polling for the file never reads half of it.
void write_url_file(const fs::path& path, const std::string& url) {
  const fs::path tmp = path.string() + ".tmp";
  const mode_t old = ::umask(077);
  {
    std::ofstream out(tmp);
    out << url << '\n';
    if (!out.flush()) {
      ::umask(old);
      throw Error("cannot write the URL file", tmp.string());
    }
  }
  ::umask(old);
  fs::rename(tmp, path);
}

// Stops the server once SIGINT/SIGTERM/SIGUSR1 arrived (core/stop_signal.h's flag, polled:
// the handlers may run on any thread, LibTorch's and OpenBLAS's included, so they only set
// the flag).
class StopOnSignal {
 public:
  explicit StopOnSignal(ReviewServer& server) {
    install_stop_handlers();
    watcher_ = std::thread([this, &server] {
      while (!done_ && !stop_requested()) std::this_thread::sleep_for(std::chrono::milliseconds(100));
      if (stop_requested()) spdlog::info("review: signal {}, stopping", stop_signal());
      server.stop();
    });
  }
  ~StopOnSignal() {
    done_ = true;
    watcher_.join();
  }

 private:
  std::atomic<bool> done_{false};
  std::thread watcher_;
};

}  // namespace

ReviewTotals run_review(const ReviewConfig& c) {
  ReviewServerOptions o;
  o.run_dir = c.run_dir;
  o.host = c.host;
  o.port = c.port;
  o.allow_remote = c.allow_remote;
  o.span_model = c.span_model;
  o.kinds = c.image_kinds.kinds;
  if (!c.ids.empty()) {
    const auto ids = read_id_list(c.ids);
    o.ids.assign(ids.begin(), ids.end());
    // An empty list shows nothing (image ids start at 1, so 0 matches no pair), not everything.
    if (ids.empty()) {
      std::printf("review: %s lists no image: the page shows no pair\n", c.ids.c_str());
      o.ids.push_back(0);
    }
    std::sort(o.ids.begin(), o.ids.end());
  }
  o.reviewer = c.reviewer;
  ReviewServer server(o);
  ReviewTotals t;
  t.skipped_kinds = server.skipped_kinds();
  if (!t.skipped_kinds.empty())
    std::printf("review: pairs not shown by image kind (--image-kinds %s): %s\n", c.image_kinds.str().c_str(),
                describe(t.skipped_kinds).c_str());
  {
    StopOnSignal stop(server);
    if (!c.url_file.empty()) write_url_file(c.url_file, server.url());
    std::printf("review: open %s  (Ctrl-C stops; decisions are saved as they are made)\n", server.url().c_str());
    std::fflush(stdout);
    server.serve();
  }
  t.decisions = server.decisions_saved();
  auto counts = server.counts();
  t.accepted = counts["accept"], t.rejected = counts["reject"], t.edited = counts["edit"];
  t.undecided = counts["undecided"], t.pairs = counts["total"];
  return t;
}

}  // namespace warcpairs::stages
