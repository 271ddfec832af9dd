// run_render: the run lock, rank 0's plan (inputs, the shard ledger, files done dropped), one
// archive index and one browser per rank, files handed out dynamically, totals gathered on
// rank 0 into RUN/render-stats.json.
#include "warcpairs/stages/render/render.h"

#include <sys/resource.h>

#include <algorithm>
#include <chrono>

#include <nlohmann/json.hpp>
#include <spdlog/spdlog.h>

#include "file_renderer.h"
#include "../common/run_lock.h"
#include "../common/run_options.h"
#include "../common/run_stats.h"
#include "warcpairs/core/cpu_time.h"
#include "warcpairs/core/error.h"
#include "warcpairs/core/stop_signal.h"
#include "warcpairs/dist/mpi_session.h"
#include "warcpairs/dist/progress_board.h"
#include "warcpairs/dist/work_queue.h"
#include "warcpairs/render/archive.h"
#include "warcpairs/stages/common/inputs.h"
#include "warcpairs/stages/extract/progress_reporter.h"

namespace warcpairs::stages {
namespace fs = std::filesystem;
using nlohmann::json;
using Clock = std::chrono::steady_clock;

void RenderTotals::add(const RenderTotals& o) {
  files += o.files, files_already_done += o.files_already_done, files_resumed += o.files_resumed;
  files_stopped += o.files_stopped, files_left += o.files_left;
  pages += o.pages, rendered += o.rendered, crops += o.crops, tokens += o.tokens;
  visible_tokens += o.visible_tokens, token_boxes += o.token_boxes;
  requests += o.requests, fulfilled += o.fulfilled, failed_requests += o.failed_requests;
  browser_starts += o.browser_starts;
  for (const auto& [k, v] : o.failures) failures[k] += v;
  for (const auto& [k, v] : o.skips) skips[k] += v;
  for (const auto& [k, v] : o.phase_seconds) phase_seconds[k] += v;
  archive_urls = std::max(archive_urls, o.archive_urls);
  seconds = std::max(seconds, o.seconds);
  browser_seconds += o.browser_seconds, page_seconds += o.page_seconds;
  index_seconds = std::max(index_seconds, o.index_seconds);
  cpu_seconds += o.cpu_seconds, browser_cpu_seconds += o.browser_cpu_seconds;
  peak_rss_kb = std::max(peak_rss_kb, o.peak_rss_kb);
}

std::string RenderTotals::to_json() const {
  return json{{"files", files}, {"files_already_done", files_already_done}, {"files_resumed", files_resumed},
              {"files_stopped", files_stopped}, {"files_left", files_left}, {"pages", pages},
              {"rendered", rendered}, {"crops", crops}, {"tokens", tokens}, {"visible_tokens", visible_tokens},
              {"token_boxes", token_boxes}, {"requests", requests}, {"fulfilled", fulfilled},
              {"failed_requests", failed_requests}, {"browser_starts", browser_starts}, {"failures", failures},
              {"skips", skips}, {"archive_urls", archive_urls}, {"seconds", seconds},
              {"browser_seconds", browser_seconds}, {"page_seconds", page_seconds},
              {"index_seconds", index_seconds}, {"cpu_seconds", cpu_seconds}, {"browser_cpu_seconds", browser_cpu_seconds}, {"phase_seconds", phase_seconds},
              {"peak_rss_kb", peak_rss_kb}}
      .dump(2);
}

RenderTotals RenderTotals::from_json(const std::string& text) {
  const json j = json::parse(text);
  RenderTotals t;
  t.files = j["files"], t.files_already_done = j["files_already_done"], t.files_resumed = j["files_resumed"];
  t.files_stopped = j["files_stopped"], t.files_left = j["files_left"], t.pages = j["pages"];
  t.rendered = j["rendered"], t.crops = j["crops"], t.tokens = j["tokens"];
  t.visible_tokens = j["visible_tokens"], t.token_boxes = j["token_boxes"], t.requests = j["requests"];
  t.fulfilled = j["fulfilled"], t.failed_requests = j["failed_requests"], t.browser_starts = j["browser_starts"];
  t.failures = j["failures"].get<std::map<std::string, uint64_t>>();
  t.skips = j["skips"].get<std::map<std::string, uint64_t>>();
  t.archive_urls = j["archive_urls"], t.seconds = j["seconds"], t.browser_seconds = j["browser_seconds"];
  t.page_seconds = j["page_seconds"], t.index_seconds = j["index_seconds"], t.cpu_seconds = j["cpu_seconds"];
  t.browser_cpu_seconds = j.value("browser_cpu_seconds", 0.0);
  t.phase_seconds = j.value("phase_seconds", std::map<std::string, double>{});
  t.peak_rss_kb = j["peak_rss_kb"];
  return t;
}

namespace {

struct RenderPlan {
  std::vector<std::string> all_files;  // every input: requisites may sit in any of them
  std::vector<RenderTask> tasks;       // files not done yet
  uint64_t already_done = 0;
};

// Rank 0: one line of counts, then "next_part\tpath" per task, then "\t\tpath" per input.
std::string plan_text(const RenderConfig& config, const fs::path& shard_dir) {
  const InputFiles inputs = expand_inputs(config.inputs);
  fs::create_directories(shard_dir);
  if (const int stale = remove_stale_temporaries(shard_dir))
    spdlog::info("removed {} unfinished shard temporaries of an earlier run", stale);
  const auto ledger = scan_parts(shard_dir);
  uint64_t done = 0;
  std::string tasks, all;
  for (const auto& path : inputs.files) {
    all += "-\t" + path + '\n';
    const auto it = ledger.find(shard_prefix_for("render", path));
    if (it != ledger.end() && it->second.complete) {
      ++done;
      continue;
    }
    tasks += std::to_string(it == ledger.end() ? 0 : it->second.next_part()) + '\t' + path + '\n';
  }
  return std::to_string(done) + '\n' + tasks + all;
}

RenderPlan parse_plan(const std::string& text) {
  RenderPlan plan;
  std::size_t start = 0, nl = text.find('\n');
  plan.already_done = std::stoull(text.substr(0, nl));
  for (start = nl + 1; (nl = text.find('\n', start)) != std::string::npos; start = nl + 1) {
    const std::string line = text.substr(start, nl - start);
    const auto tab = line.find('\t');
    const std::string path = line.substr(tab + 1);
    if (line[0] == '-') plan.all_files.push_back(path);
    else plan.tasks.push_back({path, shard_prefix_for("render", path), std::stoi(line.substr(0, tab))});
  }
  return plan;
}

// CPU of the processes this one reaped: its browsers (cdp::Browser makes them come to us).
double children_cpu_seconds() {
  rusage u{};
  ::getrusage(RUSAGE_CHILDREN, &u);
  return static_cast<double>(u.ru_utime.tv_sec + u.ru_stime.tv_sec) +
         static_cast<double>(u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e6;
}

int64_t peak_rss_kb() {
  rusage u{};
  ::getrusage(RUSAGE_SELF, &u);
  return u.ru_maxrss;
}

void work(const RenderPlan& plan, const RenderConfig& config, const fs::path& shard_dir,
          const dist::MpiSession& session, RenderTotals& mine) {
  const auto index_started = Clock::now();
  SkipLog index_skips;
  // Every rank holds the whole index: a page's requisites may sit in any input file.
  const auto archive = config.index_dir.empty()
                           ? render::CdxjArchive::build(plan.all_files, config.limits, index_skips)
                           : render::CdxjArchive::load(config.index_dir.string(), config.limits, index_skips);
  mine.index_seconds = std::chrono::duration<double>(Clock::now() - index_started).count();
  mine.archive_urls = archive->size();
  if (session.is_root())
    spdlog::info("render: CDXJ index of {} captures ({}) in {:.1f} s ({} records skipped)", archive->size(),
                 config.index_dir.empty() ? std::to_string(plan.all_files.size()) + " input files, in memory"
                                          : config.index_dir.string() + "/index.cdxj",
                 mine.index_seconds, index_skips.total());
  const text::WordPiece wordpiece = text::WordPiece::from_vocab_file(config.vocab);
  cdp::BrowserOptions browser;
  browser.executable = config.chromium;
  browser.no_sandbox = config.no_sandbox;
  browser.one_renderer = !config.options.isolate_pages;
  render::PageRenderer renderer(browser, *archive, wordpiece, config.options);

  dist::WorkQueue queue(session, static_cast<int64_t>(plan.tasks.size()));
  dist::ProgressBoard board(session);
  ProgressReporter reporter("render", static_cast<int64_t>(plan.tasks.size()), 0, config.quiet,
                            config.progress_seconds);
  auto publish = [&](bool finished) {
    dist::RankProgress p;
    p.files = static_cast<int64_t>(mine.files);
    p.pages = static_cast<int64_t>(mine.rendered);
    p.images = static_cast<int64_t>(mine.crops);
    for (const auto& [k, v] : mine.failures) p.skips += static_cast<int64_t>(v);
    p.finished = finished;
    board.publish(p);
    if (session.is_root()) reporter.maybe_print(board.read());
  };
  auto tick = [&] {
    if (!stop_requested() && queue.stopped()) request_stop();
    publish(false);
  };
  while (auto index = queue.next()) {
    const RenderTask& task = plan.tasks[static_cast<std::size_t>(*index)];
    spdlog::info("begin [{}/{}] {}", *index + 1, plan.tasks.size(), task.path);
    if (task.next_part > 0) ++mine.files_resumed;
    if (render_file(task, config, shard_dir, renderer, wordpiece, mine, tick) == RenderOutcome::stopped) {
      ++mine.files_stopped;
      spdlog::warn("stopped by signal {} in {}: its committed parts are kept", stop_signal(), task.path);
    } else {
      ++mine.files;
    }
    if (stop_requested()) {
      queue.stop();
      break;
    }
  }
  mine.browser_starts = renderer.browser_starts();
  publish(true);
  if (session.is_root()) reporter.report_until_finished(board);
  session.barrier();
}

}  // namespace

RenderTotals run_render(const RenderConfig& config, const dist::MpiSession& session) {
  const auto started = Clock::now();
  const fs::path shard_dir = config.run_dir / "shards";
  const auto lock = lock_run(config.run_dir, "render", session);
  std::string text;
  on_root_sharing_usage_error(session, [&] {
    if (!fs::is_regular_file(config.vocab))
      throw UsageError("--vocab " + config.vocab.string() + " is not a file: give a WordPiece vocab.txt "
                       "(e.g. ../shared/data/vocab/bert-base-uncased-vocab.txt)");
    text = plan_text(config, shard_dir);
  });
  text = session.broadcast(text);
  const RenderPlan plan = parse_plan(text);
  if (session.is_root())
    spdlog::info("render: {} files to do ({} already done), {} ranks", plan.tasks.size(), plan.already_done,
                 session.size());
  RenderTotals mine;
  const double cpu_before = process_cpu_seconds(), children_before = children_cpu_seconds();
  work(plan, config, shard_dir, session, mine);  // its browsers are closed and reaped when it returns
  mine.cpu_seconds = process_cpu_seconds() - cpu_before;
  mine.browser_cpu_seconds = children_cpu_seconds() - children_before;
  mine.seconds = std::chrono::duration<double>(Clock::now() - started).count();
  mine.peak_rss_kb = peak_rss_kb();

  RenderTotals totals;
  const auto all = session.gather(mine.to_json());
  if (session.is_root()) {
    for (const auto& part : all) totals.add(RenderTotals::from_json(part));
    totals.files_already_done = plan.already_done;
    const uint64_t handled = totals.files + totals.files_stopped;
    totals.files_left = plan.tasks.size() > handled ? plan.tasks.size() - handled : 0;
    const auto attempts = append_attempt(config.run_dir, "render", json::parse(totals.to_json()));
    json stats = sum_attempts(attempts, {"files_left", "files_stopped", "files_already_done", "archive_urls",
                                         "peak_rss_kb", "index_seconds"});
    write_atomically(config.run_dir / "render-stats.json", stats.dump(2) + "\n");
  }
  return RenderTotals::from_json(session.broadcast(session.is_root() ? totals.to_json() : ""));
}

}  // namespace warcpairs::stages
