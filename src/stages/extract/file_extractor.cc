// FileExtractor: WARC records → HTML pages → image records → shard parts, counting every
// problem with its file offset.
#include "file_extractor.h"

#include <filesystem>

#include <spdlog/spdlog.h>

#include "warcpairs/core/crash_point.h"
#include "warcpairs/core/error.h"
#include "warcpairs/core/skip_log.h"
#include "warcpairs/core/stop_signal.h"
#include "warcpairs/html/page_type.h"

namespace warcpairs::stages {
namespace {

constexpr uint64_t kTickRecords = 256;

}  // namespace

FileExtractor::FileExtractor(const ExtractConfig& config, std::filesystem::path shard_dir,
                             SpanPredictor* predictor)
    : config_(config),
      shard_dir_(std::move(shard_dir)),
      predictor_(predictor),
      http_(config.limits),
      html_(html::ExtractOptions{config.context_chars, config.context_from, config.page_text,
                                 config.limits.max_html_bytes, config.limits.max_images_per_page,
                                 false, config.language_id}) {}

FileOutcome FileExtractor::extract(const FileTask& task, ExtractTotals& totals, const Tick& tick) {
  PartWriter parts(shard_dir_, task.prefix, config_.roll, task.committed, predictor_);
  store::FileSummary& sum = parts.summary();
  if (!parts.resuming()) {
    sum.path = task.path;
    std::error_code ec;
    sum.size = static_cast<int64_t>(std::filesystem::file_size(task.path, ec));
    if (ec) sum.size = 0;
  } else {
    spdlog::info("resuming {} at part {} (record at byte {})", task.path, parts.next_part(),
                 sum.resume_offset);
  }
  const int64_t records_before = sum.records, skipped_before = sum.skipped;
  const int64_t pages_before = sum.pages, images_before = sum.images;
  SkipLog skips;
  FileOutcome outcome = FileOutcome::finished;
  try {
    warc::WarcReader reader(task.path, config_.limits, skips);
    reader.set_type_filter({warc::RecordType::response, warc::RecordType::resource});
    if (parts.resuming()) reader.seek(sum.resume_offset, sum.resume_member_offset);
    while (const warc::WarcRecord* rec = reader.next()) {
      if (stop_requested() || parts.full()) {
        // `rec` opens the next part: everything read before it belongs to this one.
        sum.records = records_before + static_cast<int64_t>(reader.records_seen()) - 1;
        sum.skipped = skipped_before + static_cast<int64_t>(skips.total());
        parts.commit_part(rec->offset, rec->member_offset, skips);
        if (stop_requested()) {
          outcome = FileOutcome::stopped;
          break;
        }
      }
      crash_point("extract_record");
      handle_record(*rec, parts, skips, totals);
      if (reader.records_seen() % kTickRecords == 0) tick(reader.file_bytes_consumed());
    }
    sum.records = records_before + static_cast<int64_t>(reader.records_seen()) -
                  (outcome == FileOutcome::stopped ? 1 : 0);
    sum.status = skipped_before + static_cast<int64_t>(skips.total()) ? "partial" : "ok";
    if (outcome == FileOutcome::finished && !parts.resuming() && reader.records_seen() == 0 &&
        skips.total() == 0) {
      spdlog::warn("{}: empty WARC file, no record in it", task.path);
      ++totals.notes["file_empty"];
    }
  } catch (const Error& e) {
    // Only opening the file throws. A file not read is not done: no part is committed, so
    // the next run tries it again; the run goes on.
    skips.skip("file_unreadable", task.path, -1, e.what());
    ++totals.files_unreadable;
    ++totals.skips["file_unreadable"];
    return FileOutcome::unreadable;
  }
  sum.skipped = skipped_before + static_cast<int64_t>(skips.total());
  if (outcome == FileOutcome::finished) {
    parts.commit_last(skips);
    ++totals.files;
    totals.bytes += static_cast<uint64_t>(sum.size);
  }
  totals.records += static_cast<uint64_t>(sum.records - records_before);
  totals.predictions += static_cast<uint64_t>(parts.predictions());
  totals.pages += static_cast<uint64_t>(sum.pages - pages_before);
  totals.images += static_cast<uint64_t>(sum.images - images_before);
  for (const auto& [reason, count] : skips.counts()) totals.skips[reason] += count;
  return outcome;
}

void FileExtractor::handle_record(const warc::WarcRecord& rec, PartWriter& parts, SkipLog& skips,
                                  ExtractTotals& totals) {
  int status = 0;
  std::string_view content_type, body;
  if (rec.type == warc::RecordType::response) {
    if (!http_.parse(rec.block, response_, http_error_)) {
      // A response record that is not HTTP (e.g. dns: records) holds no page.
      if (rec.target_uri().rfind("http", 0) == 0)
        skips.skip(http_error_.empty() ? "http_malformed" : http_error_, parts.summary().path,
                   rec.offset);
      return;
    }
    if (!response_.problem.empty()) {
      // Counted, and logged with where it is: a body kept encoded is usually lost as a page.
      ++totals.notes["http_" + std::string(response_.problem)];
      spdlog::info("http body {}: {} at byte {}: {}", response_.problem, parts.summary().path,
                   rec.offset, rec.target_uri());
    }
    status = response_.status;
    content_type = response_.header("Content-Type");
    body = response_.body;
  } else {
    content_type = rec.content_type();
    body = rec.block;
  }
  const std::string media = html::media_type(content_type);
  if (!html::is_html(media, body)) return;
  if (status != 0 && (status < 200 || status > 299)) {
    ++totals.notes["html_status_not_2xx"];
    return;
  }
  html_.extract(body, rec.target_uri(), content_type, page_);
  const std::string& path = parts.summary().path;
  const std::string uri(rec.target_uri());
  if (page_.not_html) return skips.skip("binary_as_html", path, rec.offset, uri);
  if (page_.truncated) skips.skip("html_truncated", path, rec.offset, uri);
  if (page_.invalid_utf8) {
    // A repair, not a skip: the page is kept whole, the file stays `ok`.
    ++totals.repairs["invalid_utf8_replaced"];
    spdlog::info("repaired invalid_utf8_replaced: {} at byte {}: {}", path, rec.offset, uri);
  }
  if (page_.dropped_images) skips.skip("images_over_cap", path, rec.offset, uri);
  store_page(rec, status, media, parts, totals);
}

void FileExtractor::store_page(const warc::WarcRecord& rec, int status, const std::string& media,
                               PartWriter& parts, ExtractTotals& totals) {
  store::PageRecord page;
  page.warc_offset = rec.offset;
  page.member_offset = rec.member_offset;
  page.record_id = rec.record_id();
  page.url = rec.target_uri();
  page.crawl_date = rec.date();
  page.http_status = status;
  page.content_type = media.empty() ? "text/html" : media;
  page.charset = page_.charset;
  page.language = page_.language;
  page.title = page_.title;
  page.text = page_.text;
  page.text_language = page_.text_language.code;
  page.text_language_reliable = page_.text_language.reliable;
  page.text_language_percent = page_.text_language.percent;
  page.robots = page_.robots;
  page.image_count = static_cast<int32_t>(page_.images.size());
  const int64_t row = parts.add_page(page);
  for (auto& image : page_.images) {
    image.page_row = row;
    parts.add_image(image);
  }
  store::FileSummary& sum = parts.summary();
  ++sum.pages;
  sum.images += static_cast<int64_t>(page_.images.size());
  totals.notes["image_data_uri"] += page_.data_uri_images;
  totals.notes["image_tracker_1x1"] += page_.tracker_images;
  totals.notes["image_without_url"] += page_.no_url_images;
  totals.notes["image_not_rendered"] += page_.hidden_images;
}

}  // namespace warcpairs::stages
