// URL choice for <img>, placeholder detection and width/height parsing.
#include "image_source.h"

#include <cstdlib>
#include <cstring>

namespace warcpairs::html {
namespace {

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\f' || c == '\r'; }

std::string_view trim(std::string_view s) {
  while (!s.empty() && is_space(s.front())) s.remove_prefix(1);
  while (!s.empty() && is_space(s.back())) s.remove_suffix(1);
  return s;
}

// `needle` is lower case (or not a letter). The first byte is tested inline, so
// strncasecmp runs only where a match may start: this runs for 11 words per image.
bool contains_nocase(std::string_view hay, std::string_view needle) {
  if (needle.empty()) return true;
  if (needle.size() > hay.size()) return false;
  const char first = static_cast<char>(needle[0] | 0x20);
  for (std::size_t i = 0; i + needle.size() <= hay.size(); ++i) {
    if ((hay[i] | 0x20) != first) continue;  // a superset: strncasecmp decides
    if (strncasecmp(hay.data() + i, needle.data(), needle.size()) == 0) return true;
  }
  return false;
}

// Larger is better: width descriptors rank above densities, no descriptor is 1x.
double candidate_rank(const text::SrcsetCandidate& c) {
  if (c.descriptor.empty()) return 1.0;
  const char* d = c.descriptor.c_str();
  const double v = std::strtod(d, nullptr);
  const std::size_t unit = c.descriptor.find_first_of("wx");
  if (unit == std::string::npos) return 1.0;
  return c.descriptor[unit] == 'w' ? 1e6 + v : v;
}

void add_candidates(std::string_view srcset, std::vector<text::SrcsetCandidate>& out) {
  if (srcset.empty()) return;
  for (text::SrcsetCandidate& c : text::parse_srcset(srcset)) {
    if (!is_data_uri(c.url)) out.push_back(std::move(c));
  }
}

}  // namespace

bool is_data_uri(std::string_view url) {
  url = trim(url);
  return url.size() >= 5 && strncasecmp(url.data(), "data:", 5) == 0;
}

bool is_placeholder(std::string_view url) {
  url = trim(url);
  if (url.empty() || url == "#" || url == "about:blank") return true;
  // Look at the last path segment only: "/blank/photo.jpg" is a real image.
  std::size_t end = url.find_first_of("?#");
  if (end == std::string_view::npos) end = url.size();
  std::string_view name = url.substr(0, end);
  const std::size_t slash = name.rfind('/');
  if (slash != std::string_view::npos) name.remove_prefix(slash + 1);
  static constexpr std::string_view kWords[] = {"blank", "placeholder", "spacer", "pixel.gif",
                                                "1x1.", "transparent.", "lazyload", "lazy.", "loading.gif",
                                                "grey.gif", "empty.gif"};
  for (std::string_view w : kWords) {
    if (contains_nocase(name, w)) return true;
  }
  return false;
}

UrlChoice choose_image_url(const ImageAttributes& a, const PictureSources& picture,
                           std::string& url, std::vector<text::SrcsetCandidate>& candidates) {
  candidates.assign(picture.candidates.begin(), picture.candidates.end());
  const std::size_t from_img = candidates.size();
  add_candidates(a.srcset, candidates);
  add_candidates(a.lazy_srcset, candidates);
  const std::string_view src = trim(a.src), lazy = trim(a.lazy_src);
  const bool src_data = is_data_uri(src), lazy_data = is_data_uri(lazy);
  url.clear();
  if (!src.empty() && !src_data && !is_placeholder(src)) {
    url.assign(src);
  } else if (!lazy.empty() && !lazy_data) {
    url.assign(lazy);
  } else if (!candidates.empty()) {
    // The img's own srcset is about this image; without one, the first <source> is what a
    // browser shows.
    const bool own = candidates.size() > from_img;
    const std::size_t first = own ? from_img : 0;
    const std::size_t end = own ? candidates.size() : std::max<std::size_t>(picture.first_source_end, 1);
    std::size_t best = first;
    for (std::size_t i = first + 1; i < end; ++i) {
      if (candidate_rank(candidates[i]) > candidate_rank(candidates[best])) best = i;
    }
    url = candidates[best].url;
  } else if (!src.empty() && !src_data) {
    url.assign(src);
  }
  if (!url.empty()) return UrlChoice::kUrl;
  const bool any_data = src_data || lazy_data || contains_nocase(a.srcset, "data:") ||
                        contains_nocase(a.lazy_srcset, "data:");
  return any_data ? UrlChoice::kDataUri : UrlChoice::kNone;
}

int32_t parse_pixels(std::string_view v) {
  v = trim(v);
  std::size_t i = 0;
  int64_t n = 0;
  while (i < v.size() && v[i] >= '0' && v[i] <= '9') {
    n = n * 10 + (v[i] - '0');
    if (n > 1'000'000) return -1;
    ++i;
  }
  if (i == 0) return -1;
  if (i < v.size() && v[i] == '.') {
    ++i;
    while (i < v.size() && v[i] >= '0' && v[i] <= '9') ++i;
  }
  const std::string_view unit = trim(v.substr(i));
  if (!unit.empty() && !(unit.size() == 2 && strncasecmp(unit.data(), "px", 2) == 0)) return -1;
  return static_cast<int32_t>(n);
}

}  // namespace warcpairs::html
