// HtmlExtractor: bytes → charset → UTF-8 → libxml2 SAX push parse → PageExtraction.
#include "warcpairs/html/extractor.h"

#include <libxml/HTMLparser.h>
#include <libxml/parserInternals.h>

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

PageBuilder* builder_of(void* ctx) { return static_cast<PageBuilder*>(ctx); }
const char* chars(const xmlChar* s) { return reinterpret_cast<const char*>(s); }

void on_start(void* ctx, const xmlChar* name, const xmlChar** atts) {
  builder_of(ctx)->start_element(chars(name), reinterpret_cast<const char* const*>(atts));
}
void on_end(void* ctx, const xmlChar* name) { builder_of(ctx)->end_element(chars(name)); }
void on_characters(void* ctx, const xmlChar* ch, int len) {
  builder_of(ctx)->characters(std::string_view(chars(ch), static_cast<std::size_t>(len)));
}
void on_ignore(void*, const xmlChar*, int) {}  // script/style raw text (cdataBlock)
void on_structured_error(void*, xmlErrorPtr) {}
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
    ctxt.reset(htmlCreatePushParserCtxt(&sax, &builder, nullptr, 0, nullptr, XML_CHAR_ENCODING_NONE));
    if (!ctxt) throw std::bad_alloc();
  }

  void parse(std::string_view text) {
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
    c->userData = &builder;
    htmlParseChunk(c, text.data(), static_cast<int>(text.size()), 1);
    if (c->myDoc) xmlFreeDoc(c->myDoc), c->myDoc = nullptr;
  }
};

HtmlExtractor::HtmlExtractor(ExtractOptions options) : impl_(std::make_unique<Impl>(options)) {}
HtmlExtractor::~HtmlExtractor() = default;

void HtmlExtractor::extract(std::string_view html, std::string_view page_url,
                            std::string_view content_type, PageExtraction& out) {
  out.charset.clear();
  out.language.clear();
  out.title.clear();
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
