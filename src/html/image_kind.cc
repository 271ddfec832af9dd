// classify_image: the image-kind rule (see image_kind.h). Hand-written: no Debian library
// classifies images from markup; the rule is a few token lists, tested in
// tests/unit/html/image_kind_test.cc and measured on a hand-checked sample of warc-real
// (tests/data/image-kinds/README.md).
#include "warcpairs/html/image_kind.h"

#include <algorithm>
#include <cstring>
#include <initializer_list>
#include <vector>

#include "warcpairs/core/ascii.h"
#include "warcpairs/text/url.h"

namespace warcpairs::html {
namespace {

bool is_alnum(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

// Lower-case alphanumeric runs of `s`, split at a camelCase hump ("mainLogo": main, logo),
// appended to `out`.
void tokens_of(std::string_view s, std::vector<std::string>& out) {
  std::string t;
  char prev = 0;
  for (char c : s) {
    const bool hump = c >= 'A' && c <= 'Z' && prev >= 'a' && prev <= 'z';
    prev = c;
    if (hump && !t.empty()) {
      out.push_back(std::move(t));
      t.clear();
    }
    if (is_alnum(c)) {
      t.push_back(ascii_lower(c));
    } else if (!t.empty()) {
      out.push_back(std::move(t));
      t.clear();
    }
  }
  if (!t.empty()) out.push_back(std::move(t));
}

// Words separated by white space (alt text is normalised: single spaces).
std::size_t word_count(std::string_view s) {
  std::size_t n = 0;
  bool in_word = false;
  for (char c : s) {
    const bool space = c == ' ' || c == '\n' || c == '\t';
    if (!space && !in_word) ++n;
    in_word = !space;
  }
  return n;
}

struct UrlParts {
  std::string_view host, path;  // path without query or fragment
};

UrlParts split_url(std::string_view u) {
  UrlParts p;
  const std::size_t scheme = u.find("://");
  if (scheme == std::string_view::npos) {
    p.path = u.substr(0, u.find_first_of("?#"));
    return p;
  }
  p.host = text::url_host_view(u);
  std::string_view rest = u.substr(scheme + 3);
  const std::size_t end = rest.find_first_of("/?#");
  if (end != std::string_view::npos && rest[end] == '/') {
    std::string_view path = rest.substr(end);
    p.path = path.substr(0, path.find_first_of("?#"));
  }
  return p;
}

std::string_view without_www(std::string_view host) {
  return host.size() > 4 && iequals(host.substr(0, 4), "www.") ? host.substr(4) : host;
}

bool host_ends_with(std::string_view host, std::string_view domain) {
  if (host.size() < domain.size() || !iequals(host.substr(host.size() - domain.size()), domain)) return false;
  return host.size() == domain.size() || host[host.size() - domain.size() - 1] == '.';
}

// Bit of a word's or token's first byte: a-z, or 26 for anything else.
constexpr uint32_t first_bit(char c) { return 1u << (c >= 'a' && c <= 'z' ? c - 'a' : 26); }

constexpr uint32_t first_bits(std::initializer_list<std::string_view> exact,
                              std::initializer_list<std::string_view> prefix) {
  uint32_t bits = 0;
  for (std::string_view w : exact) bits |= first_bit(w[0]);
  for (std::string_view w : prefix) bits |= first_bit(w[0]);
  return bits;
}

// A token names the kind when it equals a word of `exact` or starts with one of `prefix`.
struct Words {
  std::initializer_list<std::string_view> exact, prefix;
  uint32_t first = first_bits(exact, prefix);  // the words' first bytes
};

// Tokens and words are never empty. The first byte is compared before the rest (a token
// whose first byte starts no word of the list is passed over at once): most pairs differ
// there, and the rest is a memcmp call (this runs for every token of every image and
// its ancestors, against up to 30 words per list).
const std::string* match(const std::vector<std::string>& tokens, const Words& w) {
  for (const std::string& t : tokens) {
    if (!(w.first & first_bit(t[0]))) continue;  // no word starts with its first byte
    for (std::string_view e : w.exact)
      if (t.size() == e.size() && t[0] == e[0] && std::memcmp(t.data(), e.data(), e.size()) == 0)
        return &t;
    for (std::string_view p : w.prefix)
      if (t.size() >= p.size() && t[0] == p[0] && std::memcmp(t.data(), p.data(), p.size()) == 0)
        return &t;
  }
  return nullptr;
}

const Words kAdWords{{"ad", "ads", "adsense", "adserver", "adsbygoogle", "dfp", "sponsor",
                      "sponsored", "sponsors", "advertisement", "adv", "doubleclick"},
                     {"advert"}};
// The whole file name (stem) of layout images and of lazy-load stand-ins shown until a
// script swaps the real image in.
const Words kSpacerNames{{"spacer", "blank", "pixel", "clear", "transparent", "trans", "empty",
                          "shim", "dot", "1x1", "pix", "px", "fallback", "placeholder", "lazy",
                          "lazyload", "loader", "loading", "noimage", "lgray", "gray", "grey"},
                         {}};
const Words kAvatarWords{{"gravatar", "userpic", "profilepic", "profile", "byline", "userinfo"},
                         {"avatar", "author"}};
const Words kLogoWords{{"wordmark", "brand", "brandmark"}, {"logo"}};
// Not "loading"/"lazy": classes that mark lazy-loaded pictures of any kind.
const Words kIconWords{{"ico", "favicon", "emoji", "emoticon", "smiley", "smilies", "glyph",
                        "rss", "feed", "mail", "email", "share", "sharing", "social", "partager",
                        "teilen", "compartir", "arrow", "star", "stars", "rating", "print",
                        "pagination", "next", "prev", "previous"},
                       {"icon", "sprite", "emoji"}};
// A social network's name as the file name is its button; in a class it may name the
// widget around any picture ("pinterest-image": the post's own picture for pinning).
const Words kSocialNames{{"facebook", "twitter", "instagram", "linkedin", "pinterest", "youtube",
                          "whatsapp", "tiktok", "telegram", "xing"},
                         {}};
const Words kBadgeWords{{"seal", "appstore", "googleplay", "playstore", "creativecommons", "cc",
                         "button", "btn", "award", "certificate", "certified", "trustmark"},
                        {"badge", "flag"}};

// Hosts that serve ads (doubleclick-like) and the images of license/avatar services.
constexpr std::string_view kAdHosts[] = {
    "doubleclick.net", "googlesyndication.com", "googleadservices.com", "amazon-adsystem.com",
    "adnxs.com", "criteo.com", "criteo.net", "taboola.com", "outbrain.com", "adform.net",
    "adsrvr.org", "moatads.com", "serving-sys.com", "media.net", "advertising.com"};

bool is_ad_host(std::string_view host) {
  for (std::string_view h : kAdHosts)
    if (host_ends_with(host, h)) return true;
  // ads.example.com, ad.example.com, adserver.example.com
  const std::string_view first = host.substr(0, host.find('.'));
  return iequals(first, "ads") || iequals(first, "ad") || iequals(first, "adserver");
}

// The root of a site: "/", "", "/index.html", "/home", "/en/", with no query.
bool is_home_path(std::string_view path) {
  if (path.empty() || path == "/") return true;
  std::string_view p = path.substr(1);
  if (!p.empty() && p.back() == '/') p.remove_suffix(1);
  if (p.find('/') != std::string_view::npos) return false;
  if (p.size() == 2 || (p.size() == 5 && p[2] == '-')) return true;  // a language root
  return iequals(p, "home") || iequals(p.substr(0, std::min<std::size_t>(p.size(), 6)), "index.");
}

// `l`: split_url(link).
bool links_home(std::string_view link, const UrlParts& l) {
  if (link.empty() || link.find('?') != std::string_view::npos) return false;
  return !l.host.empty() && is_home_path(l.path);
}

std::string size_reason(int32_t w, int32_t h) {
  return "size:" + (w < 0 ? std::string("?") : std::to_string(w)) + "x" +
         (h < 0 ? std::string("?") : std::to_string(h));
}

// A segment of dom_path: "tag#id.class" → tag and the id/class tokens.
struct Segment {
  std::string_view tag;
  std::vector<std::string> tokens;
};

// Fills `out` (reused: its segments keep their token buffers between images).
void ancestors_of(std::string_view dom_path, std::vector<Segment>& out) {
  std::size_t used = 0;
  std::size_t start = 0;
  while (start <= dom_path.size()) {
    std::size_t end = dom_path.find('>', start);
    if (end == std::string_view::npos) end = dom_path.size();
    const std::string_view seg = dom_path.substr(start, end - start);
    start = end + 1;
    const std::size_t mark = seg.find_first_of("#.");
    const std::string_view tag = seg.substr(0, mark);
    // html and body carry page-wide classes ("wp-custom-logo", "single-post"): not position
    if (tag == "html" || tag == "body" || tag == "...") continue;
    if (used == out.size()) out.emplace_back();
    Segment& s = out[used++];
    s.tag = tag;
    s.tokens.clear();
    if (mark != std::string_view::npos) tokens_of(seg.substr(mark), s.tokens);
  }
  if (used > 0 && out[used - 1].tag == "img") --used;  // the image itself
  out.resize(used);
}

// Not "content": "site-content" and "#content" wrap sidebars too.
const Words kMainWords{{"article", "post", "entry", "story"}, {}};
const Words kWeakMainWords{{"main"}, {}};  // "header-main" is the header's
// Site furniture whatever else the element is ("article__teaser", "post-sidebar")...
const Words kChromeWords{{"nav", "navbar", "navigation", "menu", "sidebar", "breadcrumb",
                          "breadcrumbs", "widget", "widgets", "related", "relates", "teaser",
                          "teasers", "recommended", "recommendation", "recommendations", "popular",
                          "trending", "latest", "promo", "more", "yarpp", "rail", "flyout"},
                         {"related", "recommend", "teaser", "sidebar"}};
// ...and furniture unless the element is the post's own ("entry-header", "post-footer").
const Words kFrameWords{{"header", "footer", "masthead", "topbar", "toolbar", "colophon"}, {}};

// Where the image sits, from its ancestors: a chrome reason ("path:footer") when any
// ancestor is site furniture (header/footer/nav/aside, a menu, sidebar, widget, or a list of
// related/recommended/latest teasers, which are often <article>s of their own: so the
// nearest <article> does not end the search); else "main" when an ancestor is an article
// (<article>, <main>, an article/post/entry/story class); else "". A <header> or <footer>
// inside an <article> or <main> is the post's own (HTML §4.3.8).
std::string position_of(const std::vector<Segment>& path) {
  bool main = false;
  for (std::size_t i = path.size(); i-- > 0;) {
    const Segment& s = path[i];
    const bool article = s.tag == "article" || s.tag == "main";
    const bool in_article = std::any_of(path.begin(), path.begin() + static_cast<std::ptrdiff_t>(i),
                                        [](const Segment& a) { return a.tag == "article" || a.tag == "main"; });
    if (((s.tag == "header" || s.tag == "footer") && !in_article) || s.tag == "nav" || s.tag == "aside")
      return "path:" + std::string(s.tag);
    if (const std::string* t = match(s.tokens, kChromeWords)) return "path:" + *t;
    if (article || match(s.tokens, kMainWords)) {  // "entry-header" is the post's own
      main = true;
      continue;
    }
    if (const std::string* t = match(s.tokens, kFrameWords)) return "path:" + *t;
    if (match(s.tokens, kWeakMainWords)) main = true;
  }
  return main ? "main" : "";
}

// A link that a lightbox script opens over the page (class "lightbox", "fancybox", ...):
// it shows the image larger, whatever page its href names.
const Words kLightboxWords{{"fancybox", "photoswipe", "zoom"}, {"lightbox"}};

// An image inside a link to another HTML page is a teaser of that page (a link to a larger
// copy of the image, to the page itself, or one a lightbox opens, is not). `l`, `p`: the link
// and the page URL split by split_url.
bool links_elsewhere(std::string_view link, const UrlParts& l, const UrlParts& p,
                     const std::vector<Segment>& path) {
  if (link.empty()) return false;
  for (std::size_t i = path.size(); i-- > 0;) {
    if (path[i].tag != "a") continue;
    if (match(path[i].tokens, kLightboxWords)) return false;
    break;  // the innermost <a> is the enclosing link
  }
  if (l.host.empty()) return false;  // javascript:, mailto:, unresolved
  if (iequals(without_www(l.host), without_www(p.host)) && l.path == p.path) return false;
  const std::string_view file = l.path.substr(l.path.rfind('/') + 1);
  const std::size_t dot = file.rfind('.');
  if (dot != std::string_view::npos) {
    const std::string_view ext = file.substr(dot + 1);
    for (std::string_view image : {"jpg", "jpeg", "png", "gif", "webp", "avif", "svg", "bmp", "tif", "tiff"})
      if (iequals(ext, image)) return false;
  }
  return true;
}

}  // namespace

ImageKind classify_image(const ImageEvidence& e) {
  // Reused between calls (one extractor per thread): no allocation per image once warm.
  thread_local std::vector<std::string> own, around, stem, alt;
  thread_local std::vector<Segment> path;  // views into path_of
  // The images of one gallery or list share their ancestors: the last dom_path's segments
  // and tokens are kept and read again when the next image has the same one.
  thread_local std::string path_of;
  thread_local bool path_read = false;
  const UrlParts url = split_url(e.url);
  own.clear();  // file path and the img's class and id
  tokens_of(url.path, own);
  tokens_of(e.img_class, own);
  tokens_of(e.img_id, own);
  if (!path_read || e.dom_path != path_of) {
    path_of.assign(e.dom_path);
    ancestors_of(path_of, path);
    around.clear();  // ancestors' class and id
    for (const Segment& s : path) around.insert(around.end(), s.tokens.begin(), s.tokens.end());
    path_read = true;
  }

  if (is_ad_host(url.host)) return {"ad", "host:" + std::string(url.host)};
  if (const std::string* t = match(own, kAdWords)) return {"ad", "name:" + *t};
  if (const std::string* t = match(around, kAdWords)) return {"ad", "path:" + *t};

  std::string_view file = url.path.substr(url.path.rfind('/') + 1);
  file = file.substr(0, file.rfind('.'));
  stem.clear();
  tokens_of(file, stem);
  std::string joined;  // "no-image" → "noimage"
  for (const std::string& t : stem) joined += t;
  if (!stem.empty() && match({joined}, kSpacerNames)) return {"spacer", "name:" + joined};
  if (const std::string* t = match(own, Words{{"1x1", "1px"}, {}})) return {"spacer", "name:" + *t};
  const int32_t w = e.width, h = e.height;
  if ((w >= 0 && w <= 2) || (h >= 0 && h <= 2)) return {"spacer", size_reason(w, h)};

  if (host_ends_with(url.host, "gravatar.com")) return {"avatar", "host:" + std::string(url.host)};
  struct Named { std::string_view kind; const Words* words; };
  constexpr std::string_view kName = "name:", kPath = "path:";
  const Named named[] = {{"avatar", &kAvatarWords}, {"logo", &kLogoWords},
                         {"badge", &kBadgeWords}, {"icon", &kIconWords}};
  for (const Named& n : named)
    if (const std::string* t = match(own, *n.words)) return {n.kind, std::string(kName) + *t};
  if (const std::string* t = match(stem, kSocialNames)) return {"icon", "name:" + *t};
  if (host_ends_with(url.host, "creativecommons.org") || host_ends_with(url.host, "licensebuttons.net"))
    return {"badge", "host:" + std::string(url.host)};

  if (w < 0 && h < 0) {  // no declared size: a thumbnail size in the file name ("-35x35")
    int32_t fw = -1, fh = -1;
    for (const std::string& t : stem) {
      const std::size_t x = t.find('x');
      if (x == 0 || x == std::string::npos || x + 1 == t.size() || x > 4 || t.size() - x > 5) continue;
      if (t.find_first_not_of("0123456789", x + 1) != std::string::npos ||
          t.find_first_not_of("0123456789") != x) continue;
      fw = std::stoi(t.substr(0, x)), fh = std::stoi(t.substr(x + 1));
    }
    if (fw > 0 && fh > 0 && fw <= 48 && fh <= 48) return {"icon", "name-" + size_reason(fw, fh)};
  }
  if (w > 0 && h > 0) {
    if (w <= 48 && h <= 48) return {"icon", size_reason(w, h)};
    if (h <= 40 && w <= 150 && w >= 2 * h) return {"badge", size_reason(w, h)};
  } else if ((w > 0 && w <= 32) || (h > 0 && h <= 32)) {
    return {"icon", size_reason(w, h)};
  }
  // Vector files are drawings: logos, icons, formulas; rarely a picture the page is about.
  const std::string_view ext = url.path.substr(std::min(url.path.size(), url.path.rfind('.') + 1));
  if (iequals(ext, "svg") && !(w >= 150 && h >= 100)) return {"icon", "type:svg"};
  for (const Named& n : named)
    if (const std::string* t = match(around, *n.words)) return {n.kind, std::string(kPath) + *t};
  alt.clear();
  tokens_of(e.alt, alt);
  if (const std::string* t = match(alt, kLogoWords)) return {"logo", "alt:" + *t};

  const UrlParts link = split_url(e.link), page = split_url(e.page_url);
  if (links_home(e.link, link)) {
    const bool same = iequals(without_www(link.host), without_www(page.host));
    return {"logo", same ? "link:home" : "link:site"};
  }

  // Main-content detection's region when it ran (extract fills it for every image), else the
  // dom_path rule.
  std::string where;
  if (!e.region.empty()) where = e.region == "main" ? "main" : "region:" + std::string(e.region);
  else where = position_of(path);
  if (!where.empty() && where != "main") return {"chrome", where};
  if (links_elsewhere(e.link, link, page, path)) return {"chrome", "link:page"};

  if (e.in_figure) return {"content", "figure"};
  if (w >= 150 && h >= 100) return {"content", size_reason(w, h)};
  if (where == "main") return {"content", e.region.empty() ? "path:main" : "region:main"};
  // A description of two words or more: someone wrote what the picture shows.
  if (word_count(e.alt) >= 2) return {"content", "alt"};
  return {"unknown", "no evidence"};
}

}  // namespace warcpairs::html
