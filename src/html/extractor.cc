// HtmlExtractor: bytes → charset → UTF-8 → libxml2 SAX push parse → PageExtraction.
#include "warcpairs/html/extractor.h"

#include <libxml/HTMLparser.h>
#include <libxml/parserInternals.h>

#include <cstdlib>
#include <cstring>
#include <mutex>

#include "page_builder.h"
#include "utf8_decoder.h"
#include "warcpairs/html/charset.h"

namespace warcpairs::html {
namespace {

constexpr std::size_t kSniffBytes = 1024;

struct CtxtDeleter {
  void operator()(xmlParserCtxt* c) const {
    if (c->myDoc) xmlFreeDoc(c->myDoc);
    htmlFreeParserCtxt(c);
  }
};

// What the SAX callbacks get as user data: the page's builder and the parser they run in.
struct SaxTarget {
  PageBuilder* builder = nullptr;
  xmlParserCtxt* ctxt = nullptr;
  bool skip_raw_text = false;
};

PageBuilder* builder_of(void* ctx) { return static_cast<SaxTarget*>(ctx)->builder; }
const char* chars(const xmlChar* s) { return reinterpret_cast<const char*>(s); }

bool ascii_iequal(const char* a, const char* b, std::size_t n) {
  for (std::size_t i = 0; i < n; ++i) {
    const auto x = static_cast<unsigned char>(a[i]), y = static_cast<unsigned char>(b[i]);
    if ((x >= 'A' && x <= 'Z' ? x + 32 : x) != (y >= 'A' && y <= 'Z' ? y + 32 : y)) return false;
  }
  return true;
}

// <script> and <style> content is raw text: libxml2 2.9's push parser walks it one character
// at a time (htmlParseScript) only to hand it to the cdataBlock callback, which we ignore; on
// real pages it is ~40 % of the HTML bytes. Called from the start-element callback of such an
// element, this moves the parser over it in one step, to where htmlParseScript would stop
// anyway: the first "</" + the element's name, ASCII case-insensitive (recovery mode). What it
// steps over could only have produced ignored cdata and errors (the text is valid UTF-8
// without NUL, so no encoding switch); the '>' that ends the start tag is written just before
// the end tag, where the parser, back from the callback, expects it. Not done when the start
// tag does not end in '>' ("/>", or cut), when no end tag follows (the push parser treats the
// last character of a page specially) or when the raw text is empty.
void skip_raw_text(xmlParserCtxt* c, const xmlChar* name) {
  xmlParserInput* in = c->input;
  if (in == nullptr || c->instate != XML_PARSER_START_TAG || c->name != name || !c->recovery ||
      in->cur >= in->end || *in->cur != '>')
    return;
  const std::size_t n = static_cast<std::size_t>(xmlStrlen(name));
  const char* const text = chars(in->cur) + 1;
  const char* const end = chars(in->end);
  const char* q = text;
  for (;;) {
    q = static_cast<const char*>(std::memchr(q, '<', static_cast<std::size_t>(end - q)));
    if (q == nullptr) return;
    const bool fits = static_cast<std::size_t>(end - q) >= n + 2;
    if (fits && q[1] == '/' && ascii_iequal(q + 2, chars(name), n)) break;
    ++q;
  }
  if (q == text) return;
  const auto at = static_cast<std::size_t>(q - 1 - chars(in->cur));
  const_cast<xmlChar*>(in->cur)[at] = '>';
  in->cur += at;
}

void on_start(void* ctx, const xmlChar* name, const xmlChar** atts) {
  auto* target = static_cast<SaxTarget*>(ctx);
  target->builder->start_element(chars(name), reinterpret_cast<const char* const*>(atts));
  const char* n = chars(name);
  if (target->skip_raw_text && (std::strcmp(n, "script") == 0 || std::strcmp(n, "style") == 0))
    skip_raw_text(target->ctxt, name);
}
void on_end(void* ctx, const xmlChar* name) { builder_of(ctx)->end_element(chars(name)); }
void on_characters(void* ctx, const xmlChar* ch, int len) {
  builder_of(ctx)->characters(std::string_view(chars(ch), static_cast<std::size_t>(len)));
}
void on_ignore(void*, const xmlChar*, int) {}  // script/style raw text (cdataBlock)
// libxml2 reports an end tag it ignored as XML_ERR_TAG_NAME_MISMATCH with the tag in str1
// (htmlParseEndTag: "Opening and ending tag mismatch: %s and %s", or "Unexpected end tag").
void on_structured_error(void* ctx, xmlErrorPtr e) {
  if (ctx && e && e->code == XML_ERR_TAG_NAME_MISMATCH && e->str1)
    builder_of(ctx)->end_tag_ignored(e->str1);
}
void on_error(void*, const char*, ...) {}

// Binary served as text/html: a NUL or many C0 controls in the first KB, or a known magic.
bool looks_binary(std::string_view s) {
  static constexpr std::string_view kMagic[] = {"\x1F\x8B", "\x89PNG", "\xFF\xD8\xFF", "GIF8",
                                                "%PDF-", "PK\x03\x04", "\x7F" "ELF"};
  for (std::string_view m : kMagic) {
    if (s.starts_with(m)) return true;
  }
  const std::string_view head = s.substr(0, kSniffBytes);
  std::size_t controls = 0;
  for (unsigned char c : head) {
    if (c == 0) return true;
    controls += (c < 0x09) || (c > 0x0D && c < 0x20 && c != 0x1B);
  }
  return head.size() >= 16 && controls * 10 > head.size();
}

// A UTF-8 page cut at max_html_bytes must not end in half a character.
std::string_view trim_partial_utf8(std::string_view s) {
  for (std::size_t back = 1; back <= 4 && back <= s.size(); ++back) {
    const auto b = static_cast<unsigned char>(s[s.size() - back]);
    if ((b & 0xC0) == 0x80) continue;
    const std::size_t need = b < 0x80 ? 1 : b < 0xE0 ? 2 : b < 0xF0 ? 3 : 4;
    return need > back ? s.substr(0, s.size() - back) : s;
  }
  return s;
}

// libxml2 stops at a NUL; the HTML tokenizer turns it into U+FFFD in most states.
void replace_nul(std::string& s) {
  if (std::memchr(s.data(), 0, s.size()) == nullptr) return;
  std::string out;
  out.reserve(s.size() + 16);
  for (char c : s) {
    if (c == '\0') out.append("\xEF\xBF\xBD");
    else out.push_back(c);
  }
  s.swap(out);
}

}  // namespace

struct HtmlExtractor::Impl {
  ExtractOptions options;
  PageBuilder builder;
  SaxTarget target;
  Utf8Decoder decoder;
  std::string utf8;
  htmlSAXHandler sax{};
  std::unique_ptr<xmlParserCtxt, CtxtDeleter> ctxt;

