// WARC header parsing: named fields, obs-fold continuation lines, Content-Length, WARC-Type.
#include "header_parser.h"

#include <cstring>

#include "ascii.h"

namespace warcpairs::warc {

bool parse_length(std::string_view text, uint64_t& out) {
  text = trim(text);
  if (text.empty() || text.size() > 19) return false;  // 19 digits always fit in uint64
  uint64_t v = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return false;
    v = v * 10 + uint64_t(c - '0');
  }
  out = v;
  return true;
}

namespace {
// Appends continuation text [cs, ce) to a value ending at vend, in place (WARC 1.1 §4 allows
// folded field values). The buffer only shrinks, so nothing not yet parsed is overwritten.
char* fold_into(char* vstart, char* vend, const char* cs, const char* ce) {
  if (cs == ce) return vend;
  if (vend != vstart) *vend++ = ' ';
  std::memmove(vend, cs, std::size_t(ce - cs));
  return vend + (ce - cs);
}
}  // namespace

const char* parse_warc_header(char* begin, char* end, WarcRecord& rec, uint64_t& content_length) {
  rec.headers.clear();
  rec.type = RecordType::unknown;
  char* nl = static_cast<char*>(std::memchr(begin, '\n', std::size_t(end - begin)));
  if (!nl) return "no version line";
  rec.version = trim(std::string_view(begin, std::size_t(nl - begin)));
  if (rec.version.substr(0, 5) != "WARC/") return "bad version line";
  bool has_length = false;
  char* vstart = nullptr;  // the last field's value, for folded lines
  char* vend = nullptr;
  for (char* p = nl + 1; p < end;) {
    char* eol = static_cast<char*>(std::memchr(p, '\n', std::size_t(end - p)));
    if (!eol) eol = end;
    std::string_view line = std::string_view(p, std::size_t(eol - p));
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    char* next = eol + (eol < end ? 1 : 0);
    if (line.empty()) break;  // the blank line ending the header
    if (line[0] == ' ' || line[0] == '\t') {
      if (!rec.headers.empty()) {
        std::string_view more = trim(line);
        vend = fold_into(vstart, vend, more.data(), more.data() + more.size());
        rec.headers.back().value = std::string_view(vstart, std::size_t(vend - vstart));
      }
      p = next;
      continue;
    }
    std::size_t colon = line.find(':');
    if (colon == std::string_view::npos || colon == 0) {
      p = next;  // not a field: tolerated and ignored
      continue;
    }
    std::string_view name = trim(line.substr(0, colon));
    std::string_view value = trim(line.substr(colon + 1));
    rec.headers.push_back({name, value});
    vstart = const_cast<char*>(value.data());
    vend = vstart + value.size();
    p = next;
  }
  // Type and length after folding, so folded values are seen whole.
  for (const HeaderField& f : rec.headers) {
    if (f.name.size() == 14 && iequals(f.name, "Content-Length")) {
      if (!parse_length(f.value, content_length)) return "bad Content-Length";
      has_length = true;
    } else if (f.name.size() == 9 && iequals(f.name, "WARC-Type")) {
      rec.type = parse_record_type(f.value);
    }
  }
  if (!has_length) return "no Content-Length";
  return nullptr;
}

const char* parse_arc_header(std::string_view line, int fields, ArcHeader& out) {
  std::string_view words[16];
  int n = 0;
  for (std::size_t p = 0; p < line.size();) {
    std::size_t e = line.find(' ', p);
    if (e == std::string_view::npos) e = line.size();
    if (e > p) {
      if (n == 16) return "too many fields";
      words[n++] = line.substr(p, e - p);
    }
    p = e + 1;
  }
  if (n < fields) return "too few fields";
  // Words beyond the expected count belong to the URL (unescaped spaces in it).
  const int extra = n - fields;
  const char* url_end = words[extra].data() + words[extra].size();
  out.url = std::string_view(words[0].data(), std::size_t(url_end - words[0].data()));
  out.ip = words[extra + 1];
  out.date = words[extra + 2];
  out.content_type = words[extra + 3];
  if (!parse_length(words[n - 1], out.length)) return "bad Archive-length";
  if (!is_arc_date(out.date)) return "bad Archive-date";
  if (out.url.find(':') == std::string_view::npos) return "URL without a scheme";
  return nullptr;
}

bool is_arc_date(std::string_view date) {
  if (date.size() < 4 || date.size() > 18) return false;
  for (char c : date)
    if (c < '0' || c > '9') return false;
  return true;
}

bool arc_date_to_iso(std::string_view date, std::string& out) {
  if (!is_arc_date(date)) return false;
  // Missing parts are the earliest (month and day 01, time 00); digits past seconds dropped.
  char d[14];
  constexpr std::string_view kFill = "00000101000000";
  for (std::size_t i = 0; i < 14; ++i) d[i] = i < date.size() ? date[i] : kFill[i];
  const char iso[] = {d[0], d[1], d[2], d[3], '-', d[4], d[5], '-', d[6], d[7], 'T',
                      d[8], d[9], ':', d[10], d[11], ':', d[12], d[13], 'Z'};
  out.append(iso, sizeof iso);
  return true;
}

}  // namespace warcpairs::warc
