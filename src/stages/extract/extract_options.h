// Which extract options shape what extract writes, and their record in the run folder
// (common/run_options.h): RUN/extract-options.json, and RUN/extract-file-options.jsonl for the
// files of a run folder whose options were mixed with --allow-mixed-options.
#pragma once

#include <vector>

#include <nlohmann/json.hpp>

#include "file_extractor.h"
#include "warcpairs/stages/extract/extract.h"

namespace warcpairs::stages {

// The options that change the rows written, by their command-line names: --context-chars,
// --context-from, --page-text and the caps that decide which records and how much of a page are read. Not among them: part
// sizes (where parts split, not what they hold), --model (each prediction names its model),
// device, threads, batch size and progress.
nlohmann::json extract_output_options(const ExtractConfig& config);

// Rank 0, before any work: checks the options against the run folder's record (UsageError
// when they differ and the mix was not allowed). Once a folder is mixed, every run appends one
// line per file it sets out to do: {"file", "from_part", "options"}; the file's parts from
// `from_part` on were made with those options (a later line for the same file supersedes).
void record_extract_options(const ExtractConfig& config, const std::vector<FileTask>& tasks);

}  // namespace warcpairs::stages
