// `warcpairs score`: options into ScoreConfig, MPI session, the stage, a summary.
#include <spdlog/spdlog.h>

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <map>
#include <string>
#include <vector>

#include "commands.h"
#include "warcpairs/core/error.h"
#include "warcpairs/dist/mpi_session.h"
#include "warcpairs/net/transfer_engine.h"
#include "warcpairs/stages/score/score.h"

namespace warcpairs::cli {
namespace {

struct ScoreCli {
  stages::ScoreConfig config;
  LogOptions log;
  std::string pairs_format = "auto";
  std::string resize_mode = "border";
  std::string image_kinds = "content";
  double timeout_s = 30, connect_timeout_s = 10, max_mb = 20;
  bool ignore_noai = false;
  std::string disallowed_directives = "noai,noimageai,noindex,noimageindex";
};

// "a, B,c" → {"a", "b", "c"}; "" → {} (img2dataset's '[]': no directive opts out).
std::vector<std::string> directive_list(const std::string& s) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (start <= s.size()) {
    std::size_t end = std::min(s.find(',', start), s.size());
    std::string d = s.substr(start, end - start);
    d.erase(0, d.find_first_not_of(" \t"));
    d.erase(d.find_last_not_of(" \t") + 1);
    for (char& ch : d) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    if (!d.empty()) out.push_back(d);
    start = end + 1;
  }
  return out;
}

int run(ScoreCli& cli) {
  auto& c = cli.config;
  c.image_kinds = stages::ImageKindFilter::parse(cli.image_kinds);
  c.pairs_format = std::map<std::string, text::ListFormat>{
      {"auto", text::ListFormat::automatic}, {"tsv", text::ListFormat::tsv},
      {"csv", text::ListFormat::csv}, {"jsonl", text::ListFormat::jsonl},
      {"parquet", text::ListFormat::parquet}}.at(cli.pairs_format);
  c.resize_mode = std::map<std::string, image::ResizeMode>{
      {"keep_ratio", image::ResizeMode::keep_ratio}, {"center_crop", image::ResizeMode::center_crop},
      {"border", image::ResizeMode::border}}.at(cli.resize_mode);
  c.fetch.total_timeout_ms = static_cast<long>(cli.timeout_s * 1000);
  c.fetch.connect_timeout_ms = static_cast<long>(cli.connect_timeout_s * 1000);
  c.fetch.max_bytes = static_cast<int64_t>(cli.max_mb * 1024 * 1024);
  c.fetch.honour_noai = !cli.ignore_noai;
  c.fetch.opt_out.disallowed = directive_list(cli.disallowed_directives);
  for (char& ch : c.fetch.opt_out.user_agent_token)
    ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  const auto session = start_mpi_stage(cli.log, c.run_dir, "score");
  const auto t = stages::run_score(c, *session);
  if (session->is_root()) {
    if (t.ids_planned == 0 && !t.stopped)
      std::printf("score: nothing new: all %lld ids are covered by the %lld shards already "
                  "written\n",
                  (long long)t.ids_already_covered, (long long)t.shards_already_done);
    std::printf("score: %lld shards written (%lld already done), %lld new ids (%lld already "
                "covered), %lld pairs (%lld URLs): %lld "
                "images stored, %lld refused by noai, %lld failed, %lld CLIP-scored; %.1f MB in "
                "%.1f s (%.1f pairs/s); run `warcpairs merge --out %s` next\n",
                (long long)t.shards_written, (long long)t.shards_already_done,
                (long long)t.ids_planned, (long long)t.ids_already_covered, (long long)t.pairs,
                (long long)t.urls, (long long)t.ok, (long long)t.noai, (long long)t.failed,
                (long long)t.clip_scored, double(t.bytes) / 1e6, t.seconds, t.images_per_second,
                c.run_dir.c_str());
    if (!t.opt_outs.empty())
      std::printf("score: opt-outs honoured: %s\n", stages::describe(t.opt_outs).c_str());
    if (!t.skipped_kinds.empty())
      std::printf("score: pairs skipped by image kind (--image-kinds %s): %s\n",
                  c.image_kinds.str().c_str(), stages::describe(t.skipped_kinds).c_str());
    std::fputs(stages::describe_failures(t, c).c_str(), stdout);
    if (t.stopped)
      std::printf("stopped by a signal; run the same command again to go on (exit %d)\n", kExitResume);
  }
  return t.stopped ? kExitResume : kExitOk;
}

}  // namespace

