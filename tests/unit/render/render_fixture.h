// Test pages in a WARC file of their own: response records written by hand (the format is
// simple; tests/unit/warc/test_warc.h builds the records), a renderer over them.
#pragma once

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <memory>
#include <string>
#include <vector>

#include "../warc/test_warc.h"
#include "warcpairs/render/page_renderer.h"

namespace warcpairs::render::testing {

inline std::string http_response(std::string_view content_type, std::string_view body, int status = 200,
                                 std::string_view extra_headers = {}) {
  return "HTTP/1.1 " + std::to_string(status) + " X\r\nContent-Type: " + std::string(content_type) +
         "\r\nContent-Length: " + std::to_string(body.size()) + "\r\nConnection: close\r\n" +
         std::string(extra_headers) + "\r\n" + std::string(body);
}

struct ArchivedFile {
  std::string url, content_type, body;
};

// Writes the files as response records into a fresh WARC file; returns its path.
inline std::string write_warc(const std::vector<ArchivedFile>& files, std::string extra_records = {}) {
  static int n = 0;
  const auto dir = std::filesystem::temp_directory_path() /
                   ("warcpairs-render-test-" + std::to_string(::getpid()) + "-" + std::to_string(n++));
  std::filesystem::create_directories(dir);
  const auto path = dir / "pages.warc";
  std::ofstream out(path, std::ios::binary);
  for (const auto& f : files)
    out << warc::testing::record("response", f.url, http_response(f.content_type, f.body));
  out << extra_records;
  return path.string();
}

inline cdp::BrowserOptions browser_options() {
  cdp::BrowserOptions o;
  o.no_sandbox = ::geteuid() == 0;
  return o;
}

inline const text::WordPiece& wordpiece() {
  static const text::WordPiece wp = text::WordPiece::from_vocab_file(
      std::string(WARCPAIRS_SHARED_DIR) + "/data/vocab/bert-base-uncased-vocab.txt");
  return wp;
}

}  // namespace warcpairs::render::testing
