// LinkExtractor: bytes → UTF-8 → libxml2 SAX push parse; start tags only.
#include "warcpairs/html/links.h"

#include <libxml/HTMLparser.h>
#include <libxml/parserInternals.h>

#include <mutex>

#include "utf8_decoder.h"
#include "warcpairs/html/charset.h"
#include "warcpairs/text/url.h"

namespace warcpairs::html {
namespace {

struct CtxtDeleter {
  void operator()(xmlParserCtxt* c) const {
    if (c->myDoc) xmlFreeDoc(c->myDoc);
    htmlFreeParserCtxt(c);
  }
};

const char* chars(const xmlChar* s) { return reinterpret_cast<const char*>(s); }

char lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c + 32) : c; }

// Whether the space-separated token list `list` holds `token` (ASCII case-insensitive).
bool has_token(std::string_view list, std::string_view token) {
  std::size_t i = 0;
  while (i < list.size()) {
    while (i < list.size() && (list[i] == ' ' || list[i] == '\t' || list[i] == '\n' ||
                               list[i] == '\r' || list[i] == '\f' || list[i] == ','))
      ++i;
    std::size_t j = i;
    while (j < list.size() && !(list[j] == ' ' || list[j] == '\t' || list[j] == '\n' ||
                                list[j] == '\r' || list[j] == '\f' || list[j] == ','))
      ++j;
    if (j - i == token.size()) {
      bool same = true;
      for (std::size_t k = 0; k < token.size() && same; ++k) same = lower(list[i + k]) == token[k];
      if (same) return true;
    }
    i = j;
  }
  return false;
}

struct Attributes {
  const xmlChar** atts;
  // The value of attribute `name` (libxml2 lower-cases HTML names), nullptr when absent.
  const char* get(const char* name) const {
    for (const xmlChar** a = atts; a && a[0]; a += 2)
      if (xmlStrcmp(a[0], reinterpret_cast<const xmlChar*>(name)) == 0)
        return a[1] ? chars(a[1]) : "";
    return nullptr;
  }
};

struct Collector {
  std::string page_url;
  std::string base;          // <base href> resolved, else the page URL
  bool base_seen = false;
  PageLinks* out = nullptr;

  void add(std::vector<std::string>& to, const char* ref) {
    if (ref == nullptr || *ref == '\0') return;
    std::string url = text::resolve_url(base, ref);
    if (!url.empty()) to.push_back(std::move(url));
  }
  void add_srcset(const char* srcset) {
    if (srcset == nullptr) return;
    for (const auto& c : text::parse_srcset(srcset)) add(out->images, c.url.c_str());
  }

  // HTML Living Standard §4.2.3 "the base element": the first base with href counts.
  void on_element(std::string_view name, const Attributes& a) {
    if (name == "base") {
      if (const char* href = a.get("href"); href && !base_seen) {
        base_seen = true;
        const std::string resolved = text::resolve_url(page_url, href);
        if (!resolved.empty()) base = resolved;
      }
    } else if (name == "meta") {
      const char* n = a.get("name");
      const char* content = a.get("content");
      if (n && content && has_token(n, "robots") &&
          (has_token(content, "nofollow") || has_token(content, "none")))
        out->meta_nofollow = true;
    } else if (name == "a" || name == "area") {
      const char* rel = a.get("rel");
      if (rel && has_token(rel, "nofollow")) {
        if (a.get("href")) ++out->nofollow_links;
        return;
      }
      add(out->links, a.get("href"));
    } else if (name == "frame" || name == "iframe") {
      add(out->links, a.get("src"));
    } else if (name == "img") {
      add(out->images, a.get("src"));
      add(out->images, a.get("data-src"));
      add_srcset(a.get("srcset"));
      add_srcset(a.get("data-srcset"));
    } else if (name == "source") {
      add_srcset(a.get("srcset"));
    } else if (name == "input") {
      const char* type = a.get("type");
      if (type && has_token(type, "image")) add(out->images, a.get("src"));
    } else if (name == "link") {
      const char* rel = a.get("rel");
      if (rel == nullptr) return;
      if (has_token(rel, "stylesheet")) add(out->styles, a.get("href"));
      else if (has_token(rel, "icon")) add(out->images, a.get("href"));
      else if ((has_token(rel, "next") || has_token(rel, "prev")) && !has_token(rel, "nofollow"))
        add(out->links, a.get("href"));
    } else if (name == "script") {
      add(out->styles, a.get("src"));
    }
  }
};

void on_start(void* ctx, const xmlChar* name, const xmlChar** atts) {
  static_cast<Collector*>(ctx)->on_element(chars(name), Attributes{atts});
}
void on_error(void*, const char*, ...) {}
void on_structured_error(void*, xmlErrorPtr) {}

}  // namespace

struct LinkExtractor::Impl {
  Utf8Decoder decoder;
  std::string utf8;
};

LinkExtractor::LinkExtractor() : impl_(std::make_unique<Impl>()) {
  static std::once_flag init;
  std::call_once(init, [] { xmlInitParser(); });
}
LinkExtractor::~LinkExtractor() = default;

PageLinks LinkExtractor::extract(std::string_view html, std::string_view page_url,
                                 std::string_view content_type) {
  PageLinks out;
  const CharsetGuess guess = detect_charset(html, content_type);
  html.remove_prefix(guess.bom_length);
  std::string_view charset = guess.name;
  impl_->decoder.decode(html, charset, impl_->utf8);
  std::string& text = impl_->utf8;
  for (char& c : text)
    if (c == '\0') c = ' ';  // libxml2 stops at a NUL
  if (text.empty() || text.size() > static_cast<std::size_t>(INT32_MAX)) return out;
  Collector collector;
  collector.page_url.assign(page_url);
  collector.base.assign(page_url);
  collector.out = &out;
  htmlSAXHandler sax{};
  sax.startElement = on_start;
  sax.error = on_error;
  sax.warning = on_error;
  sax.fatalError = on_error;
  sax.serror = on_structured_error;
  sax.initialized = XML_SAX2_MAGIC;
  std::unique_ptr<xmlParserCtxt, CtxtDeleter> ctxt(
      htmlCreatePushParserCtxt(&sax, &collector, nullptr, 0, nullptr, XML_CHAR_ENCODING_UTF8));
  if (!ctxt) throw std::bad_alloc();
  htmlCtxtUseOptions(ctxt.get(), HTML_PARSE_RECOVER | HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING |
                                     HTML_PARSE_NONET | HTML_PARSE_NODEFDTD | HTML_PARSE_IGNORE_ENC |
                                     HTML_PARSE_COMPACT);
  ctxt->sax->serror = on_structured_error;
  ctxt->sax->error = on_error;
  ctxt->sax->warning = on_error;
  ctxt->userData = &collector;
  htmlParseChunk(ctxt.get(), text.data(), static_cast<int>(text.size()), 1);
  if (out.meta_nofollow) out.links.clear();
  return out;
}

}  // namespace warcpairs::html