Runner add_score_command(CLI::App& app) {
  auto cli = std::make_shared<ScoreCli>();
  auto& c = cli->config;
  auto* cmd = app.add_subcommand("score", "Download the images of the pairs, hash and resize them "
                                          "into WebDataset shards, score them with CLIP");
  cmd->add_option("-o,--out", c.run_dir, "Run directory (RUN/warcpairs.sqlite; RUN/images out)")->required();
  cmd->add_option("--pairs", c.pairs, "Score a URL + caption list (TSV, CSV, JSON lines, Parquet) instead of the database");
  cmd->add_option("--pairs-format", cli->pairs_format, "Format of --pairs (auto: by its extension)")->check(CLI::IsMember({"auto", "tsv", "csv", "jsonl", "parquet"}))->capture_default_str();
  cmd->add_option("--url-col", c.pairs_columns.url, "--pairs: the column of image URLs (default: url)");
  cmd->add_option("--caption-col", c.pairs_columns.caption, "--pairs: the column of captions (default: caption, else text, else description)");
  cmd->add_option("--image-kinds", cli->image_kinds, stages::kImageKindsHelp)->capture_default_str();
  cmd->add_option("--span-model", c.span_model, "Whose predictions describe the images (default: the only model; none: alt texts)");
  cmd->add_option("--clip", c.clip_dir, "CLIP checkpoint directory (Hugging Face CLIPModel); without it no CLIP scores");
  cmd->add_option("--bpe", c.bpe, "CLIP BPE merges (default: CLIP_DIR/merges.txt)");
  cmd->add_option("--device", c.device, "auto, cpu, cuda or cuda:N")->capture_default_str();
  cmd->add_option("--threads", c.threads, "For --clip: LibTorch threads per rank (0: cores / ranks per node)")->check(CLI::NonNegativeNumber)->capture_default_str();
  cmd->add_option("--clip-batch", c.clip_batch, "For --clip: images (and texts) per forward pass")->check(CLI::PositiveNumber)->capture_default_str();
  cmd->add_option("--image-size", c.image_size, "Stored image size in pixels (both sides)")->check(CLI::Range(8, 8192))->capture_default_str();
  cmd->add_option("--resize-mode", cli->resize_mode, "border: longest side to --image-size, padded with white; keep_ratio: shortest side to it; center_crop: keep_ratio, then the centre square (as img2dataset)")->check(CLI::IsMember({"keep_ratio", "center_crop", "border"}))->capture_default_str();
  cmd->add_option("--jpeg-quality", c.jpeg_quality, "JPEG quality of the stored images")->check(CLI::Range(1, 100))->capture_default_str();
  cmd->add_flag("--exact-decode", c.exact_decode,
                "Decode every JPEG at full size (pHash and CLIP input then equal imagehash's and HF's; ~2x slower on large JPEGs)");
  cmd->add_option("--max-pixels", c.max_pixels, "Refuse images with more pixels (decompression bombs)")->capture_default_str();
  cmd->add_option("--rows-per-shard", c.rows_per_shard, "Ids per shard, the unit of resuming (a tenth of predict's: a shard's images are one tar in RUN/images)")->check(CLI::PositiveNumber)->capture_default_str();
  cmd->add_option("--connections", c.fetch.max_connections, "Transfers in flight per rank")->check(CLI::PositiveNumber)->capture_default_str();
  cmd->add_option("--per-host", c.fetch.max_per_host, "Connections per host")->check(CLI::PositiveNumber)->capture_default_str();
  cmd->add_option("--timeout", cli->timeout_s, "Seconds per attempt")->check(CLI::PositiveNumber)->capture_default_str();
  cmd->add_option("--connect-timeout", cli->connect_timeout_s, "Seconds to connect")->check(CLI::PositiveNumber)->capture_default_str();
  cmd->add_option("--retries", c.fetch.retries, "Extra attempts on 5xx, 429, timeouts")->check(CLI::NonNegativeNumber)->capture_default_str();
  cmd->add_option("--max-attempts", c.max_attempts,
                  "Score runs that may download one image: a rerun retries transient failures "
                  "(DNS, connect, timeout, 5xx, 429) tried fewer times")
      ->check(CLI::PositiveNumber)->capture_default_str();
  cmd->add_flag("--retry-failed", c.retry_failed,
                "Retry every failed download of the run on this rerun, permanent ones too (4xx, "
                "blocked_address, too_large, decode errors)");
  cmd->add_option("--max-mb", cli->max_mb, "Cap on one response body")->check(CLI::PositiveNumber)->capture_default_str();
  cmd->add_option("--max-redirects", c.fetch.max_redirects, "Redirects followed per image")->check(CLI::NonNegativeNumber)->capture_default_str();
  cmd->add_option("--user-agent", c.fetch.user_agent, "User-Agent header of the downloads")->capture_default_str();
  cmd->add_flag("--ignore-noai", cli->ignore_noai,
                "Store images whose server sent an X-Robots-Tag opt-out (recorded either way), "
                "and score pairs whose page's <meta name=\"robots\"> says noai/noimageai");
  cmd->add_option("--unsafe-prompts", c.unsafe_prompts,
                  "With --clip: the prompt set of scores.unsafe (unsafe<TAB>text, neutral<TAB>text "
                  "lines; default: the built-in models/unsafe-prompts.tsv)")
      ->check(CLI::ExistingFile);
  cmd->add_option("--disallowed-directives", cli->disallowed_directives,
                  "X-Robots-Tag directives that refuse an image (comma list, as img2dataset's "
                  "--disallowed_header_directives; \"\" for none)")
      ->capture_default_str();
  cmd->add_option("--user-agent-token", c.fetch.opt_out.user_agent_token,
                  "The bot name an X-Robots-Tag \"<name>: noindex\" must give to address us "
                  "(img2dataset's --user_agent_token); directives for other bots are ignored")
      ->capture_default_str();
  cmd->add_flag("--allow-loopback", c.fetch.allow_loopback, "Allow 127.0.0.0/8 and ::1 (tests only)");
  cmd->add_option("--resolve", c.fetch.resolve,
                  "HOST:PORT:ADDRESS[,ADDRESS...], repeatable, as curl --resolve: HOST on PORT "
                  "resolves to ADDRESS (a mirror of the images; the address guard still applies)")
      ->check(CLI::Validator(
          [](std::string& v) { return net::resolve_entry_error(v); }, "HOST:PORT:ADDRESS", "resolve"));
  cmd->add_option("--connect-to", c.fetch.connect_to,
                  "HOST:PORT:CONNECT_HOST:CONNECT_PORT, repeatable, as curl --connect-to: connect "
                  "there instead, keeping the URL's host name for HTTP and TLS (an empty HOST or "
                  "PORT matches any: ':443:127.0.0.1:8443')")
      ->check(CLI::Validator(
          [](std::string& v) { return net::connect_to_entry_error(v); }, "HOST:PORT:HOST:PORT", "connect-to"));
  cmd->add_option("--ca-file", c.fetch.ca_file,
                  "CA certificates (PEM) to verify servers with, in place of the system bundle "
                  "(a mirror with its own certificate); TLS is always verified")
      ->check(CLI::ExistingFile);
  cmd->add_flag("--allow-mixed-options", c.allow_mixed_options,
               "Accept options that shape the stored images and captions (--image-size, "
               "--resize-mode, --jpeg-quality, --max-pixels, --exact-decode, --ignore-noai, "
               "--span-model, --image-kinds) other than the ones RUN/score-options.json records; the id ranges "
               "done with each go to RUN/score-range-options.jsonl");
  add_log_options(*cmd, cli->log);
  cmd->footer(
      "Examples:\n"
      "  mpirun -np 8 warcpairs score --out run1 --clip models/clip-vit-base-patch32\n"
      "  warcpairs score --out run2 --pairs pairs.tsv        # url<TAB>caption list made elsewhere\n"
      "  warcpairs score --out run3 --pairs laion.parquet --url-col URL --caption-col TEXT\n"
      "  warcpairs merge --out run1                          # -> the scores table\n"
      "Safe by default: no private, loopback, link-local, multicast or CGNAT address is ever\n"
      "connected to (checked on every connection and redirect). Each shard records the ids it\n"
      "covered; a rerun does the ids no shard covers yet (after more data was merged: exactly\n"
      "the new ones), retries transient failures (after `merge`), and with --clip scores the\n"
      "stored images that have no CLIP score yet from RUN/images, without downloading again.\n"
      "The first run records the options that shape the images and captions in\n"
      "RUN/score-options.json; a rerun with others exits 2 (a new --out, or\n"
      "--allow-mixed-options).\n"
      "Totals of all attempts on the same pairs (the last one's under \"last_attempt\"):\n"
      "RUN/score-stats.json; each attempt: RUN/logs/score-attempts.jsonl; per-rank logs:\n"
      "RUN/logs/score.rankN.log.");
  return [cli] { return run(*cli); };
}

}  // namespace warcpairs::cli
