// Which payloads are HTML pages (page_type.h).
#include "warcpairs/html/page_type.h"

#include <algorithm>

namespace warcpairs::html {
namespace {
void lower_in_place(std::string& s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::tolower(c); });
}
}  // namespace

std::string media_type(std::string_view content_type) {
  std::string_view type = content_type.substr(0, content_type.find(';'));
  while (!type.empty() && (type.front() == ' ' || type.front() == '\t')) type.remove_prefix(1);
  while (!type.empty() && (type.back() == ' ' || type.back() == '\t')) type.remove_suffix(1);
  std::string out(type);
  lower_in_place(out);
  return out;
}

bool is_html(std::string_view media, std::string_view body) {
  if (media == "text/html" || media == "application/xhtml+xml") return true;
  if (!media.empty()) return false;
  std::string head(body.substr(0, 256));
  lower_in_place(head);
  return head.find("<!doctype html") != std::string::npos || head.find("<html") != std::string::npos;
}

}  // namespace warcpairs::html
