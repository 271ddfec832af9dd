// The dataset card (README.md) of an export: what is in it, how it was filtered, where it came
// from and what the licence situation is. No timestamp: two exports of one run are identical.
#include "export_card.h"

#include <fstream>

#include "export_writer.h"
#include "warcpairs/core/error.h"

namespace warcpairs::stages {
namespace fs = std::filesystem;

namespace {

// What the review page's decisions did to this export.
std::string review_note(const ExportConfig& c, const ExportTotals& t) {
  if (c.review == ReviewMode::ignore) return "Review decisions (`warcpairs review`) were ignored (--review ignore).\n";
  if (t.review_up_to == 0) return "No pair had been reviewed by hand (`warcpairs review`).\n";
  return "Review decisions up to #" + std::to_string(t.review_up_to) + " applied: " +
         std::to_string(t.reviewed_accepted) + " pairs accepted, " + std::to_string(t.reviewed_edited) +
         " with the description edited by a person (column `review` = edited, the machine's in "
         "`machine_text` where the format has it), " + std::to_string(t.reviewed_rejected) + " rejected" +
         (c.review == ReviewMode::reviewed_only ? "; only reviewed pairs kept (--review reviewed-only)" : "") + ".\n";
}

}  // namespace

void write_card(const fs::path& path, const ExportWriter& writer, const ExportConfig& c, const ExportTotals& t,
                const std::string& clip_model) {
  std::ofstream out(path, std::ios::binary);
  out << "---\npretty_name: warcpairs export\ntask_categories:\n- image-to-text\n"
         "- text-to-image\nlicense: other\n---\n\n"
      << "# Image–description pairs mined from web archives\n\n"
      << "Made by `warcpairs export --format " << writer.name() << "` from the run `"
      << fs::absolute(c.run_dir).lexically_normal().string() << "`.\n\n"
      << "## Counts\n\n| | pairs |\n|---|---:|\n"
      << "| read from the database | " << t.pairs << " |\n"
      << "| kept | " << t.kept << " |\n"
      << "| train | " << t.train << " |\n"
      << "| validation | " << t.validation << " |\n\n"
      << "## Filters applied, in order\n\n| cleaner | setting | dropped |\n|---|---|---:|\n";
  for (const auto& [kind, n] : t.skipped_kinds)
    out << "| image-kinds | " << c.image_kinds.str() << " (skipped: " << kind << ") | " << n << " |\n";
  for (const auto& k : t.cleaners) out << "| " << k.name << " | " << k.setting << " | " << k.dropped << " |\n";
  if (t.cleaners.empty() && t.skipped_kinds.empty()) out << "| (none) | | 0 |\n";
  for (const auto& k : t.cleaners)
    if (k.name == "max_unsafe")
      out << "\nUnsafe-image score: pairs whose image scored above " << k.setting
          << " (or had no score) were dropped. The score is CLIP's zero-shot probability mass on "
             "a set of unsafe-content prompts against neutral ones (README, \"Unsafe-image "
             "score\"): an estimate with misses and false alarms, not a review.\n";
  out << "\n" << review_note(c, t)
      << "\nDuplicates keep the pair with the lowest image_id. Near duplicates: 64-bit DCT pHash, "
         "Hamming distance, banded index with exact recall.\n\n"
      << "## Split\n\nBy page: a pair is in validation when the hash of its page URL falls in the "
         "first " << c.validation_fraction << " of the hash range (text::is_validation), so every "
         "image of a page is in one split and the split is the same in every export.\n\n"
      << "## Layout\n\n" << writer.card_layout() << "\n\n"
      << "## Columns\n\nIn this order in CSV; unknown values are empty in CSV, null in JSON.\n\n"
      << "| column | meaning |\n|---|---|\n";
  for (const auto& column : export_columns()) out << "| " << column.name << " | " << column.meaning << " |\n";
  out << "\n## Provenance\n\n- database: `" << fs::absolute(c.run_dir / "warcpairs.sqlite").lexically_normal().string() << "`\n"
      << "- descriptions: " << (t.span_model.empty() ? "alt texts (no span model)" : "span model " + t.span_model) << "\n"
      << "- images and scores: " << (t.has_scores ? "`warcpairs score` (RUN/images)" : "not scored (no images)") << "\n"
      << "- CLIP model: " << (clip_model.empty() ? "none" : clip_model) << "\n";
  if (!c.command_line.empty()) out << "- command: `" << c.command_line << "`\n";
  out << "\n## Licence notes\n\nThe images and texts were published by third parties on the pages "
         "named in `page_url`; they keep their own copyright and licences, which this export does "
         "not change or grant. The dataset is a list of what was found, for research use; check "
         "the terms of each source before other uses. "
      << (c.include_noai ? "Pairs whose server sent an `X-Robots-Tag` opt-out, or whose page's "
                           "`<meta name=\"robots\">` says `noai` / `noimageai`, were INCLUDED on "
                           "request (--include-noai).\n"
                         : "Pairs whose server sent an `X-Robots-Tag` opt-out (by default `noai`, "
                           "`noimageai`, `noindex` or `noimageindex`, as img2dataset; score "
                           "--disallowed-directives) and pairs whose page's `<meta name=\"robots\">` "
                           "says `noai` or `noimageai` are excluded.\n");
  if (!out) throw Error("write failed", path.string());
}

}  // namespace warcpairs::stages
