// Test pages in a WARC file of their own: response records written by hand (the format is
// simple), a renderer over them.
#pragma once

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <memory>
#include <string>
#include <vector>

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

// A response record with the fields a CDXJ index needs (target URI and date).
inline std::string response_record(std::string_view uri, std::string_view block) {
  return "WARC/1.1\r\nWARC-Type: response\r\nWARC-Target-URI: " + std::string(uri) +
         "\r\nWARC-Date: 2024-01-01T00:00:00Z\r\nWARC-Record-ID: <urn:uuid:" + std::to_string(block.size()) +
         ">\r\nContent-Type: application/http; msgtype=response\r\nContent-Length: " +
         std::to_string(block.size()) + "\r\n\r\n" + std::string(block) + "\r\n\r\n";
}

// Writes the files as response records into a fresh WARC file; returns its path.
inline std::string write_warc(const std::vector<ArchivedFile>& files, std::string extra_records = {}) {
  static int n = 0;
  const auto dir = std::filesystem::temp_directory_path() /
                   ("warcpairs-render-test-" + std::to_string(::getpid()) + "-" + std::to_string(n++));
  std::filesystem::create_directories(dir);
  const auto path = dir / "pages.warc";
  std::ofstream out(path, std::ios::binary);
  for (const auto& f : files)
    out << response_record(f.url, http_response(f.content_type, f.body));
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
