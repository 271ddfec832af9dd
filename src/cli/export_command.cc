// `warcpairs export`: options and a cleaner file into ExportConfig, MPI session, the stage, a
// summary line per cleaner.
#include <spdlog/spdlog.h>

#include <cstdio>
#include <map>
#include <optional>

#include "cleaner_file.h"
#include "commands.h"
#include "option_checks.h"
#include "warcpairs/core/error.h"
#include "warcpairs/dist/mpi_session.h"
#include "warcpairs/stages/export/export.h"

namespace warcpairs::cli {
namespace {

struct ExportCli {
  stages::ExportConfig config;
  LogOptions log;
  std::filesystem::path cleaner_file;
  // Cleaner options as given on the command line, by cleaner name (kCleanerNames).
  std::map<std::string, std::string> cleaners;
  // Each cleaner's value check, for the command line and the cleaner file alike.
  std::map<std::string, CLI::Validator> checks;
  std::string command_line;
  std::string image_kinds = "content";
};

// The file's chain in its order; a command-line setting replaces the file's setting of the
// same cleaner in place, or is appended (in kCleanerNames order) when the file lacks it.
std::vector<stages::CleanerSpec> cleaner_chain(const ExportCli& cli) {
  std::vector<stages::CleanerSpec> chain;
  if (!cli.cleaner_file.empty()) chain = read_cleaner_file(cli.cleaner_file);
  for (auto& spec : chain) {
    const auto check = cli.checks.find(spec.name);
    if (check == cli.checks.end()) continue;  // an unknown name: the stage lists the known ones
    if (const auto why = check->second(spec.value); !why.empty())
      throw UsageError("cleaner file " + cli.cleaner_file.string() + ": " + spec.name + ": " + why);
  }
  for (const auto& name : stages::kCleanerNames) {
    const auto it = cli.cleaners.find(name);
    if (it == cli.cleaners.end()) continue;
    bool replaced = false;
    for (auto& spec : chain)
      if (spec.name == name) spec.value = it->second, replaced = true;
    if (!replaced) chain.push_back({name, it->second});
  }
  return chain;
}

int run(ExportCli& cli) {
  auto& c = cli.config;
  c.cleaners = cleaner_chain(cli);
  c.image_kinds = stages::ImageKindFilter::parse(cli.image_kinds);
  c.command_line = cli.command_line;
  dist::MpiSession session(nullptr, nullptr);
  configure_logging(cli.log, session.rank(), session.size());
  const auto t = stages::run_export(c, session);
  if (session.is_root() && !cli.log.quiet) {
    if (!c.ids.empty())
      std::printf("  %-17s %-40s skipped %lld\n", "ids", c.ids.c_str(), (long long)t.not_in_ids);
    if (!t.skipped_kinds.empty())
      std::printf("  %-17s %-40s skipped %s\n", "image-kinds", c.image_kinds.str().c_str(),
                  stages::describe(t.skipped_kinds).c_str());
    for (const auto& k : t.cleaners)
      std::printf("  %-17s %-40s dropped %lld\n", k.name.c_str(), k.setting.c_str(), (long long)k.dropped);
    if (c.what == "renders") {
      std::printf("export: %lld crops of rendered pages, %lld shards, %s in %.1f s -> %s\n", (long long)t.kept,
                  (long long)t.shards, c.format.c_str(), t.seconds, c.dest.c_str());
    } else {
      std::printf("export: %lld pairs read, %lld kept (%lld train, %lld validation), %lld shards, "
                  "%s in %.1f s -> %s\n",
                  (long long)t.pairs, (long long)t.kept, (long long)t.train, (long long)t.validation,
                  (long long)t.shards, c.format.c_str(), t.seconds, c.dest.c_str());
    }
    if (t.review_up_to > 0)
      std::printf("export: review decisions up to #%lld: %lld accepted, %lld edited, %lld rejected\n",
                  (long long)t.review_up_to, (long long)t.reviewed_accepted, (long long)t.reviewed_edited,
                  (long long)t.reviewed_rejected);
  }
  return kExitOk;
}

void add_cleaner_option(CLI::App* cmd, ExportCli& cli, const std::string& flag, const std::string& name,
                        const std::string& help, const CLI::Validator& check) {
  cli.checks.emplace(name, check);
  cmd->add_option_function<std::string>(
         flag, [&cli, name](const std::string& v) { cli.cleaners[name] = v; }, help)
      ->check(check)
      ->group("Cleaners");
}

}  // namespace

Runner add_export_command(CLI::App& app) {
  auto cli = std::make_shared<ExportCli>();
  auto& c = cli->config;
  // The formats as the stage registers them: a new one needs no edit here.
  std::vector<std::string> names, summaries;
  for (const auto& f : stages::export_formats()) names.push_back(f.name), summaries.push_back(f.summary);
  auto* cmd = app.add_subcommand("export", "Write the run's pairs as a dataset: " +
                                               stages::word_list(summaries, "or") + ", after cleaners");
  cmd->add_option("-o,--out", c.run_dir, "Run directory (RUN/warcpairs.sqlite, RUN/images)")->required();
  cmd->add_option("--dest", c.dest, "Dataset folder to create (atomically)")->required();
  cmd->add_option("--format", c.format, stages::word_list(names, "or"))->check(CLI::IsMember(names))->required();
  cmd->add_option("--span-model", c.span_model, "Whose predictions are the descriptions (default: the only model; none: alt texts)");
  cmd->add_option("--validation-fraction", c.validation_fraction,
                  "Share of pages in the validation split, in [0, 1] (0: none; lower than train's 0.1: "
                  "a dataset keeps most pairs for training)")
      ->check(CLI::Range(0.0, 1.0))->capture_default_str();
  cmd->add_option("--shard-size", c.shard_size, "Samples per WebDataset shard / imagefolder part")->check(CLI::PositiveNumber)->capture_default_str();
  cmd->add_flag("--overwrite", c.overwrite, "Replace a non-empty --dest");
  cmd->add_flag("--embed-images", c.embed_images, "parquet: put each JPEG in an `image` column {bytes, path} (needs a scored run)");
  cmd->add_option("--what", c.what,
                  "pairs (image-description pairs) or renders (crops of `warcpairs render` with a table of "
                  "token boxes each: webdataset, imagefolder or csv)")
      ->check(CLI::IsMember({"pairs", "renders"}))->capture_default_str();
  cmd->add_option("--cleaners", cli->cleaner_file, "TOML file with a [cleaners] table (applied in file order)")->group("Cleaners");
  add_cleaner_option(cmd, *cli, "--min-clip", "min_clip", "Drop pairs whose CLIP similarity (description) is below this, or unknown",
                     CLI::Range(-1.0, 1.0));
  add_cleaner_option(cmd, *cli, "--min-width", "min_width", "Drop images narrower than this (original pixels)", integer_at_least(0));
  add_cleaner_option(cmd, *cli, "--min-height", "min_height", "Drop images lower than this", integer_at_least(0));
  add_cleaner_option(cmd, *cli, "--max-aspect-ratio", "max_aspect_ratio", "Drop images whose long side / short side exceeds this",
                     number_at_least(1));
  add_cleaner_option(cmd, *cli, "--min-words", "min_words", "Drop descriptions with fewer words", integer_at_least(0));
  add_cleaner_option(cmd, *cli, "--max-words", "max_words", "Drop descriptions with more words", integer_at_least(0));
  add_cleaner_option(cmd, *cli, "--exact-duplicates", "exact_duplicates", "true: keep one pair per image sha256",
                     CLI::IsMember({"true", "false", "1", "0"}));
  add_cleaner_option(cmd, *cli, "--near-duplicates", "near_duplicates", "Drop images within this pHash Hamming distance of a kept one",
                     CLI::Range(0, 32));
  add_cleaner_option(cmd, *cli, "--languages", "languages",
                     "Keep only pairs in these languages (comma list of BCP 47 tags), by the detected "
                     "language (CLD2: description, else context, else page text), else <html lang>",
                     CLI::Validator());
  add_cleaner_option(cmd, *cli, "--max-unsafe", "max_unsafe",
                     "Drop pairs whose unsafe-image score (score --clip; models/unsafe-prompts.tsv "
                     "suggests 0.5) is above this, or unknown",
                     CLI::Range(0.0, 1.0));
  cmd->add_option("--image-kinds", cli->image_kinds, stages::kImageKindsHelp)->capture_default_str();
  cmd->add_option("--ids", c.ids, "Export only the images of this list (`warcpairs search --dest`: JSON lines or CSV with image_id, or one id per line); the kinds and cleaners still apply")->check(CLI::ExistingFile);
  cmd->add_flag("--include-noai", c.include_noai,
                "Keep pairs whose server sent an X-Robots-Tag opt-out, or whose page's "
                "<meta name=\"robots\"> says noai/noimageai");
  cmd->add_option("--review", c.review,
                  "Decisions made with `warcpairs review`: apply (drop rejected, use edited descriptions), "
                  "ignore, or reviewed-only (keep only accepted and edited pairs)")
      ->transform(CLI::CheckedTransformer(std::map<std::string, stages::ReviewMode>{
          {"apply", stages::ReviewMode::apply}, {"ignore", stages::ReviewMode::ignore},
          {"reviewed-only", stages::ReviewMode::reviewed_only}}))
      ->default_str("apply");
  add_log_options(*cmd, cli->log);
  cmd->footer(
      "Examples:\n"
      "  warcpairs export --out run1 --dest ds --format webdataset --min-clip 0.28 --exact-duplicates true --near-duplicates 3\n"
      "  mpirun -np 4 warcpairs export --out run1 --dest hf --format imagefolder --cleaners cleaners.toml\n"
      "  warcpairs export --out run1 --dest pairs --format csv --languages en,de\n"
      "  warcpairs export --out run1 --dest pq --format parquet --embed-images\n"
      "Cleaners run in order: noai, page_noai, no_image (scored runs), then the file's [cleaners], then the\n"
      "command line's. The split is by page URL hash (a `score --pairs` pair's: its image URL),\n"
      "the same in every export. Pairs scored from a list (score --pairs) follow the database's.\n"
      "The counts go into the dataset card, DEST/README.md (export writes no RUN/*-stats.json).");
  return [cli, cmd] {
    cli->command_line = "warcpairs export";
    for (const auto* opt : cmd->get_options())
      if (opt->count() > 0 && opt->get_single_name() != "help")
        for (const auto& v : opt->results())
          cli->command_line += " --" + opt->get_single_name() + (opt->get_expected_min() == 0 ? "" : " " + v);
    return run(*cli);
  };
}

}  // namespace warcpairs::cli
