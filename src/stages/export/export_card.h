// The dataset card (README.md) of an export.
#pragma once

#include <filesystem>
#include <string>

#include "warcpairs/stages/export/export.h"

namespace warcpairs::stages {

class ExportWriter;

// README.md: counts, cleaners and what each dropped, the writer's layout, provenance, licence
// notes.
void write_card(const std::filesystem::path& path, const ExportWriter& writer, const ExportConfig& config,
                const ExportTotals& totals, const std::string& clip_model);

}  // namespace warcpairs::stages
