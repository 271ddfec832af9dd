// One WARC file's HTML pages rendered into its shard parts (private to the render stage).
#pragma once

#include <filesystem>
#include <functional>
#include <string>

#include "warcpairs/render/page_renderer.h"
#include "warcpairs/stages/common/shard_ledger.h"
#include "warcpairs/stages/render/render.h"

namespace warcpairs::stages {

struct RenderTask {
  std::string path;
  std::string prefix;  // shard name prefix of the file
  int next_part = 0;   // parts committed by earlier runs
};

enum class RenderOutcome { done, stopped };

// Pages are numbered in file order; part p holds pages [p * n, (p + 1) * n), so a resumed file
// skips the pages of its committed parts without rendering them again.
RenderOutcome render_file(const RenderTask& task, const RenderConfig& config,
                          const std::filesystem::path& shard_dir, render::PageRenderer& renderer,
                          const text::WordPiece& wordpiece,
                          RenderTotals& totals, const std::function<void()>& tick);

}  // namespace warcpairs::stages
