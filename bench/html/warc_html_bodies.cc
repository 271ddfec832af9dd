// Minimal WARC scan for benchmarks (see warc_html_bodies.h).
#include "warc_html_bodies.h"

#include <strings.h>
#include <zlib.h>

#include <cstdlib>
#include <string_view>

namespace {

std::string read_all(const std::string& path) {
  std::string data;
  gzFile f = gzopen(path.c_str(), "rb");
  if (!f) return data;
  char buf[1 << 16];
  int n;
  while ((n = gzread(f, buf, sizeof buf)) > 0) data.append(buf, n);
  gzclose(f);
  return data;
}

// Value of header `name` in a CRLF header block ("" if absent).
std::string_view header(std::string_view block, std::string_view name) {
  std::size_t p = 0;
  while (p < block.size()) {
    std::size_t e = block.find("\r\n", p);
    if (e == std::string_view::npos) e = block.size();
    std::string_view line = block.substr(p, e - p);
    if (line.size() > name.size() && line[name.size()] == ':' &&
        strncasecmp(line.data(), name.data(), name.size()) == 0) {
      std::string_view v = line.substr(name.size() + 1);
      while (!v.empty() && v.front() == ' ') v.remove_prefix(1);
      return v;
    }
    p = e + 2;
  }
  return {};
}

}  // namespace

std::vector<HtmlBody> read_html_bodies(const std::string& path) {
  std::vector<HtmlBody> out;
  const std::string data = read_all(path);
  std::size_t p = data.find("WARC/1.");
  while (p != std::string::npos && p < data.size()) {
    const std::size_t hend = data.find("\r\n\r\n", p);
    if (hend == std::string::npos) break;
    const std::string_view head(data.data() + p, hend - p);
    const std::size_t len = std::strtoull(std::string(header(head, "Content-Length")).c_str(), nullptr, 10);
    const std::size_t block = hend + 4;
    if (block + len > data.size()) break;
    const std::string_view payload(data.data() + block, len);
    const std::size_t bend = payload.find("\r\n\r\n");
    if (header(head, "WARC-Type") == "response" && bend != std::string_view::npos) {
      const std::string_view http = payload.substr(0, bend);
      const std::string_view ct = header(http, "Content-Type");
      const bool encoded = !header(http, "Transfer-Encoding").empty() ||
                           !header(http, "Content-Encoding").empty();
      if (!encoded && ct.find("text/html") != std::string_view::npos) {
        out.push_back({std::string(header(head, "WARC-Target-URI")), std::string(ct),
                       std::string(payload.substr(bend + 4))});
      }
    }
    p = data.find("WARC/1.", block + len);
  }
  return out;
}
