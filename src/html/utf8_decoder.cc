// Charset decoding: UTF-8 is sanitised, windows-1252 and x-user-defined are table-driven
// (the common legacy case stays fast and WHATWG-exact), the rest goes through iconv.
#include "utf8_decoder.h"

#include <cerrno>
#include <cstdint>
#include <cstring>

#include "warcpairs/text/normalize.h"

namespace warcpairs::html {
namespace {

// Encoding Standard index-windows-1252 for 0x80..0x9F (the rest of the bytes are Latin-1).
constexpr char16_t kWindows1252High[32] = {
    0x20AC, 0x0081, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160,
    0x2039, 0x0152, 0x008D, 0x017D, 0x008F, 0x0090, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022,
    0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0x009D, 0x017E, 0x0178};

void append_utf8(std::string& out, char32_t cp) {
  if (cp < 0x80) {
    out.push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    out.push_back(static_cast<char>(0xC0 | (cp >> 6)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else {
    out.push_back(static_cast<char>(0xE0 | (cp >> 12)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  }
}

void decode_single_byte(std::string_view in, bool user_defined, std::string& out) {
  out.clear();
  out.reserve(in.size() + in.size() / 4);
  const auto* p = reinterpret_cast<const unsigned char*>(in.data());
  for (std::size_t i = 0; i < in.size(); ++i) {
    // Most of a legacy page is ASCII: copy it 8 bytes at a time.
    std::size_t run = i;
    for (uint64_t w; run + 8 <= in.size(); run += 8) {
      std::memcpy(&w, p + run, 8);
      if (w & 0x8080808080808080ull) break;
    }
    if (run > i) {
      out.append(in.data() + i, run - i);
      i = run;
      if (i == in.size()) break;
    }
    const unsigned char b = p[i];
    if (b < 0x80) {
      out.push_back(static_cast<char>(b));
    } else if (user_defined) {
      append_utf8(out, 0xF780 + b - 0x80);  // Encoding Standard §14.5 x-user-defined
    } else {
      append_utf8(out, b < 0xA0 ? kWindows1252High[b - 0x80] : b);
    }
  }
}

// WHATWG name → glibc iconv name; "" where the WHATWG name is understood as is.
const char* iconv_name(std::string_view n) {
  struct Alias { std::string_view whatwg; const char* iconv; };
  static constexpr Alias kAliases[] = {
      {"shift_jis", "CP932"},        {"euc-kr", "CP949"},         {"gbk", "GB18030"},
      {"gb18030", "GB18030"},        {"big5", "BIG5-HKSCS"},      {"ibm866", "CP866"},
      {"iso-8859-8-i", "ISO-8859-8"}, {"x-mac-cyrillic", "MAC-CYRILLIC"},
      {"windows-874", "CP874"},      {"utf-16le", "UTF-16LE"},    {"utf-16be", "UTF-16BE"},
  };
  for (const Alias& a : kAliases) {
    if (a.whatwg == n) return a.iconv;
  }
  return nullptr;
}

}  // namespace

Utf8Decoder::~Utf8Decoder() {
  for (auto& [name, cd] : open_) iconv_close(cd);
}

iconv_t Utf8Decoder::descriptor(std::string_view charset) {
  for (auto& [name, cd] : open_) {
    if (name == charset) return cd;
  }
  const char* alias = iconv_name(charset);
  iconv_t cd = iconv_open("UTF-8", alias ? alias : std::string(charset).c_str());
  if (cd == reinterpret_cast<iconv_t>(-1)) return cd;
  open_.emplace_back(charset, cd);  // charset views point at static WHATWG name strings
  return cd;
}

std::size_t Utf8Decoder::decode_iconv(iconv_t cd, std::string_view in, std::string& out) {
  iconv(cd, nullptr, nullptr, nullptr, nullptr);  // reset shift state (iso-2022-jp)
  out.resize(in.size() * 2 + 64);
  char* src = const_cast<char*>(in.data());
  std::size_t src_left = in.size(), replaced = 0, used = 0;
  while (true) {
    char* dst = out.data() + used;
    std::size_t dst_left = out.size() - used;
    const std::size_t rc = iconv(cd, &src, &src_left, &dst, &dst_left);
    used = out.size() - dst_left;
    if (rc != static_cast<std::size_t>(-1)) {
      // Flush any pending state, then done.
      dst = out.data() + used;
      dst_left = out.size() - used;
      if (iconv(cd, nullptr, nullptr, &dst, &dst_left) != static_cast<std::size_t>(-1))
        used = out.size() - dst_left;
      break;
    }
    if (errno == E2BIG || out.size() - used < 8) {
      out.resize(out.size() * 2);
      continue;
    }
    // EILSEQ: an unmappable or invalid byte; EINVAL: a truncated sequence at the end.
    std::memcpy(out.data() + used, "\xEF\xBF\xBD", 3);
    used += 3;
    ++replaced;
    if (errno != EILSEQ || src_left == 0) break;
    ++src, --src_left;
  }
  out.resize(used);
  return replaced;
}

std::size_t Utf8Decoder::decode(std::string_view in, std::string_view& charset, std::string& out) {
  if (charset == "utf-8") return text::sanitize_utf8(in, out);
  if (charset == "x-user-defined") {
    decode_single_byte(in, true, out);
    return 0;
  }
  if (charset != "windows-1252") {
    iconv_t cd = descriptor(charset);
    if (cd != reinterpret_cast<iconv_t>(-1)) return decode_iconv(cd, in, out);
    charset = "windows-1252";
  }
  decode_single_byte(in, false, out);
  return 0;
}

}  // namespace warcpairs::html
