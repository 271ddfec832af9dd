// Charset labels (WHATWG Encoding Standard §4.2) and the order of detection (HTML §13.2.3).
#include "warcpairs/html/charset.h"

#include <algorithm>
#include <array>
#include <cstring>

#include "warcpairs/text/normalize.h"

namespace warcpairs::html {
namespace {

struct Label { std::string_view label, name; };

// Encoding Standard §4.2 labels, sorted by label for binary search. Legacy single-byte,
// CJK and UTF-16 encodings; "replacement" labels are left out (treated as unknown).
constexpr Label kLabels[] = {
    {"866", "ibm866"}, {"ansi_x3.4-1968", "windows-1252"}, {"arabic", "iso-8859-6"},
    {"ascii", "windows-1252"}, {"asmo-708", "iso-8859-6"}, {"big5", "big5"},
    {"big5-hkscs", "big5"}, {"chinese", "gbk"}, {"cn-big5", "big5"}, {"cp1250", "windows-1250"},
    {"cp1251", "windows-1251"}, {"cp1252", "windows-1252"}, {"cp1253", "windows-1253"},
    {"cp1254", "windows-1254"}, {"cp1255", "windows-1255"}, {"cp1256", "windows-1256"},
    {"cp1257", "windows-1257"}, {"cp1258", "windows-1258"}, {"cp819", "windows-1252"},
    {"cp866", "ibm866"}, {"csbig5", "big5"}, {"cseuckr", "euc-kr"},
    {"cseucpkdfmtjapanese", "euc-jp"}, {"csgb2312", "gbk"}, {"csibm866", "ibm866"},
    {"csiso2022jp", "iso-2022-jp"}, {"csiso58gb231280", "gbk"}, {"csiso88596e", "iso-8859-6"},
    {"csiso88596i", "iso-8859-6"}, {"csiso88598e", "iso-8859-8"}, {"csiso88598i", "iso-8859-8-i"},
    {"csisolatin1", "windows-1252"}, {"csisolatin2", "iso-8859-2"}, {"csisolatin3", "iso-8859-3"},
    {"csisolatin4", "iso-8859-4"}, {"csisolatin5", "windows-1254"}, {"csisolatin6", "iso-8859-10"},
    {"csisolatin9", "iso-8859-15"}, {"csisolatinarabic", "iso-8859-6"},
    {"csisolatincyrillic", "iso-8859-5"}, {"csisolatingreek", "iso-8859-7"},
    {"csisolatinhebrew", "iso-8859-8"}, {"cskoi8r", "koi8-r"}, {"csksc56011987", "euc-kr"},
    {"csmacintosh", "macintosh"}, {"csshiftjis", "shift_jis"}, {"csunicode", "utf-16le"},
    {"cyrillic", "iso-8859-5"}, {"dos-874", "windows-874"}, {"ecma-114", "iso-8859-6"},
    {"ecma-118", "iso-8859-7"}, {"elot_928", "iso-8859-7"}, {"euc-jp", "euc-jp"},
    {"euc-kr", "euc-kr"}, {"gb18030", "gb18030"}, {"gb2312", "gbk"}, {"gb_2312", "gbk"},
    {"gb_2312-80", "gbk"}, {"gbk", "gbk"}, {"greek", "iso-8859-7"}, {"greek8", "iso-8859-7"},
    {"hebrew", "iso-8859-8"}, {"ibm819", "windows-1252"}, {"ibm866", "ibm866"},
    {"iso-10646-ucs-2", "utf-16le"}, {"iso-2022-jp", "iso-2022-jp"}, {"iso-8859-1", "windows-1252"},
    {"iso-8859-10", "iso-8859-10"}, {"iso-8859-11", "windows-874"}, {"iso-8859-13", "iso-8859-13"},
    {"iso-8859-14", "iso-8859-14"}, {"iso-8859-15", "iso-8859-15"}, {"iso-8859-16", "iso-8859-16"},
    {"iso-8859-2", "iso-8859-2"}, {"iso-8859-3", "iso-8859-3"}, {"iso-8859-4", "iso-8859-4"},
    {"iso-8859-5", "iso-8859-5"}, {"iso-8859-6", "iso-8859-6"}, {"iso-8859-7", "iso-8859-7"},
    {"iso-8859-8", "iso-8859-8"}, {"iso-8859-8-i", "iso-8859-8-i"}, {"iso-8859-9", "windows-1254"},
    {"iso-ir-100", "windows-1252"}, {"iso-ir-101", "iso-8859-2"}, {"iso-ir-109", "iso-8859-3"},
    {"iso-ir-110", "iso-8859-4"}, {"iso-ir-126", "iso-8859-7"}, {"iso-ir-127", "iso-8859-6"},
    {"iso-ir-138", "iso-8859-8"}, {"iso-ir-144", "iso-8859-5"}, {"iso-ir-148", "windows-1254"},
    {"iso-ir-149", "euc-kr"}, {"iso-ir-157", "iso-8859-10"}, {"iso-ir-58", "gbk"},
    {"iso8859-1", "windows-1252"}, {"iso8859-15", "iso-8859-15"}, {"iso8859-2", "iso-8859-2"},
    {"iso8859-5", "iso-8859-5"}, {"iso8859-9", "windows-1254"}, {"iso88591", "windows-1252"},
    {"iso885915", "iso-8859-15"}, {"iso88592", "iso-8859-2"}, {"iso88595", "iso-8859-5"},
    {"iso88599", "windows-1254"}, {"iso_8859-1", "windows-1252"}, {"iso_8859-15", "iso-8859-15"},
    {"iso_8859-1:1987", "windows-1252"}, {"iso_8859-2", "iso-8859-2"}, {"iso_8859-5", "iso-8859-5"},
    {"iso_8859-9", "windows-1254"}, {"koi", "koi8-r"}, {"koi8", "koi8-r"}, {"koi8-r", "koi8-r"},
    {"koi8-ru", "koi8-u"}, {"koi8-u", "koi8-u"}, {"koi8_r", "koi8-r"}, {"korean", "euc-kr"},
    {"ks_c_5601-1987", "euc-kr"}, {"ks_c_5601-1989", "euc-kr"}, {"ksc5601", "euc-kr"},
    {"ksc_5601", "euc-kr"}, {"l1", "windows-1252"}, {"l2", "iso-8859-2"}, {"l3", "iso-8859-3"},
    {"l4", "iso-8859-4"}, {"l5", "windows-1254"}, {"l6", "iso-8859-10"}, {"l9", "iso-8859-15"},
    {"latin1", "windows-1252"}, {"latin2", "iso-8859-2"}, {"latin3", "iso-8859-3"},
    {"latin4", "iso-8859-4"}, {"latin5", "windows-1254"}, {"latin6", "iso-8859-10"},
    {"logical", "iso-8859-8-i"}, {"mac", "macintosh"}, {"macintosh", "macintosh"},
    {"ms932", "shift_jis"}, {"ms_kanji", "shift_jis"}, {"shift-jis", "shift_jis"},
    {"shift_jis", "shift_jis"}, {"sjis", "shift_jis"}, {"sun_eu_greek", "iso-8859-7"},
    {"tis-620", "windows-874"}, {"ucs-2", "utf-16le"}, {"unicode", "utf-16le"},
    {"unicode-1-1-utf-8", "utf-8"}, {"unicode11utf8", "utf-8"}, {"unicode20utf8", "utf-8"},
    {"unicodefeff", "utf-16le"}, {"unicodefffe", "utf-16be"}, {"us-ascii", "windows-1252"},
    {"utf-16", "utf-16le"}, {"utf-16be", "utf-16be"}, {"utf-16le", "utf-16le"}, {"utf-8", "utf-8"},
    {"utf8", "utf-8"}, {"visual", "iso-8859-8"}, {"windows-1250", "windows-1250"},
    {"windows-1251", "windows-1251"}, {"windows-1252", "windows-1252"},
    {"windows-1253", "windows-1253"}, {"windows-1254", "windows-1254"},
    {"windows-1255", "windows-1255"}, {"windows-1256", "windows-1256"},
    {"windows-1257", "windows-1257"}, {"windows-1258", "windows-1258"}, {"windows-31j", "shift_jis"},
    {"windows-874", "windows-874"}, {"windows-949", "euc-kr"}, {"x-cp1250", "windows-1250"},
    {"x-cp1251", "windows-1251"}, {"x-cp1252", "windows-1252"}, {"x-cp1253", "windows-1253"},
    {"x-cp1254", "windows-1254"}, {"x-cp1255", "windows-1255"}, {"x-cp1256", "windows-1256"},
    {"x-cp1257", "windows-1257"}, {"x-cp1258", "windows-1258"}, {"x-euc-jp", "euc-jp"},
    {"x-gbk", "gbk"}, {"x-mac-cyrillic", "x-mac-cyrillic"}, {"x-mac-roman", "macintosh"},
    {"x-mac-ukrainian", "x-mac-cyrillic"}, {"x-sjis", "shift_jis"},
    {"x-unicode20utf8", "utf-8"}, {"x-user-defined", "x-user-defined"}, {"x-x-big5", "big5"},
};

bool is_ascii_ws(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\f' || c == '\r'; }

}  // namespace

std::string_view canonical_charset(std::string_view label) {
  while (!label.empty() && is_ascii_ws(label.front())) label.remove_prefix(1);
  while (!label.empty() && is_ascii_ws(label.back())) label.remove_suffix(1);
  char buf[32];
  if (label.empty() || label.size() > sizeof buf) return {};
  for (std::size_t i = 0; i < label.size(); ++i) {
    const char c = label[i];
    buf[i] = (c >= 'A' && c <= 'Z') ? static_cast<char>(c + 32) : c;
  }
  const std::string_view key(buf, label.size());
  const auto it = std::lower_bound(std::begin(kLabels), std::end(kLabels), key,
                                   [](const Label& l, std::string_view k) { return l.label < k; });
  if (it == std::end(kLabels) || it->label != key) return {};
  return it->name;
}

// RFC 9110 §8.3.1 media-type parameters; HTML §2.6.x "extracting a character encoding from
// a meta element" is lenient in the same way (quotes optional, case-insensitive name).
std::string_view charset_from_content_type(std::string_view ct) {
  for (std::size_t i = ct.find(';'); i != std::string_view::npos; i = ct.find(';', i)) {
    ++i;
    while (i < ct.size() && is_ascii_ws(ct[i])) ++i;
    if (ct.size() - i < 8 || strncasecmp(ct.data() + i, "charset", 7) != 0) continue;
    std::size_t k = i + 7;
    while (k < ct.size() && is_ascii_ws(ct[k])) ++k;
    if (k >= ct.size() || ct[k] != '=') continue;
    ++k;
    while (k < ct.size() && is_ascii_ws(ct[k])) ++k;
    std::size_t end;
    if (k < ct.size() && (ct[k] == '"' || ct[k] == '\'')) {
      end = ct.find(ct[k], k + 1);
      ++k;
      if (end == std::string_view::npos) end = ct.size();
    } else {
      end = ct.find_first_of("; \t", k);
      if (end == std::string_view::npos) end = ct.size();
    }
    return canonical_charset(ct.substr(k, end - k));
  }
  return {};
}

CharsetGuess detect_charset(std::string_view b, std::string_view content_type) {
  // §13.2.3.1: a BOM wins over everything (Encoding Standard "BOM sniff").
  if (b.starts_with("\xEF\xBB\xBF")) return {"utf-8", CharsetSource::kBom, 3};
  if (b.starts_with("\xFE\xFF")) return {"utf-16be", CharsetSource::kBom, 2};
  if (b.starts_with("\xFF\xFE")) return {"utf-16le", CharsetSource::kBom, 2};
  std::string_view name = charset_from_content_type(content_type);
  if (!name.empty()) return {name, CharsetSource::kHttpHeader, 0};
  name = prescan_charset(b);
  if (!name.empty()) return {name, CharsetSource::kMeta, 0};
  return {text::is_valid_utf8(b) ? "utf-8" : "windows-1252", CharsetSource::kFallback, 0};
}

}  // namespace warcpairs::html
