// `warcpairs search`: options into SearchConfig, MPI session, the stage, a summary.
#include <spdlog/spdlog.h>

#include <cstdio>

#include "commands.h"
#include "warcpairs/core/error.h"
#include "warcpairs/dist/mpi_session.h"
#include "warcpairs/stages/search/search.h"

namespace warcpairs::cli {
namespace {

struct SearchCli {
  stages::SearchConfig config;
  LogOptions log;
};

int run(SearchCli& cli) {
  const auto& c = cli.config;
  const auto session = start_mpi_stage(cli.log, c.run_dir, "search");
  const auto t = stages::run_search(c, *session);
  if (session->is_root()) {
    if (t.text_indexed) std::printf("search: %lld images added to the full-text index\n", (long long)t.text_indexed);
    if (!t.kernel.empty())
      std::printf("search: %lld embeddings in %lld parts scanned by %d ranks in %.3f s (%.0f per second "
                  "per rank, %s)\n",
                  (long long)t.embeddings, (long long)t.parts, session->size(), t.scan_seconds,
                  t.scan_seconds > 0 ? double(t.embeddings) / session->size() / t.scan_seconds : 0.0,
                  t.kernel.c_str());
    std::printf("search: %lld results -> %s (%.2f s)\n", (long long)t.results, c.dest.c_str(), t.seconds);
  }
  return kExitOk;
}

}  // namespace

Runner add_search_command(CLI::App& app) {
  auto cli = std::make_shared<SearchCli>();
  auto& c = cli->config;
  auto* cmd = app.add_subcommand("search", "The best pairs of a run for a text, image or full-text "
                                           "query: an id list for export --ids and review --ids");
  cmd->add_option("-o,--out", c.run_dir, "Run directory (RUN/warcpairs.sqlite, RUN/embeddings)")->required();
  cmd->add_option("--text", c.texts, "Text to search for with CLIP, repeatable (the query is the mean of all parts)");
  cmd->add_option("--image", c.images, "Example image to search for with CLIP, repeatable")->check(CLI::ExistingFile);
  cmd->add_option("--query-vector", c.query_vector, "A query embedding made elsewhere: .npy float32 of shape (dim,) or (n, dim)")->check(CLI::ExistingFile);
  cmd->add_option("--match", c.match, "SQLite FTS5 query over alt, title, figcaption and context (\"bike AND race\"); alone, results in bm25 order; with a CLIP query, a filter");
  cmd->add_option("--where", c.where, "SQL condition over images JOIN pages LEFT JOIN scores (\"pages.language = 'en' AND scores.width >= 256\")");
  cmd->add_option("--top", c.top, "Results wanted")->check(CLI::PositiveNumber)->capture_default_str();
  cmd->add_option("--min-similarity", c.min_similarity, "Leave out pairs whose cosine similarity with the query is lower");
  cmd->add_option("--dest", c.dest, "Result list: .csv, else JSON lines (image_id, similarity, bm25, url, description)")->required();
  cmd->add_option("--clip", c.clip_dir, "CLIP checkpoint directory, for --text and --image (the one `score --clip` used)");
  cmd->add_option("--bpe", c.bpe, "CLIP BPE merges (default: CLIP_DIR/merges.txt)");
  cmd->add_option("--device", c.device, "auto, cpu, cuda or cuda:N (the query embedding)")->capture_default_str();
  cmd->add_option("--threads", c.threads, "LibTorch threads for the query embedding (0: cores / ranks per node)")->check(CLI::NonNegativeNumber)->capture_default_str();
  add_log_options(*cmd, cli->log);
  cmd->footer(
      "Examples:\n"
      "  mpirun -np 8 warcpairs search --out run1 --clip models/clip-vit-base-patch32 \\\n"
      "      --text \"bike race\" --top 10000 --dest bike.jsonl\n"
      "  warcpairs search --out run1 --match \"bike AND race\" --dest bike.csv   # no CLIP needed\n"
      "  warcpairs export --out run1 --ids bike.jsonl --format webdataset --dest bike-dataset\n"
      "Exact search: every rank scans its share of RUN/embeddings (written by merge from\n"
      "`score --clip`); ties in similarity go to the lower image_id, so the list does not depend\n"
      "on the number of ranks. See docs/search.md.");
  return [cli] { return run(*cli); };
}

}  // namespace warcpairs::cli
