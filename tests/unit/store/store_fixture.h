// Test fixtures for the store layer: a scratch directory and deterministic sample rows.
#pragma once

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <cstdio>
#include <random>
#include <string>

#include "warcpairs/html/image_record.h"
#include "warcpairs/store/page_record.h"
#include "warcpairs/store/score_record.h"
#include "warcpairs/store/shard.h"

namespace warcpairs::store::testing {

// A fresh directory per test, removed afterwards.
class StoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    dir_ = std::filesystem::temp_directory_path() /
           ("warcpairs_store_" + std::to_string(::getpid()) + "_" + info->test_suite_name() +
            "_" + info->name());
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  std::filesystem::path dir_;
};

// Real bytes: an uncompressed WARC file from shared/data, used as a large context.
inline std::string real_warc_text() {
  std::ifstream in(std::string(WARCPAIRS_SHARED_DIR) + "/data/warc/wac-link-extraction-test.warc",
                   std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

// Row i of a synthetic file: every field depends on i, so a shifted or swapped row is caught.
inline PageRecord page_row(int64_t i) {
  PageRecord p;
  p.warc_offset = 1000 * i + 7;
  p.member_offset = i % 3;
  p.record_id = "<urn:uuid:" + std::to_string(i) + ">";
  p.url = "https://example.org/page/" + std::to_string(i);
  p.crawl_date = "2024-03-01T12:00:00Z";
  p.http_status = i % 7 == 0 ? 0 : 200;
  p.content_type = "text/html";
  p.charset = "utf-8";
  p.language = i % 2 ? "de" : "";
  p.title = "Seite " + std::to_string(i) + " — Größe";
  p.image_count = 3;
  p.text = i % 2 ? "Haupttext " + std::to_string(i) + "\nzweiter Block" : "";
  return p;
}

inline html::ImageRecord image_row(int64_t i, int64_t page) {
  html::ImageRecord im;
  im.page_row = page;
  im.index = static_cast<int32_t>(i % 3);
  im.url = "https://img.example.org/" + std::to_string(i) + ".jpg";
  im.src = std::to_string(i) + ".jpg";
  im.srcset = i % 5 ? "" : "https://img.example.org/a.jpg 1x, https://img.example.org/b.jpg 2x";
  im.alt = "alt " + std::to_string(i);
  im.has_alt = i % 4 != 0;
  im.title = "";
  im.width = i % 3 ? static_cast<int32_t>(i % 1000) : -1;
  im.height = i % 3 ? 480 : -1;
  im.figcaption = i % 2 ? "Bild: " + std::to_string(i) : "";
  im.dom_path = "html>body>div.post>figure>img";
  im.context = "before the image " + std::to_string(i) + " alt " + std::to_string(i) + " after";
  im.image_pos = 17;
  im.label_start = i % 2 ? 20 : -1;
  im.label_end = i % 2 ? 20 + static_cast<int32_t>(im.alt.size()) : -1;
  static const char* const kRegions[] = {"main", "nav", "header", "footer", "aside", "other"};
  im.region = kRegions[i % 6];
  return im;
}

inline FileSummary file_summary(const std::string& path, int64_t pages, int64_t images) {
  FileSummary f;
  f.path = path;
  f.size = 123456;
  f.status = "ok";
  f.records = pages * 2;
  f.pages = pages;
  f.images = images;
  return f;
}

// A score row of a downloaded, stored image (key = the image id in nine digits, in `tar`):
// what `score` writes for a pair that went well.
inline ScoreRecord stored_score(int64_t image, double clip, int32_t width, int32_t height,
                                std::string tar = "000000.tar") {
  ScoreRecord r;
  r.image = image;
  r.url = "https://img.example.org/" + std::to_string(image) + ".jpg";
  r.caption = "c";
  r.outcome = "ok";
  r.attempts = 1;
  r.width = width, r.height = height;
  r.clip_caption = clip;
  char key[16];
  std::snprintf(key, sizeof key, "%09lld", static_cast<long long>(image));
  r.key = key;
  r.tar = std::move(tar);
  return r;
}

// Writes a shard of `pages` pages with 3 images each (and one skip per 100 pages).
inline void write_synthetic_shard(const std::filesystem::path& path, const std::string& warc,
                                  int64_t pages) {
  ShardWriter w(path, "extract");
  for (int64_t p = 0; p < pages; ++p) {
    int64_t row = w.add_page(page_row(p));
    for (int k = 0; k < 3; ++k) w.add_image(image_row(3 * p + k, row));
    if (p % 100 == 0) w.add_skip({"", 1000 * p + 3, "http_malformed", "bad status line"});
  }
  w.set_file(file_summary(warc, pages, 3 * pages));
  w.commit();
}

}  // namespace warcpairs::store::testing
