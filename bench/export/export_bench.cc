// export_bench RUN COPIES ROUNDS: the pairs of RUN/warcpairs.sqlite (ExportQuery, as export reads
// them), each copied COPIES times with its URLs, description and alt made unique per copy (so
// Parquet's dictionaries gain only on truly repeated columns), written by the csv, jsonl and
// parquet writers into a scratch folder, ROUNDS rounds in rotating order. Prints a table of
// rows/s (best and median of the rounds), bytes written and the ratios to JSON lines and CSV.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "../../src/stages/export/export_writer.h"
#include "warcpairs/store/export_query.h"

namespace fs = std::filesystem;
using namespace warcpairs;
using namespace warcpairs::stages;

namespace {

uint64_t folder_bytes(const fs::path& dir) {
  uint64_t n = 0;
  for (const auto& e : fs::recursive_directory_iterator(dir))
    if (e.is_regular_file()) n += e.file_size();
  return n;
}

// One export of every pair in `format` into `dir` (as run_export calls the writer: shards of
// 10,000 pairs for Parquet, one table for csv and jsonl); seconds.
double write(const std::string& format, const std::vector<PlannedPair>& pairs, const fs::path& dir) {
  fs::remove_all(dir);
  fs::create_directories(dir);
  const ExportWriter& w = export_writer(format);
  const auto start = std::chrono::steady_clock::now();
  if (w.writes_shards()) {
    ImageSource none{fs::path()};
    constexpr std::size_t kShard = 10000;
    for (std::size_t i = 0; i * kShard < pairs.size(); ++i)
      w.write_shard(dir, "train", static_cast<int64_t>(i),
                    std::span(pairs.data() + i * kShard, std::min(kShard, pairs.size() - i * kShard)), none);
  } else {
    w.write_tables(dir, pairs, {}, 10000);
  }
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 4) {
    std::fprintf(stderr, "usage: export_bench RUN COPIES ROUNDS\n");
    return 2;
  }
  const fs::path run = argv[1];
  const int copies = std::stoi(argv[2]), rounds = std::stoi(argv[3]);
  std::vector<store::ExportRow> rows;
  store::ExportQuery db(run / "warcpairs.sqlite");
  db.for_each("", 0, [&](const store::ExportRow& r) { rows.push_back(r); });
  std::vector<PlannedPair> pairs;
  int64_t id = 0;
  for (int k = 0; k < copies; ++k)
    for (const auto& r : rows) {
      PlannedPair p{r, false};
      p.row.image_id = ++id;
      // Built in two steps: GCC 12 warns falsely (-Wrestrict) on "#" + to_string(k).
      std::string tag;
      if (k > 0) tag.append(1, '#').append(std::to_string(k));
      p.row.url += tag, p.row.page_url += tag, p.row.text += tag, p.row.alt += tag;
      pairs.push_back(std::move(p));
    }
  std::printf("%zu pairs of %s x %d copies = %zu rows; %d rounds\n", rows.size(), run.c_str(), copies, pairs.size(), rounds);
  const std::vector<std::string> formats = {"jsonl", "csv", "parquet"};
  std::map<std::string, std::vector<double>> secs;
  std::map<std::string, uint64_t> bytes;
  const fs::path scratch = fs::temp_directory_path() / ("export_bench_" + std::to_string(::getpid()));
  for (int r = 0; r < rounds; ++r)
    for (std::size_t i = 0; i < formats.size(); ++i) {
      const std::string& f = formats[(i + static_cast<std::size_t>(r)) % formats.size()];
      secs[f].push_back(write(f, pairs, scratch / f));
      bytes[f] = folder_bytes(scratch / f);
    }
  fs::remove_all(scratch);
  auto best = [&](const std::string& f) { return *std::min_element(secs[f].begin(), secs[f].end()); };
  auto median = [&](const std::string& f) {
    auto v = secs[f];
    std::sort(v.begin(), v.end());
    return v[v.size() / 2];
  };
  const double n = static_cast<double>(pairs.size());
  std::printf("| format | rows/s (best) | rows/s (median) | MB written | best vs jsonl | best vs csv |\n|---|---:|---:|---:|---:|---:|\n");
  for (const auto& f : formats)
    std::printf("| %s | %.0f | %.0f | %.1f | %.2fx | %.2fx |\n", f.c_str(), n / best(f), n / median(f), bytes[f] / 1e6,
                best("jsonl") / best(f), best("csv") / best(f));
  return 0;
}
