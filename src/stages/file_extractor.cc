// FileExtractor: WARC records → HTML pages → image records → shard rows, counting every
// problem with its file offset.
#include "file_extractor.h"

#include <algorithm>
#include <filesystem>

#include <spdlog/spdlog.h>

#include "warcpairs/core/error.h"
#include "warcpairs/core/skip_log.h"
#include "warcpairs/store/shard.h"
#include "warcpairs/warc/reader.h"

namespace warcpairs::stages {
namespace {

// The media type of a Content-Type value: lower case, without parameters or spaces.
std::string media_type(std::string_view content_type) {
  auto end = content_type.find(';');
  std::string_view type = content_type.substr(0, end);
  while (!type.empty() && (type.front() == ' ' || type.front() == '\t')) type.remove_prefix(1);
  while (!type.empty() && (type.back() == ' ' || type.back() == '\t')) type.remove_suffix(1);
  std::string out(type);
  std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return std::tolower(c); });
  return out;
}

// HTML by declared type; a missing type falls back to a look at the first bytes.
bool is_html(const std::string& media, std::string_view body) {
  if (media == "text/html" || media == "application/xhtml+xml") return true;
  if (!media.empty()) return false;
  std::string head(body.substr(0, 256));
  std::transform(head.begin(), head.end(), head.begin(), [](unsigned char c) { return std::tolower(c); });
  return head.find("<!doctype html") != std::string::npos || head.find("<html") != std::string::npos;
}

struct PageSource {
  int status = 0;
  std::string_view content_type;
  std::string_view body;
};

}  // namespace

FileExtractor::FileExtractor(const ExtractConfig& config)
    : config_(config),
      http_(config.limits),
      html_(html::ExtractOptions{config.context_chars, config.limits.max_html_bytes,
                                 config.limits.max_images_per_page}) {}

void FileExtractor::extract(const std::string& warc_path, const std::filesystem::path& shard_path,
                            ExtractTotals& totals) {
  store::FileSummary summary;
  summary.path = warc_path;
  std::error_code ec;
  summary.size = static_cast<int64_t>(std::filesystem::file_size(warc_path, ec));
  if (ec) summary.size = 0;

  SkipLog skips;
  store::ShardWriter shard(shard_path, "extract");
  try {
    warc::WarcReader reader(warc_path, config_.limits, skips);
    reader.set_type_filter({warc::RecordType::response, warc::RecordType::resource});
    warc::HttpResponse response;
    std::string http_error;
    while (const warc::WarcRecord* rec = reader.next()) {
      PageSource src;
      if (rec->type == warc::RecordType::response) {
        if (!http_.parse(rec->block, response, http_error)) {
          // A response record that is not HTTP (e.g. dns: records) holds no page.
          if (rec->target_uri().rfind("http", 0) == 0)
            skips.skip(http_error.empty() ? "http_malformed" : http_error, warc_path, rec->offset);
          continue;
        }
        if (!response.problem.empty()) ++totals.notes["http_" + std::string(response.problem)];
        src = {response.status, response.header("Content-Type"), response.body};
      } else {
        src = {0, rec->content_type(), rec->block};
      }
      const std::string media = media_type(src.content_type);
      if (!is_html(media, src.body)) continue;
      if (src.status != 0 && (src.status < 200 || src.status > 299)) {
        ++totals.notes["html_status_not_2xx"];
        continue;
      }
      html_.extract(src.body, rec->target_uri(), src.content_type, page_);
      if (page_.not_html) {
        skips.skip("binary_as_html", warc_path, rec->offset, std::string(rec->target_uri()));
        continue;
      }
      if (page_.truncated)
        skips.skip("html_truncated", warc_path, rec->offset, std::string(rec->target_uri()));
      if (page_.invalid_utf8)
        skips.skip("invalid_utf8_replaced", warc_path, rec->offset, std::string(rec->target_uri()));

      PageRecord page;
      page.warc_offset = rec->offset;
      page.member_offset = rec->member_offset;
      page.record_id = rec->record_id();
      page.url = rec->target_uri();
      page.crawl_date = rec->date();
      page.http_status = src.status;
      page.content_type = media.empty() ? "text/html" : media;
      page.charset = page_.charset;
      page.language = page_.language;
      page.title = page_.title;
      page.image_count = static_cast<int32_t>(page_.images.size());
      const int64_t row = shard.add_page(page);
      for (auto& image : page_.images) {
        image.page_row = row;
        shard.add_image(image);
      }
      ++summary.pages;
      summary.images += static_cast<int64_t>(page_.images.size());
      totals.notes["image_data_uri"] += page_.data_uri_images;
      totals.notes["image_tracker_1x1"] += page_.tracker_images;
      totals.notes["image_without_url"] += page_.no_url_images;
      totals.notes["image_not_rendered"] += page_.hidden_images;
      if (page_.dropped_images) skips.skip("images_over_cap", warc_path, rec->offset);
    }
    summary.records = static_cast<int64_t>(reader.records_seen());
    summary.status = skips.total() ? "partial" : "ok";
  } catch (const Error& e) {
    // Only opening the file throws: the file is recorded as unreadable, the run goes on.
    summary.status = "unreadable";
    summary.error = e.what();
    skips.skip("file_unreadable", warc_path, -1, e.what());
    ++totals.files_unreadable;
  }
  for (const auto& entry : skips.entries()) shard.add_skip(entry);
  summary.skipped = static_cast<int64_t>(skips.total());
  shard.set_file(summary);
  shard.commit();

  ++totals.files;
  totals.bytes += static_cast<uint64_t>(summary.size);
  totals.records += static_cast<uint64_t>(summary.records);
  totals.pages += static_cast<uint64_t>(summary.pages);
  totals.images += static_cast<uint64_t>(summary.images);
  for (const auto& [reason, count] : skips.counts()) totals.skips[reason] += count;
}

}  // namespace warcpairs::stages
