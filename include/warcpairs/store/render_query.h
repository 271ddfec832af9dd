// Reads the render tables of a run's database for `export --what renders`: crops in render_id
// order, each with its page's URL and its token boxes.
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "warcpairs/store/render_record.h"

namespace warcpairs::store {

struct RenderSample {
  int64_t render_id = 0;
  std::string url, crawl_date;
  RenderRecord crop;                      // page_row unused
  std::vector<RenderTokenRecord> tokens;  // render_row unused; by position, then box
};

class RenderQuery {
 public:
  // Opens the database read-only; throws Error when it is missing or predates schema 8.
  explicit RenderQuery(const std::filesystem::path& database);
  ~RenderQuery();
  int64_t count();
  // The next crop, or false at the end.
  bool next(RenderSample& out);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace warcpairs::store
