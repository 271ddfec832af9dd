// X-Robots-Tag opt-outs: the "noai" / "noimageai" directives (de-facto, DeviantArt/Spawning 2022).
#include <cctype>
#include <string>

#include "warcpairs/net/downloader.h"

namespace warcpairs::net {

// Google's X-Robots-Tag syntax: comma-separated directives, optionally after "botname:"; values
// such as "unavailable_after: <date>" contain colons too. Any token equal to noai / noimageai
// (case-insensitive) counts, whichever bot it names: an opt-out addressed to any crawler is
// taken as addressed to us.
bool robots_tag_forbids_ai(std::string_view value) {
  std::string token;
  auto check = [&token]() {
    const bool hit = token == "noai" || token == "noimageai";
    token.clear();
    return hit;
  };
  for (char c : value) {
    const auto u = static_cast<unsigned char>(c);
    if (c == ',' || c == ':' || c == ';' || std::isspace(u)) {
      if (check()) return true;
    } else {
      token.push_back(static_cast<char>(std::tolower(u)));
    }
  }
  return check();
}

bool headers_forbid_ai(std::string_view headers) {
  for (std::string_view value : header_values(headers, "x-robots-tag")) {
    if (robots_tag_forbids_ai(value)) return true;
  }
  return false;
}

}  // namespace warcpairs::net
