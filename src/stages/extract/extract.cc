// run_extract: expand inputs and check the options record on rank 0, hand files out
// dynamically, one shard per file, totals gathered on rank 0 into run_dir/extract-stats.json.
#include "warcpairs/stages/extract/extract.h"

#include <malloc.h>

#include <algorithm>
#include <chrono>
#include <filesystem>

#include <nlohmann/json.hpp>
#include <spdlog/spdlog.h>


#include "extract_options.h"
#include "extract_run_stats.h"
#include "file_extractor.h"
#include "../common/run_lock.h"
#include "../common/run_options.h"
#include "warcpairs/core/cpu_time.h"
#include "warcpairs/core/stop_signal.h"
#include "warcpairs/dist/progress_board.h"
#include "warcpairs/stages/extract/progress_reporter.h"
#include "warcpairs/core/error.h"
#include "warcpairs/dist/mpi_session.h"
#include "warcpairs/dist/work_queue.h"
#include "warcpairs/stages/common/inputs.h"
#include "warcpairs/stages/common/shard_ledger.h"

namespace warcpairs::stages {
namespace fs = std::filesystem;
using nlohmann::json;

void ExtractTotals::add(const ExtractTotals& o) {
  files += o.files;
  files_already_done += o.files_already_done;
  files_resumed += o.files_resumed;
  files_stopped += o.files_stopped;
  files_left += o.files_left;
  files_unreadable += o.files_unreadable;
  files_missing += o.files_missing;
  bytes += o.bytes;
  records += o.records;
  pages += o.pages;
  images += o.images;
  predictions += o.predictions;
  for (const auto& [k, v] : o.skips) skips[k] += v;
  for (const auto& [k, v] : o.repairs) repairs[k] += v;
  for (const auto& [k, v] : o.notes) notes[k] += v;
  seconds = std::max(seconds, o.seconds);
  cpu_seconds += o.cpu_seconds;
}

std::string ExtractTotals::to_json() const {
  json j = {{"files", files},
            {"files_already_done", files_already_done},
            {"files_resumed", files_resumed},
            {"files_stopped", files_stopped},
            {"files_left", files_left},
            {"files_unreadable", files_unreadable},
            {"files_missing", files_missing},
            {"bytes", bytes},
            {"records", records},
            {"pages", pages},
            {"images", images},
            {"predictions", predictions},
            {"skips", skips},
            {"repairs", repairs},
            {"notes", notes},
            {"seconds", seconds},
            {"cpu_seconds", cpu_seconds}};
  return j.dump(2);
}

ExtractTotals ExtractTotals::from_json(const std::string& text) {
  json j = json::parse(text);
  ExtractTotals t;
  t.files = j["files"];
  t.files_already_done = j["files_already_done"];
  t.files_resumed = j["files_resumed"];
  t.files_stopped = j["files_stopped"];
  t.files_left = j["files_left"];
  t.files_unreadable = j["files_unreadable"];
  t.files_missing = j.value("files_missing", uint64_t{0});
  t.bytes = j["bytes"];
  t.records = j["records"];
  t.pages = j["pages"];
  t.images = j["images"];
  t.predictions = j.value("predictions", uint64_t{0});
  t.skips = j["skips"].get<std::map<std::string, uint64_t>>();
  t.repairs = j.value("repairs", std::map<std::string, uint64_t>{});
  t.notes = j["notes"].get<std::map<std::string, uint64_t>>();
  t.seconds = j["seconds"];
  t.cpu_seconds = j.value("cpu_seconds", 0.0);
  return t;
}

namespace {

// Largest files first (then by path): with dynamic handout this keeps one big file from
// being taken last and idling every other rank at the end.
std::vector<std::string> handout_order(std::vector<std::string> files) {
  std::vector<std::pair<uintmax_t, std::string>> sized;
  for (auto& f : files) {
    std::error_code ec;
    uintmax_t size = fs::file_size(f, ec);
    sized.emplace_back(ec ? 0 : size, std::move(f));
  }
  std::sort(sized.begin(), sized.end(),
            [](const auto& a, const auto& b) { return a.first != b.first ? a.first > b.first : a.second < b.second; });
  std::vector<std::string> out;
  for (auto& [size, f] : sized) out.push_back(std::move(f));
  return out;
}

std::vector<std::string> split_lines(const std::string& s) {
  std::vector<std::string> out;
  size_t start = 0;
  for (size_t nl; (nl = s.find('\n', start)) != std::string::npos; start = nl + 1)
    out.push_back(s.substr(start, nl - start));
  return out;
}

// What rank 0 decides before any work starts, shared with every rank as text.
struct WorkList {
  std::vector<FileTask> tasks;  // handout order
  uint64_t already_done = 0;
  uint64_t missing = 0;  // @list entries that do not exist
  int64_t total_bytes = 0;
};

// Rank 0: inputs expanded, the shard folder scanned once (the ledger), files already
// finished dropped, interrupted ones marked with their next part. A first line of counts
// (done, bytes, missing), then one line per task.
std::string plan_work(const ExtractConfig& config, const fs::path& shard_dir) {
  InputFiles inputs = expand_inputs(config.inputs);  // a bad input is refused before anything
  fs::create_directories(shard_dir);
  const int stale = remove_stale_temporaries(shard_dir);
  if (stale) spdlog::info("removed {} unfinished shard temporaries of an earlier run", stale);
  const auto ledger = scan_parts(shard_dir);
  if (!inputs.missing.empty())
    spdlog::warn("{} input list entries do not exist and are not read (first: {}); run the same "
                 "command again once they are there",
                 inputs.missing.size(), inputs.missing.front());
  uint64_t done = 0;
  int64_t bytes = 0;
  std::string lines;
  for (const auto& path : handout_order(std::move(inputs.files))) {
    const auto it = ledger.find(shard_prefix_for("extract", path));
    const int next_part = it == ledger.end() ? 0 : it->second.next_part();
    if (it != ledger.end() && it->second.complete) {
      ++done;
      continue;
    }
    std::error_code ec;
    const auto size = fs::file_size(path, ec);
    bytes += ec ? 0 : static_cast<int64_t>(size);
    lines += std::to_string(next_part) + '\t' + path + '\n';
  }
  return std::to_string(done) + '\t' + std::to_string(bytes) + '\t' +
         std::to_string(inputs.missing.size()) + '\n' + lines;
}

WorkList parse_work(const std::string& text) {
  WorkList out;
  const auto lines = split_lines(text);
  if (lines.empty()) return out;
  const auto tab = lines[0].find('\t'), tab2 = lines[0].find('\t', tab + 1);
  out.already_done = std::stoull(lines[0].substr(0, tab));
  out.total_bytes = std::stoll(lines[0].substr(tab + 1, tab2 - tab - 1));
  out.missing = std::stoull(lines[0].substr(tab2 + 1));
  for (size_t i = 1; i < lines.size(); ++i) {
    const auto t = lines[i].find('\t');
    FileTask task;
    task.path = lines[i].substr(t + 1);
    task.prefix = shard_prefix_for("extract", task.path);
    const int next_part = std::stoi(lines[i].substr(0, t));
    for (int p = 0; p < next_part; ++p) task.committed.names.push_back(part_file_name(task.prefix, p, false));
    out.tasks.push_back(std::move(task));
  }
  return out;
}

WorkList share_work(const ExtractConfig& config, const fs::path& shard_dir,
                    const dist::MpiSession& session) {
  std::string text;
  WorkList list;
  on_root_sharing_usage_error(session, [&] {
    text = plan_work(config, shard_dir);
    list = parse_work(text);
    record_extract_options(config, list.tasks);  // before any work
  });
  text = session.broadcast(text);
  if (!session.is_root()) list = parse_work(text);
  return list;
}

dist::RankProgress progress_of(const ExtractTotals& t, uint64_t current_file_bytes, bool finished) {
  dist::RankProgress p;
  p.files = static_cast<int64_t>(t.files + t.files_unreadable);  // handled, done or not
  p.bytes = static_cast<int64_t>(t.bytes + current_file_bytes);
  p.records = static_cast<int64_t>(t.records);
  p.pages = static_cast<int64_t>(t.pages);
  p.images = static_cast<int64_t>(t.images);
  for (const auto& [reason, n] : t.skips) p.skips += static_cast<int64_t>(n);
  p.finished = finished;
  return p;
}

std::unique_ptr<SpanPredictor> make_predictor(const ExtractConfig& config,
                                              const dist::MpiSession& session) {
  const dist::NodePlace node = session.node_place();
  SpanPredictorOptions o;
  o.model_dir = config.model_dir;
  o.device = config.device;
  o.local_rank = node.rank;
  o.threads = config.model_threads > 0 ? config.model_threads : node.cores_per_rank();
  o.batch_windows = config.batch_size;
  o.allow_untrained_head = config.allow_untrained_head;
  auto p = std::make_unique<SpanPredictor>(o);
  if (session.is_root())
    spdlog::info("extract: span model {} on {} for every image", p->model_version(), p->device());
  return p;
}

// Each file's reader, decoder and shard writer take ~18 MB of heap that glibc gives back to
// the kernel when the file ends (trim above 128 KiB of free top; its dynamic thresholds)
// and faults in again, zeroed, for the next file: ~1,400 page faults per file on warc-real.
// Fixed thresholds at glibc's own dynamic maxima (mmap 32 MiB, trim twice that) keep the
// heap between files; the peak, and so the RSS, is the same.
void keep_heap_between_files() {
  mallopt(M_MMAP_THRESHOLD, 32 << 20);
  mallopt(M_TRIM_THRESHOLD, 64 << 20);
}

// Takes files until the queue is empty or a stop arrives; publishes progress as it goes.
void work(const WorkList& list, const ExtractConfig& config, const fs::path& shard_dir,
          const dist::MpiSession& session, ExtractTotals& mine) {
  std::unique_ptr<SpanPredictor> predictor;
  if (!config.model_dir.empty()) predictor = make_predictor(config, session);
  keep_heap_between_files();
  FileExtractor extractor(config, shard_dir, predictor.get());
  dist::WorkQueue queue(session, static_cast<int64_t>(list.tasks.size()));
  dist::ProgressBoard board(session);
  ProgressReporter reporter("extract", static_cast<int64_t>(list.tasks.size()), list.total_bytes,
                            config.quiet, config.progress_seconds);
  auto publish = [&](uint64_t file_bytes, bool finished) {
    board.publish(progress_of(mine, file_bytes, finished));
    if (session.is_root()) reporter.maybe_print(board.read());
  };
  auto tick = [&](uint64_t file_bytes) {
    // A stop that reached another rank reaches this one within a few hundred records.
    if (!stop_requested() && queue.stopped()) request_stop();
    publish(file_bytes, false);
  };
  while (auto index = queue.next()) {
    const FileTask& task = list.tasks[static_cast<size_t>(*index)];
    spdlog::info("begin [{}/{}] {}", *index + 1, list.tasks.size(), task.path);
    if (!task.committed.names.empty()) ++mine.files_resumed;
    const uint64_t pages_before = mine.pages;
    const FileOutcome outcome = extractor.extract(task, mine, tick);
    if (outcome == FileOutcome::stopped) {
      ++mine.files_stopped;
      spdlog::warn("stopped by signal {} in {}: its finished parts are kept", stop_signal(), task.path);
    } else if (outcome == FileOutcome::unreadable) {
      spdlog::warn("not read [{}/{}] {}: not marked done, a rerun tries it again", *index + 1,
                   list.tasks.size(), task.path);
    } else {
      spdlog::info("done [{}/{}] {}: {} pages", *index + 1, list.tasks.size(), task.path,
                   mine.pages - pages_before);
    }
    if (stop_requested()) {
      queue.stop();
      break;
    }
  }
  publish(0, true);
  if (session.is_root()) reporter.report_until_finished(board);
  session.barrier();  // every rank is done with the windows before they are freed
}

}  // namespace

ExtractTotals run_extract(const ExtractConfig& config, const dist::MpiSession& session) {
  const auto started = std::chrono::steady_clock::now();
  const fs::path shard_dir = config.run_dir / "shards";
  const auto lock = lock_run(config.run_dir, "extract", session);  // one extract job per run
  const WorkList list = share_work(config, shard_dir, session);
  if (session.is_root())
    spdlog::info("extract: {} files to do ({} already done, {} missing), {} ranks",
                 list.tasks.size(), list.already_done, list.missing, session.size());

  ExtractTotals mine;
  const double cpu_before = process_cpu_seconds();
  work(list, config, shard_dir, session, mine);
  mine.cpu_seconds = process_cpu_seconds() - cpu_before;
  mine.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();

  ExtractTotals totals;
  const auto all = session.gather(mine.to_json());
  if (session.is_root()) {
    for (const auto& part : all) totals.add(ExtractTotals::from_json(part));
    totals.files_already_done = list.already_done;
    totals.files_missing = list.missing;
    const uint64_t handled = totals.files + totals.files_stopped + totals.files_unreadable;
    totals.files_left = list.tasks.size() > handled ? list.tasks.size() - handled : 0;
    // A requeued job runs extract several times: the stats file holds the run, all attempts.
    write_extract_run_stats(config.run_dir, totals);
  }
  // Every rank returns the same totals, so every rank exits with the same code.
  return ExtractTotals::from_json(session.broadcast(session.is_root() ? totals.to_json() : ""));
}

}  // namespace warcpairs::stages
