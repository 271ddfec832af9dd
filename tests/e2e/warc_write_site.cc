// Test tool for e2e.warc_writer: writes a generated two-host site as WARC/1.1 files with
// warc::RollingWarcWriter (request + response pairs, chunked and gzip-coded pages, images,
// revisits of repeated image payloads, a resource and a metadata record), and prints what it
// wrote as JSON: pages, images in them, records by type, files.
//   warc_write_site OUT_DIR [PAGES] [MAX_FILE_BYTES]
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <string>

#include "warcpairs/warc/writer.h"

using namespace warcpairs::warc;

namespace {

uint32_t g_seed = 20240501;
uint32_t next_random() { return g_seed = g_seed * 1103515245u + 12345u; }

std::string date_of(int second) {
  char buf[40];
  std::snprintf(buf, sizeof buf, "2024-05-01T12:%02d:%02d.%06dZ", (second / 60) % 60, second % 60,
                (second * 7919) % 1000000);
  return buf;
}

// Chunks of random sizes (RFC 9112 §7.1), as a server streaming the page would send them.
std::string chunked(const std::string& body) {
  std::string out;
  std::size_t p = 0;
  while (p < body.size()) {
    std::size_t n = std::min<std::size_t>(body.size() - p, 1 + next_random() % 700);
    char size[20];
    std::snprintf(size, sizeof size, "%zx\r\n", n);
    out += size + body.substr(p, n) + "\r\n";
    p += n;
  }
  return out + "0\r\n\r\n";
}

std::string page_html(int page, int images, const std::string& host) {
  std::string h = "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>Page " +
                  std::to_string(page) + " of " + host + "</title></head><body><main>";
  h += "<h1>Field notes number " + std::to_string(page) + "</h1>";
  for (int k = 0; k < images; ++k) {
    h += "<p>Paragraph " + std::to_string(k) + " describes the walk along the river on day " +
         std::to_string(page) + ", with herons, willows and a stone bridge near the mill.</p>";
    h += "<figure><img src=\"/img/p" + std::to_string(page) + "-" + std::to_string(k) +
         ".png\" width=\"640\" height=\"480\" alt=\"A heron standing in the shallow water, photo " +
         std::to_string(k) + " of day " + std::to_string(page) + "\"><figcaption>Heron " +
         std::to_string(k) + "</figcaption></figure>";
  }
  return h + "<p>Next: <a href=\"/p" + std::to_string(page + 1) + ".html\">more notes</a></p></main></body></html>";
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: warc_write_site OUT_DIR [PAGES] [MAX_FILE_BYTES]\n");
    return 2;
  }
  const std::filesystem::path out = argv[1];
  const int pages = argc > 2 ? std::atoi(argv[2]) : 40;
  const uint64_t max_bytes = argc > 3 ? std::strtoull(argv[3], nullptr, 10) : 30000;
  std::filesystem::create_directories(out);
  int clock = 0;
  RollingWarcWriter roll(
      [&](int serial) {
        char name[64];
        std::snprintf(name, sizeof name, "site-%05d.warc.gz", serial);
        return (out / name).string();
      },
      max_bytes, "software: warcpairs e2e warc_write_site\r\nformat: WARC File Format 1.1\r\n",
      [&] { return date_of(clock); });
  std::map<std::string, int> records;
  int images_in_pages = 0;
  std::map<std::string, std::pair<std::string, std::string>> stored;  // digest → first URI, date
  auto exchange = [&](const std::string& url, const std::string& path, const std::string& host,
                      const std::string& head, const std::string& body) {
    WarcFileWriter& w = roll.next();
    const std::string date = date_of(++clock);
    const std::string req_head = "GET " + path + " HTTP/1.1\r\nHost: " + host +
                                 "\r\nUser-Agent: warcpairs-test\r\nAccept: */*\r\n\r\n";
    WrittenRecord req = w.write_request({{url, date, "127.0.0.1", {}, {}}, req_head, ""});
    ++records["request"];
    const std::string digest = http_payload_digest(head, body);
    auto seen = stored.find(digest);
    if (seen != stored.end()) {  // identical payload already stored: a revisit (WARC 1.1 §6.7.2)
      std::string status_and_headers = head;
      w.write_revisit({{url, date, "127.0.0.1", req.record_id, {}}, status_and_headers, digest,
                       seen->second.first, seen->second.second, {}});
      ++records["revisit"];
      return;
    }
    w.write_response({{url, date, "127.0.0.1", req.record_id, {}}, head, body});
    ++records["response"];
    stored.emplace(digest, std::make_pair(url, date));
  };
  for (int p = 0; p < pages; ++p) {
    const std::string host = p % 2 ? "www.site-b.test" : "site-a.test";
    const int images = 1 + p % 3;
    images_in_pages += images;
    const std::string html = page_html(p, images, host);
    const std::string path = "/p" + std::to_string(p) + ".html";
    std::string head = "HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\nServer: test\r\n";
    std::string body;
    if (p % 3 == 0) {  // chunked transfer coding, kept as on the wire
      head += "Transfer-Encoding: chunked\r\n\r\n";
      body = chunked(html);
    } else if (p % 3 == 1) {  // gzip content coding
      body = gzip_member(html);
      head += "Content-Encoding: gzip\r\nContent-Length: " + std::to_string(body.size()) + "\r\n\r\n";
    } else {
      body = html;
      head += "Content-Length: " + std::to_string(body.size()) + "\r\n\r\n";
    }
    exchange("http://" + host + path, path, host, head, body);
    for (int k = 0; k < images; ++k) {
      // Images of day p repeat those of day p - 6 byte for byte: revisits.
      std::string png = "\x89PNG\r\n\x1a\n";
      uint32_t s = static_cast<uint32_t>((p % 6) * 16 + k);
      for (int i = 0; i < 300; ++i) png += static_cast<char>((s = s * 1664525u + 1013904223u) >> 24);
      const std::string ipath = "/img/p" + std::to_string(p) + "-" + std::to_string(k) + ".png";
      exchange("http://" + host + ipath, ipath, host,
               "HTTP/1.1 200 OK\r\nContent-Type: image/png\r\nContent-Length: " +
                   std::to_string(png.size()) + "\r\n\r\n",
               png);
    }
  }
  WarcFileWriter& w = roll.next();
  w.write_resource({"http://site-a.test/notes.txt", date_of(++clock), {}, {}, {}}, "text/plain",
                   "plain notes kept as a resource record\n");
  w.write_metadata({"http://site-a.test/p0.html", date_of(clock), {}, {}, {}},
                   "application/warc-fields", "outlink: http://site-a.test/p1.html\r\n");
  records["resource"] = 1;
  records["metadata"] = 1;
  const int files = roll.serial() + 1;
  roll.finish();
  records["warcinfo"] = files;
  std::printf("{\"pages\": %d, \"images\": %d, \"files\": %d", pages, images_in_pages, files);
  for (const auto& [type, n] : records) std::printf(", \"%s\": %d", type.c_str(), n);
  std::printf("}\n");
  return 0;
}
