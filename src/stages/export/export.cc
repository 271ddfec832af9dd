// The export stage: plan on rank 0 (read the pairs, apply the cleaner chain, split), share the
// plan, write shards on every rank, then rank 0 writes tables and card and renames the
// finished folder into place (a killed export leaves only DEST.tmp-*, never half a DEST).
#include "warcpairs/stages/export/export.h"

#include <unistd.h>

#include <chrono>
#include <optional>
#include <sstream>
#include <unordered_map>
#include <unordered_set>

#include "export_card.h"
#include "export_cleaners.h"
#include "export_renders.h"
#include "export_writer.h"
#include "../common/span_model_choice.h"
#include "warcpairs/stages/common/id_list.h"
#include "warcpairs/core/crash_point.h"
#include "warcpairs/core/error.h"
#include "warcpairs/dist/mpi_session.h"
#include "warcpairs/text/span_examples.h"

namespace warcpairs::stages {
namespace fs = std::filesystem;

namespace {

struct Plan {
  std::vector<PlannedPair> train, validation;
  ExportTotals totals;
};

// Why an unscored run cannot be written in an image format: which formats need `score`.
std::string no_images_message() {
  std::vector<std::string> with, without;
  for (const auto& f : export_formats()) (f.needs_images ? with : without).push_back(f.name);
  return "the run has no images: formats " + word_list(with, "and") + " need `warcpairs score --out RUN` "
         "and `warcpairs merge --out RUN` first (" + word_list(without, "and") + " work without)";
}

// Rank 0: every pair through the chain in image_id order, then the split by page.
Plan make_plan(const ExportConfig& c, const ExportWriter& writer) {
  store::ExportQuery db(c.run_dir / "warcpairs.sqlite");
  Plan plan;
  auto& t = plan.totals;
  t.has_scores = db.has_scores();
  if (!t.has_scores && writer.needs_images()) throw UsageError(no_images_message());
  if (!t.has_scores && c.embed_images)
    throw UsageError("the run has no images to embed: run `warcpairs score --out RUN` and `warcpairs merge --out RUN` "
                     "first, or export without --embed-images");
  t.span_model = choose_span_model(db.prediction_models(), c.span_model);
  t.review_up_to = c.review == ReviewMode::ignore ? 0 : db.last_review_decision();
  CleanerChain chain = make_cleaner_chain(c, t.has_scores);
  std::optional<std::unordered_set<int64_t>> ids;  // export --ids
  if (!c.ids.empty()) ids = read_id_list(c.ids);
  t.pairs = db.for_each(t.span_model, t.review_up_to, [&](const store::ExportRow& row) {
    if (ids && (row.list_row != 0 || !ids->count(row.image_id))) {
      ++t.not_in_ids;
      return;
    }
    if (row.list_row == 0 && !c.image_kinds.takes(row.kind)) {
      ++t.skipped_kinds[row.kind];
      return;
    }
    if (!row.review.empty()) ++(row.review == "accept" ? t.reviewed_accepted
                                : row.review == "edit" ? t.reviewed_edited : t.reviewed_rejected);
    for (auto& cleaner : chain)
      if (!cleaner->keep(row)) return;
    // A list pair has no page: its image URL decides its split.
    const bool validation = text::is_validation(row.page_url.empty() ? row.url : row.page_url, c.validation_fraction);
    (validation ? plan.validation : plan.train).push_back({row, validation});
  });
  for (const auto& cleaner : chain) t.cleaners.push_back(cleaner->count());
  t.train = static_cast<int64_t>(plan.train.size());
  t.validation = static_cast<int64_t>(plan.validation.size());
  t.kept = t.train + t.validation;
  return plan;
}

// A pair's id in the plan: its image_id, or minus its list row for a `score --pairs` pair.
int64_t plan_id(const store::ExportRow& row) { return row.list_row > 0 ? -row.list_row : row.image_id; }

// Other ranks rebuild the plan from rank 0's list of kept pairs ("ID v|t" lines, plan_id,
// after the span model and the review bound): the same query, no cleaners to rerun.
std::string plan_ids(const Plan& p) {
  std::string s = p.totals.span_model + "\n" + std::to_string(p.totals.review_up_to) + "\n";
  for (const auto* set : {&p.train, &p.validation})
    for (const auto& pair : *set) s += std::to_string(plan_id(pair.row)) + (pair.validation ? " v\n" : " t\n");
  return s;
}

Plan plan_from_ids(const ExportConfig& c, const std::string& ids) {
  std::istringstream in(ids);
  Plan plan;
  std::getline(in, plan.totals.span_model);
  in >> plan.totals.review_up_to;
  std::unordered_map<int64_t, bool> kept;
  int64_t id;
  std::string split;
  while (in >> id >> split) kept[id] = split == "v";
  store::ExportQuery db(c.run_dir / "warcpairs.sqlite");
  db.for_each(plan.totals.span_model, plan.totals.review_up_to, [&](const store::ExportRow& row) {
    const auto it = kept.find(plan_id(row));
    if (it != kept.end()) (it->second ? plan.validation : plan.train).push_back({row, it->second});
  });
  return plan;
}

struct Task {
  const std::vector<PlannedPair>* pairs;
  const char* split;
  int64_t index;
};

std::vector<Task> shard_tasks(const Plan& p, int64_t shard_size) {
  std::vector<Task> tasks;
  for (const auto& [pairs, split] : {std::pair{&p.train, "train"}, std::pair{&p.validation, "validation"}})
    for (int64_t i = 0; i * shard_size < static_cast<int64_t>(pairs->size()); ++i) tasks.push_back({pairs, split, i});
  return tasks;
}

// Rank r writes tasks r, r + size, ...
void write_shards(const ExportConfig& c, const ExportWriter& writer, const Plan& p, const fs::path& tmp,
                  const dist::MpiSession& s) {
  if (!writer.writes_shards()) return;
  ImageSource images(writer.needs_images() || c.embed_images ? c.run_dir / "images" : fs::path());
  const auto tasks = shard_tasks(p, c.shard_size);
  for (std::size_t k = static_cast<std::size_t>(s.rank()); k < tasks.size(); k += static_cast<std::size_t>(s.size())) {
    const Task& t = tasks[k];
    const auto first = static_cast<std::size_t>(t.index * c.shard_size);
    const auto last = std::min(t.pairs->size(), first + static_cast<std::size_t>(c.shard_size));
    writer.write_shard(tmp, t.split, t.index, std::span(t.pairs->data() + first, last - first), images);
  }
}

void write_tables(const ExportConfig& c, const ExportWriter& writer, Plan& p, const fs::path& tmp) {
  p.totals.shards = writer.writes_shards() ? static_cast<int64_t>(shard_tasks(p, c.shard_size).size()) : 0;
  writer.write_tables(tmp, p.train, p.validation, c.shard_size);
  std::string clip_model;
  for (const auto* set : {&p.train, &p.validation})
    if (clip_model.empty() && !set->empty()) clip_model = set->front().row.clip_model;
  write_card(tmp / "README.md", writer, c, p.totals, clip_model);
}

// Rank 0, before anything is read: may DEST be written? Then a fresh DEST.tmp-PID folder.
fs::path prepare_tmp(const ExportConfig& c) {
  if (c.dest.empty()) throw UsageError("--dest DIR is required");
  if (c.shard_size < 1) throw UsageError("--shard-size must be at least 1");
  if (c.embed_images && !export_writer(c.format).can_embed_images())
    throw UsageError("--embed-images is for --format parquet (webdataset and imagefolder always hold the images; "
                     "csv and jsonl never do)");
  if (c.validation_fraction < 0 || c.validation_fraction > 1)
    throw UsageError("--validation-fraction must be in [0, 1]");
  std::error_code ec;
  if (fs::exists(c.dest, ec) && !(fs::is_directory(c.dest, ec) && fs::is_empty(c.dest, ec)) && !c.overwrite)
    throw UsageError(c.dest.string() + " exists and is not empty; choose another --dest or add --overwrite");
  const fs::path dest = fs::absolute(c.dest).lexically_normal();
  fs::path tmp = dest.parent_path() / (dest.filename().string() + ".tmp-" + std::to_string(::getpid()));
  fs::remove_all(tmp);
  fs::create_directories(tmp);
  return tmp;
}

// Swap the finished folder in: the old DEST (if any) is moved aside first, then removed.
void publish(const ExportConfig& c, const fs::path& tmp) {
  const fs::path dest = fs::absolute(c.dest).lexically_normal();
  std::error_code ec;
  fs::path old;
  if (fs::exists(dest, ec)) {
    old = dest.parent_path() / (dest.filename().string() + ".old-" + std::to_string(::getpid()));
    fs::rename(dest, old);
  }
  fs::rename(tmp, dest);
  if (!old.empty()) fs::remove_all(old);
}

// Runs `step` on every rank; an exception on any rank stops all of them with the same kind.
template <class F>
void collective(const dist::MpiSession& s, F step) {
  std::string error;
  bool usage = false;
  try {
    step();
  } catch (const UsageError& e) {
    error = e.what(), usage = true;
  } catch (const std::exception& e) {
    error = e.what();
  }
  if (s.size() == 1) {
    if (error.empty()) return;
    if (usage) throw UsageError(error);
    throw Error(error);
  }
  if (s.any(!error.empty())) {
    if (usage) throw UsageError(error);
    throw Error(error.empty() ? "export failed on another rank (see its log)" : error);
  }
}

}  // namespace

ExportTotals run_export(const ExportConfig& c, const dist::MpiSession& s) {
  const auto start = std::chrono::steady_clock::now();
  const ExportWriter& writer = export_writer(c.format);  // the same on every rank
  fs::path tmp;
  if (c.what == "renders") {  // crops of `warcpairs render` (export_renders.cc), rank 0 alone
    ExportTotals t;
    collective(s, [&] {
      if (!s.is_root()) return;
      tmp = prepare_tmp(c);
      t = export_renders(c, tmp);
      publish(c, tmp);
    });
    t.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    return t;
  }
  Plan plan;
  try {
    collective(s, [&] {
      if (s.is_root()) {
        tmp = prepare_tmp(c);
        plan = make_plan(c, writer);
      }
    });
    if (s.size() > 1) {
      tmp = s.broadcast(tmp.string());
      const std::string ids = s.broadcast(s.is_root() ? plan_ids(plan) : std::string());
      collective(s, [&] {
        if (!s.is_root()) plan = plan_from_ids(c, ids);
      });
    }
    collective(s, [&] { write_shards(c, writer, plan, tmp, s); });
    collective(s, [&] {
      if (s.is_root()) {
        write_tables(c, writer, plan, tmp);
        crash_point("export_before_publish");  // tests: a SIGKILL leaves only DEST.tmp-*
        publish(c, tmp);
      }
    });
  } catch (...) {
    std::error_code ec;
    if (s.is_root() && !tmp.empty()) fs::remove_all(tmp, ec);
    throw;
  }
  plan.totals.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return plan.totals;
}

}  // namespace warcpairs::stages