  explicit Impl(ExtractOptions o) : options(o) {
    static std::once_flag init;
    std::call_once(init, [] { xmlInitParser(); });
    sax.startElement = on_start;
    sax.endElement = on_end;
    sax.characters = on_characters;
    sax.ignorableWhitespace = on_characters;  // whitespace separates words
    sax.cdataBlock = on_ignore;
    sax.error = on_error;
    sax.warning = on_error;
    sax.fatalError = on_error;
    sax.serror = on_structured_error;
    sax.initialized = XML_SAX2_MAGIC;  // makes libxml2 report through serror, not stderr
    ctxt.reset(htmlCreatePushParserCtxt(&sax, &target, nullptr, 0, nullptr, XML_CHAR_ENCODING_NONE));
    if (!ctxt) throw std::bad_alloc();
    target.builder = &builder;
    target.ctxt = ctxt.get();
    // The step over raw text follows libxml2 2.9's push parser (Debian 12: 2.9.14); later
    // versions parse differently, so they walk the raw text themselves.
    target.skip_raw_text = !options.walk_raw_text && LIBXML_VERSION / 100 == 209 &&
                           std::atoi(xmlParserVersion) / 100 == 209;
  }

  // libxml2's push parser stops at the first tag or text after the root element has closed
  // (`</html>` then more markup: it leaves the input unread, no element open). HTML5 puts that content back into the
  // body and browsers show it, so the rest is parsed again, into the same page, from where
  // libxml2 stopped (at most kMaxRestarts times: each costs a context reset).
  static constexpr int kMaxRestarts = 64;

