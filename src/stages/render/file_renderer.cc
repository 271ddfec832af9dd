// render_file: the file's HTML pages (2xx, the rule extract uses) in order, each rendered and
// written with its crops and token boxes; a part committed every pages_per_part pages.
#include "file_renderer.h"

#include <algorithm>
#include <set>

#include <nlohmann/json.hpp>
#include <spdlog/spdlog.h>

#include "warcpairs/core/stop_signal.h"
#include "warcpairs/html/page_type.h"
#include "warcpairs/store/shard.h"
#include "warcpairs/warc/http.h"
#include "warcpairs/warc/reader.h"

namespace warcpairs::stages {
namespace fs = std::filesystem;

namespace {

// A page's crops, their token boxes relative to the crop, into the shard.
void write_page(const warc::WarcRecord& rec, const render::RenderedPage& page, const std::string& browser,
                const render::RenderOptions& options, const text::WordPiece& wordpiece,
                store::ShardWriter& writer, RenderTotals& totals) {
  store::RenderPageRecord p;
  p.warc_offset = rec.offset;
  p.member_offset = rec.member_offset;
  p.url = page.url;
  p.crawl_date = rec.date();
  p.http_status = page.status;
  p.text = page.text;
  p.tokens = static_cast<int64_t>(page.tokens.size());
  p.visible_tokens = std::count_if(page.tokens.begin(), page.tokens.end(), [](const auto& t) { return t.visible; });
  p.crops = static_cast<int32_t>(page.crops.size());
  p.requests = static_cast<int64_t>(page.replay.requested);
  p.fulfilled = static_cast<int64_t>(page.replay.fulfilled);
  p.failed = static_cast<int64_t>(page.replay.failed);
  p.seconds = page.seconds;
  p.browser = browser;
  const int64_t page_row = writer.add_render_page(p);
  totals.tokens += page.tokens.size();
  totals.visible_tokens += static_cast<uint64_t>(p.visible_tokens);
  for (std::size_t c = 0; c < page.crops.size(); ++c) {
    const render::Crop& crop = page.crops[c];
    const render::Box& region = crop.region;
    std::set<int32_t> font_ids;
    for (int32_t i : crop.tokens) font_ids.insert(page.tokens[static_cast<std::size_t>(i)].font);
    nlohmann::json fonts = nlohmann::json::array();
    for (int32_t f : font_ids)
      if (f >= 0 && f < static_cast<int32_t>(page.fonts.size())) fonts.push_back(page.fonts[static_cast<std::size_t>(f)]);
    store::RenderRecord r;
    r.page_row = page_row;
    r.crop = static_cast<int32_t>(c);
    r.x = region.x, r.y = region.y, r.width = region.width, r.height = region.height;
    r.viewport_width = options.viewport_width;
    r.viewport_height = options.viewport_height;
    r.device_scale_factor = options.device_scale_factor;
    r.fonts = fonts.dump();
    r.png = crop.png;
    r.tokens = static_cast<int32_t>(crop.tokens.size());
    r.visible_tokens = crop.visible_tokens;
    const int64_t crop_row = writer.add_render(r);
    for (int32_t i : crop.tokens) {
      const render::PageToken& t = page.tokens[static_cast<std::size_t>(i)];
      const bool inside = std::all_of(t.boxes.begin(), t.boxes.end(), [&](const render::Box& b) { return region.contains(b); });
      for (std::size_t k = 0; k < t.boxes.size(); ++k) {
        const render::Box& b = t.boxes[k];
        if (!region.intersects(b)) continue;
        store::RenderTokenRecord row;
        row.render_row = crop_row;
        row.position = i;
        row.token_id = t.id;
        row.token = wordpiece.token(t.id);
        row.char_start = t.start, row.char_end = t.end;
        row.box = static_cast<int32_t>(k);
        row.x = b.x - region.x, row.y = b.y - region.y, row.width = b.width, row.height = b.height;
        row.visible = t.visible && inside;
        row.hidden_by = !t.visible ? t.hidden_by : inside ? "" : "outside_crop";
        writer.add_render_token(row);
        ++totals.token_boxes;
      }
    }
  }
  totals.crops += page.crops.size();
}

// An HTML page with a 2xx status (or a resource record of HTML), as extract counts pages.
bool is_page(const warc::WarcRecord& rec, warc::HttpParser& http) {
  warc::HttpResponse response;
  std::string error;
  std::string_view content_type, body;
  if (rec.type == warc::RecordType::response) {
    if (!http.parse(rec.block, response, error)) return false;
    if (response.status < 200 || response.status > 299) return false;
    content_type = response.header("Content-Type");
    body = response.body;
  } else {
    content_type = rec.content_type();
    body = rec.block;
  }
  return html::is_html(html::media_type(content_type), body);
}

}  // namespace

RenderOutcome render_file(const RenderTask& task, const RenderConfig& config, const fs::path& shard_dir,
                          render::PageRenderer& renderer, const text::WordPiece& wordpiece,
                          RenderTotals& totals, const std::function<void()>& tick) {
  SkipLog skips;
  warc::WarcReader reader(task.path, config.limits, skips);
  reader.set_type_filter({warc::RecordType::response, warc::RecordType::resource});
  warc::HttpParser http(config.limits);
  store::FileSummary summary;
  if (task.next_part > 0)  // the counts so far are in the latest committed part
    summary = store::ShardReader(shard_dir / part_file_name(task.prefix, task.next_part - 1, false)).file();
  summary.path = task.path;
  std::error_code ec;
  summary.size = static_cast<int64_t>(fs::file_size(task.path, ec));
  const int64_t skipped_before = summary.skipped;
  const int n = std::max(1, config.pages_per_part);
  int part = task.next_part;
  const int64_t pages_done = static_cast<int64_t>(part) * n;
  int64_t page_index = 0;
  int in_part = 0;
  std::size_t skips_written = 0;
  std::unique_ptr<store::ShardWriter> writer;
  auto open = [&] {
    writer = std::make_unique<store::ShardWriter>(shard_dir / part_file_name(task.prefix, part, false), "render");
  };
  auto commit = [&](bool last) {
    if (!writer) open();
    for (; skips_written < skips.entries().size(); ++skips_written) writer->add_skip(skips.entries()[skips_written]);
    summary.part = part;
    summary.last = last;
    summary.records = static_cast<int64_t>(reader.records_seen());
    summary.skipped = skipped_before + static_cast<int64_t>(skips.total());
    summary.status = summary.skipped ? "partial" : "ok";
    writer->set_file(summary);
    if (last) writer->commit_as(shard_dir / part_file_name(task.prefix, part, true));
    else writer->commit();
    writer.reset();
    ++part;
    in_part = 0;
  };
  render::RenderedPage page;
  render::PageFailure failure;
  while (const warc::WarcRecord* rec = reader.next()) {
    if (!is_page(*rec, http)) continue;
    if (page_index++ < pages_done) {
      if (page_index == pages_done) skips.clear();  // what the reader met before is in earlier parts
      continue;
    }
    if (stop_requested()) return RenderOutcome::stopped;  // the open part's temporary is removed
    tick();
    ++totals.pages;
    if (!writer) open();
    const std::string url(rec->target_uri());
    bool rendered = false;
    try {
      rendered = renderer.render(url, page, failure);
    } catch (const cdp::BrowserError&) {
      if (!stop_requested()) throw;
      --totals.pages;  // a browser killed by the stop signal: the page is done on resume
      return RenderOutcome::stopped;
    }
    // Under srun, Slurm signals every process of the step, Chromium's too: USR1 kills it and
    // TERM closes it, so a page that fails while a stop is pending failed because of the stop.
    // It is not recorded: the open part is dropped and the page rendered again on resume.
    if (!rendered && stop_requested()) {
      --totals.pages;
      return RenderOutcome::stopped;
    }
    if (rendered) {
      write_page(*rec, page, renderer.browser_version(), config.options, wordpiece, *writer, totals);
      ++summary.pages;
      summary.images += static_cast<int64_t>(page.crops.size());
      ++totals.rendered;
    } else {
      ++totals.failures[failure.reason];
      skips.skip(failure.reason, task.path, rec->offset, url + ": " + failure.detail);
      spdlog::info("render failed ({}): {} at byte {}: {}: {}", failure.reason, task.path, rec->offset, url,
                   failure.detail);
    }
    totals.requests += page.replay.requested;
    totals.fulfilled += page.replay.fulfilled;
    totals.failed_requests += page.replay.failed;
    totals.page_seconds += page.seconds;
    totals.browser_seconds += page.browser_seconds;
    for (const auto& [phase, seconds] : page.phases) totals.phase_seconds[phase] += seconds;
    if (++in_part == n) commit(false);
  }
  for (const auto& [reason, count] : skips.counts())
    if (!totals.failures.count(reason)) totals.skips[reason] += count;
  commit(true);
  return RenderOutcome::done;
}

}  // namespace warcpairs::stages
