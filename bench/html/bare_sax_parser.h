// The limit extract and HtmlExtractor are measured against: libxml2's HTML SAX push parser
// with empty callbacks, reused between pages as HtmlExtractor reuses its own (a push context
// reset per page, recovery on, errors silenced). Shared by bench/html and bench/extract.
#pragma once

#include <libxml/HTMLparser.h>

#include <string_view>

class BareSaxParser {
 public:
  BareSaxParser() {
    xmlInitParser();
    xmlSetGenericErrorFunc(nullptr, silent);  // encoding errors go there, not through serror
    xmlSetStructuredErrorFunc(nullptr, silent_structured);
    empty_.initialized = XML_SAX2_MAGIC;
    empty_.serror = silent_structured;
    ctxt_ = htmlCreatePushParserCtxt(&empty_, nullptr, nullptr, 0, nullptr, XML_CHAR_ENCODING_NONE);
  }
  ~BareSaxParser() { htmlFreeParserCtxt(ctxt_); }
  BareSaxParser(const BareSaxParser&) = delete;
  BareSaxParser& operator=(const BareSaxParser&) = delete;

  void parse(std::string_view html) {
    xmlCtxtResetPush(ctxt_, nullptr, 0, nullptr, nullptr);
    ctxt_->html = 1;
    ctxt_->progressive = 1;
    htmlCtxtUseOptions(ctxt_, kOptions);
    htmlParseChunk(ctxt_, html.data(), static_cast<int>(html.size()), 1);
  }

  static constexpr int kOptions = HTML_PARSE_RECOVER | HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING |
                                  HTML_PARSE_NONET | HTML_PARSE_COMPACT;

 private:
  static void silent(void*, const char*, ...) {}
  static void silent_structured(void*, xmlErrorPtr) {}

  htmlSAXHandler empty_{};
  htmlParserCtxtPtr ctxt_ = nullptr;
};
