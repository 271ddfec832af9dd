// export --what renders (export_renders.cc): the crops of `warcpairs render` into `tmp`.
#pragma once

#include <filesystem>

#include "warcpairs/stages/export/export.h"

namespace warcpairs::stages {

ExportTotals export_renders(const ExportConfig& config, const std::filesystem::path& tmp);

}  // namespace warcpairs::stages