  void parse(std::string_view text) {
    for (int restarts = 0;; ++restarts) {
      const std::size_t used = parse_once(text);
      if (used == 0 || used >= text.size() || restarts == kMaxRestarts) return;
      text.remove_prefix(used);
    }
  }

  // Returns where libxml2 stopped after the root element (0: it read everything).
  std::size_t parse_once(std::string_view text) {
    xmlParserCtxt* c = ctxt.get();
    if (c->myDoc) xmlFreeDoc(c->myDoc), c->myDoc = nullptr;
    // lxml's recipe for reusing an HTML push context: reset as XML, then restore HTML mode.
    xmlCtxtResetPush(c, nullptr, 0, nullptr, nullptr);
    c->progressive = 1;
    c->html = 1;
    htmlCtxtUseOptions(c, HTML_PARSE_RECOVER | HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING |
                              HTML_PARSE_NONET | HTML_PARSE_NODEFDTD | HTML_PARSE_IGNORE_ENC |
                              HTML_PARSE_COMPACT);
    c->sax->serror = on_structured_error;  // htmlCtxtUseOptions cleared error/warning
    c->sax->error = on_error;
    c->sax->warning = on_error;
    c->userData = &target;
    htmlParseChunk(c, text.data(), static_cast<int>(text.size()), 1);
    if (c->myDoc) xmlFreeDoc(c->myDoc), c->myDoc = nullptr;
    if (c->instate != XML_PARSER_EOF || c->nameNr != 0) return 0;  // not stopped after the root
    const long used = xmlByteConsumed(c);
    return used > 0 ? static_cast<std::size_t>(used) : 0;
  }
};

HtmlExtractor::HtmlExtractor(ExtractOptions options) : impl_(std::make_unique<Impl>(options)) {}
HtmlExtractor::~HtmlExtractor() = default;

void HtmlExtractor::extract(std::string_view html, std::string_view page_url,
                            std::string_view content_type, PageExtraction& out) {
  out.charset.clear();
  out.language.clear();
  out.title.clear();
  out.text.clear();
  out.text_language = {};
  out.robots.clear();
  out.images.clear();
  out.data_uri_images = out.tracker_images = out.no_url_images = out.dropped_images = 0;
  out.hidden_images = 0;
  out.truncated = out.invalid_utf8 = out.not_html = false;
  if (html.size() > impl_->options.max_html_bytes) {
    html = trim_partial_utf8(html.substr(0, impl_->options.max_html_bytes));
    out.truncated = true;
  }
  const CharsetGuess guess = detect_charset(html, content_type);
  html.remove_prefix(guess.bom_length);
  std::string_view charset = guess.name;
  const bool utf16 = charset.starts_with("utf-16");
  if (!utf16 && looks_binary(html)) {
    out.not_html = true;
    out.charset.assign(charset);
    return;
  }
  std::string& text = impl_->utf8;
  out.invalid_utf8 = impl_->decoder.decode(html, charset, text) > 0;
  out.charset.assign(charset);
  if (utf16 && looks_binary(text)) {
    out.not_html = true;
    return;
  }
  replace_nul(text);
  impl_->builder.begin(impl_->options, page_url, out);
  if (!text.empty() && text.size() <= static_cast<std::size_t>(INT32_MAX)) impl_->parse(text);
  impl_->builder.finish();
}

}  // namespace warcpairs::html
