// Minimal WARC scan for benchmarks: the HTML response bodies of .warc / .warc.gz files.
#pragma once

#include <string>
#include <vector>

struct HtmlBody {
  std::string url, content_type, body;
};

// Reads the whole file (zlib's gzread also steps over gzip member boundaries and passes
// plain files through), then walks records by Content-Length. Chunked or compressed HTTP
// bodies are left out: the benchmark is about HTML, not about the WARC layer.
std::vector<HtmlBody> read_html_bodies(const std::string& path);
