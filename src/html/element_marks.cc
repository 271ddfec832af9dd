// Element marks for main-content detection: what a tag, its ARIA role, itemprop and the
// words of its class and id say about the content inside it (mark_element, main_content.h).
#include "main_content.h"

#include <algorithm>
#include <array>

#include "warcpairs/core/ascii.h"

namespace warcpairs::html {
namespace {

struct Word { std::string_view word; Mark mark; };

// class/id words (lower case, split at anything not a letter or digit). Sorted by word.
// "embed", "rating" (as trafilatura's discard list): embedded posts of other sites with their
// consent notices, rating widgets. Not "lightbox": on a link it opens a photo in an overlay
// (a sign of a content image), and the overlay itself is empty in the page's HTML.
// "author", "bio", "byline": the box about the writer is not the article (trafilatura drops
// it too). Not "tag" (WordPress puts tag-<name> on every post), not "bottom"/"hidden" (layout
// utility classes), not "widget" alone when the page builder calls every block one (see
// mark_element).
constexpr Word kWords[] = {
    {"ad", Mark::kBoiler}, {"ads", Mark::kBoiler}, {"advert", Mark::kBoiler},
    {"advertisement", Mark::kBoiler}, {"aside", Mark::kAside}, {"author", Mark::kBoiler},
    {"banner", Mark::kHeader}, {"bio", Mark::kBoiler},
    {"breadcrumb", Mark::kNav}, {"breadcrumbs", Mark::kNav}, {"byline", Mark::kBoiler}, {"caption", Mark::kBoiler},
    {"colophon", Mark::kFooter},
    {"comment", Mark::kBoiler}, {"commentlist", Mark::kBoiler}, {"comments", Mark::kBoiler},
    {"consent", Mark::kBoiler}, {"cookie", Mark::kBoiler}, {"cookies", Mark::kBoiler},
    {"copyright", Mark::kFooter}, {"credit", Mark::kBoiler}, {"credits", Mark::kBoiler},
    {"disqus", Mark::kBoiler}, {"embed", Mark::kBoiler}, {"footer", Mark::kFooter},
    {"gdpr", Mark::kBoiler}, {"header", Mark::kHeader}, {"login", Mark::kBoiler},
    {"mainmenu", Mark::kNav}, {"masthead", Mark::kHeader}, {"menu", Mark::kNav},
    {"menubar", Mark::kNav}, {"modal", Mark::kBoiler}, {"nav", Mark::kNav},
    {"navbar", Mark::kNav}, {"navigation", Mark::kNav}, {"newsletter", Mark::kBoiler},
    {"pagination", Mark::kNav}, {"popular", Mark::kAside}, {"popup", Mark::kBoiler},
    {"promo", Mark::kBoiler}, {"rating", Mark::kBoiler}, {"recommended", Mark::kAside}, {"related", Mark::kAside},
    {"relatedposts", Mark::kAside}, {"respond", Mark::kBoiler}, {"share", Mark::kBoiler},
    {"sharedaddy", Mark::kBoiler}, {"sharing", Mark::kBoiler}, {"sidebar", Mark::kAside},
    {"signup", Mark::kBoiler}, {"social", Mark::kBoiler}, {"sponsor", Mark::kBoiler},
    {"sponsored", Mark::kBoiler}, {"subscribe", Mark::kBoiler}, {"tagcloud", Mark::kBoiler},
    {"tags", Mark::kBoiler}, {"topbar", Mark::kHeader}, {"trending", Mark::kAside},
    {"widget", Mark::kAside}, {"widgets", Mark::kAside},
};

static_assert([] {
  for (std::size_t i = 1; i < std::size(kWords); ++i)
    if (!(kWords[i - 1].word < kWords[i].word)) return false;
  return true;
}(), "kWords must be sorted (one entry per word)");

// Generic content words (strength 1), and the first/second halves of specific ones
// (entry-content, post-body, article-text, story-body...: strength 3).
constexpr std::string_view kContentWords[] = {"article", "content", "entry", "main", "post",
                                               "primary", "story", "text"};
constexpr std::string_view kContentHeads[] = {"article", "entry", "post", "story"};
constexpr std::string_view kContentTails[] = {"body", "content", "text"};
constexpr std::string_view kContentJoined[] = {"articlebody", "articlecontent", "articletext",
                                                "entrycontent", "postbody", "postcontent",
                                                "storybody", "storycontent"};

// Every word above in one table with what it says (its mark, and the lists it is in),
// sorted, indexed by first letter: a word is compared only with the few known words of its
// first letter and length, by a byte loop (a binary search and ten list searches per word,
// each comparison a memcmp call, cost more than the scan of the class value itself).
enum WordFlag : uint8_t {
  kBuilderWord = 1,   // elementor
  kLayoutFlag = 2,    // no, has, with, without
  kSiteWord = 4,      // site, page, global, top
  kJoinedWord = 8,    // kContentJoined
  kTailWord = 16,     // kContentTails
  kContentWord = 32,  // kContentWords
  kHeadWord = 64,     // kContentHeads
};
struct KnownWord {
  std::string_view word;
  Mark mark = Mark::kNone;
  uint8_t flags = 0;
};
constexpr std::size_t kMaxKnown = std::size(kWords) + std::size(kContentWords) +
                                  std::size(kContentHeads) + std::size(kContentTails) +
                                  std::size(kContentJoined) + 9;
struct KnownWords {
  std::array<KnownWord, kMaxKnown> words{};
  std::size_t size = 0;
  std::array<uint8_t, 27> start{};  // where each first letter's words start
};
constexpr KnownWords kKnown = [] {
  KnownWords t;
  auto add = [&t](std::string_view w, Mark m, uint8_t f) {
    for (std::size_t i = 0; i < t.size; ++i) {
      if (t.words[i].word != w) continue;
      t.words[i].flags |= f;
      if (m != Mark::kNone) t.words[i].mark = m;
      return;
    }
    t.words[t.size++] = KnownWord{w, m, f};
  };
  for (const Word& w : kWords) add(w.word, w.mark, 0);
  for (std::string_view w : kContentWords) add(w, Mark::kNone, kContentWord);
  for (std::string_view w : kContentHeads) add(w, Mark::kNone, kHeadWord);
  for (std::string_view w : kContentTails) add(w, Mark::kNone, kTailWord);
  for (std::string_view w : kContentJoined) add(w, Mark::kNone, kJoinedWord);
  add("elementor", Mark::kNone, kBuilderWord);
  for (std::string_view w : {"no", "has", "with", "without"}) add(w, Mark::kNone, kLayoutFlag);
  for (std::string_view w : {"site", "page", "global", "top"}) add(w, Mark::kNone, kSiteWord);
  for (std::size_t i = 1; i < t.size; ++i)  // insertion sort by word
    for (std::size_t j = i; j > 0 && t.words[j].word < t.words[j - 1].word; --j)
      std::swap(t.words[j], t.words[j - 1]);
  std::size_t e = 0;
  for (int letter = 0; letter < 26; ++letter) {
    t.start[letter] = static_cast<uint8_t>(e);
    while (e < t.size && t.words[e].word[0] == 'a' + letter) ++e;
  }
  t.start[26] = static_cast<uint8_t>(e);
  return t;
}();
static_assert(kKnown.start[26] == kKnown.size, "known words must be lower case a-z first");

// `w[0]` is a lower-case letter (known_shape checked it).
const KnownWord* known_word(const char* w, std::size_t n) {
  const int letter = w[0] - 'a';
  for (std::size_t e = kKnown.start[letter]; e < kKnown.start[letter + 1]; ++e) {
    const std::string_view k = kKnown.words[e].word;
    if (k.size() != n) continue;
    std::size_t i = 1;
    while (i < n && k[i] == w[i]) ++i;
    if (i == n) return &kKnown.words[e];
  }
  return nullptr;
}

// What the class and id tokens of one element say. A token is split into words at anything
// not a letter or digit ("post-tags" → post, tags).
struct TokenEvidence {
  Mark boiler = Mark::kNone;  // the first boilerplate word's mark, in a token without a
                              // specific content pair
  uint8_t strength = 0;       // strongest content evidence of a token without boilerplate
                              // words (3: a specific pair such as entry-content, 1: generic)
  bool builder = false;       // "elementor": every block is a "widget"
};

// Which (first letter, length) pairs any known word has: most class words ("col", "md",
// "wrapper", "fb") fail this test and are never compared (a third of extract's added cost
// was the comparisons before it).
constexpr auto kKnownShape = [] {
  std::array<uint32_t, 26> mask{};
  auto add = [&mask](std::string_view w) { mask[w[0] - 'a'] |= 1u << w.size(); };
  for (const Word& w : kWords) add(w.word);
  for (std::string_view w : kContentWords) add(w);
  for (std::string_view w : kContentTails) add(w);
  for (std::string_view w : kContentJoined) add(w);
  for (std::string_view w : {"elementor", "no", "has", "with", "without", "site", "page", "global", "top"}) add(w);
  return mask;
}();

bool known_shape(const char* w, std::size_t n) {
  return n < 32 && w[0] >= 'a' && w[0] <= 'z' && (kKnownShape[w[0] - 'a'] >> n & 1u);
}

// Per byte: the lower-case letter or digit, kSpace (ends a token) or kJoin (ends a word).
constexpr char kSpace = 1, kJoin = 0;
constexpr auto kByteKind = [] {
  std::array<char, 256> t{};
  for (int c = 'a'; c <= 'z'; ++c) t[c] = static_cast<char>(c);
  for (int c = 'A'; c <= 'Z'; ++c) t[c] = static_cast<char>(c + 32);
  for (int c = '0'; c <= '9'; ++c) t[c] = static_cast<char>(c);
  for (unsigned char c : {' ', '\t', '\n', '\r', '\f'}) t[c] = kSpace;
  return t;
}();

// The state of the token being read: its words decide together ("comment-content" is a
// comment, "entry-content share-enabled" content).
struct TokenState {
  Mark boiler = Mark::kNone;
  uint8_t strength = 0;
  bool flag = false;       // a layout flag word: "no-sidebar", "has-sidebar", "with-share"
  bool prev_head = false;  // the previous word is a content head (entry, post, ...)
  bool prev_site = false;  // the previous word is site, page, global or top
  uint32_t words = 0;      // known words so far
};

void end_word(const char* buf, std::size_t n, bool fits, TokenState& t, TokenEvidence& ev) {
  if (n == 0) return;
  const KnownWord* k = fits && known_shape(buf, n) ? known_word(buf, n) : nullptr;
  if (k == nullptr) {  // a word that says nothing
    t.prev_head = false;
    t.prev_site = false;
    ++t.words;
    return;
  }
  if (k->flags & kBuilderWord) ev.builder = true;
  if (k->flags & kLayoutFlag) t.flag = true;
  if (t.boiler == Mark::kNone) {
    const Mark m = k->mark;
    // "header" heads a page region only as the token's first word or after site/page/
    // global/top ("header-top", "site-header"); "table-header", "card-header",
    // "entry-header" are headers of a part of the content.
    if (m != Mark::kHeader || t.words == 0 || t.prev_site) t.boiler = m;
  }
  t.prev_site = (k->flags & kSiteWord) != 0;
  ++t.words;
  if ((k->flags & kJoinedWord) || (t.prev_head && (k->flags & kTailWord)))
    t.strength = 3;
  else if (t.strength == 0 && (k->flags & kContentWord))
    t.strength = 1;
  t.prev_head = (k->flags & kHeadWord) != 0;
}

void end_token(TokenState& t, TokenEvidence& ev) {
  if (t.flag) t.boiler = Mark::kNone;
  if (t.boiler != Mark::kNone && t.strength < 3) {
    if (ev.boiler == Mark::kNone) ev.boiler = t.boiler;
  } else {
    ev.strength = std::max(ev.strength, t.strength);
  }
  t = TokenState{};
}

// The tokens of a class or id value, split into words at anything not a letter or digit
// ("post-tags" → post, tags); one pass, one table lookup per byte.
void scan_tokens(std::string_view value, TokenEvidence& ev) {
  std::array<char, 24> buf;
  std::size_t n = 0;
  bool fits = true;
  TokenState t;
  for (const char c : value) {
    const char k = kByteKind[static_cast<unsigned char>(c)];
    if (k > kSpace) {
      if (n < buf.size()) buf[n++] = k; else fits = false;
      continue;
    }
    end_word(buf.data(), n, fits, t, ev);
    n = 0, fits = true;
    if (k == kSpace) end_token(t, ev);
  }
  end_word(buf.data(), n, fits, t, ev);
  end_token(t, ev);
}

}  // namespace

Mark mark_element(std::string_view tag, std::string_view id, std::string_view cls,
                  std::string_view role, std::string_view itemprop, uint8_t& strength) {
  strength = 0;
  // Elements and ARIA landmark roles (WAI-ARIA 1.2 §5.3.4) decide first.
  if (tag == "nav") return Mark::kNav;
  if (tag == "aside") return Mark::kAside;
  if (tag == "footer") return Mark::kFooter;
  if (tag == "header") return Mark::kHeader;
  if (tag == "form") return Mark::kBoiler;
  // Captions and credits of pictures are not running text (the image keeps its figcaption).
  if (tag == "figcaption") return Mark::kBoiler;
  if (!role.empty()) {
    if (iequals(role, "navigation") || iequals(role, "menu") || iequals(role, "menubar"))
      return Mark::kNav;
    if (iequals(role, "banner")) return Mark::kHeader;
    if (iequals(role, "contentinfo")) return Mark::kFooter;
    if (iequals(role, "complementary")) return Mark::kAside;
    if (iequals(role, "search") || iequals(role, "dialog") || iequals(role, "alertdialog"))
      return Mark::kBoiler;
    if (iequals(role, "main")) return strength = 2, Mark::kContent;
  }
  if (iequals(itemprop, "articlebody") || iequals(itemprop, "text")) return strength = 3, Mark::kContent;
  TokenEvidence ev;
  scan_tokens(id, ev);
  scan_tokens(cls, ev);
  if (ev.builder && ev.boiler == Mark::kAside) ev.boiler = Mark::kNone;  // elementor-widget
  const bool tag_content = tag == "main" || tag == "article";
  // A token that is content through and through ("post", "entry-content") beats a
  // boilerplate token beside it ("theme-share").
  if (ev.boiler != Mark::kNone && ev.strength == 0) return ev.boiler;
  strength = std::max<uint8_t>(ev.strength, tag_content ? 2 : 0);
  return strength > 0 ? Mark::kContent : Mark::kNone;
}

}  // namespace warcpairs::html
