// WarcReader: finds records in the decoded stream, checks their framing, resynchronises.
#include "warcpairs/warc/reader.h"

#include <algorithm>
#include <cstring>
#include <string>

#include "header_parser.h"
#include "warcpairs/io/byte_source.h"
#include "warcpairs/io/decoded_stream.h"

namespace warcpairs::warc {
namespace {
// WARC 1.1 §4: a record starts with its version, "WARC/1.1"; also "WARC/1.0" and the drafts
// "WARC/0.17" (Heritrix 1.14) and "WARC/0.18" (ClueWeb09), whose records have the same layout.
constexpr std::string_view kMagic = "WARC/";
constexpr std::size_t kVersionPrefix = 7;  // "WARC/" digit "."
constexpr std::string_view kArcMagic = "filedesc://";  // an ARC file's version block
constexpr uint16_t kAllTypes = 0xffff;

uint16_t type_bit(RecordType t) { return uint16_t(1u << static_cast<unsigned>(t)); }
bool is_eol(char c) { return c == '\r' || c == '\n'; }
// Words in an ARC file's record header lines, from the first line of its version block's
// content, not empty ("1 0 InternetArchive": v1, 5 words; "2 0 Alexa": v2, 10).
int arc_header_fields(std::string_view version_line) { return version_line[0] == '2' ? 10 : 5; }
bool is_version(std::string_view s) {  // at least kVersionPrefix bytes
  return s.substr(0, kMagic.size()) == kMagic && s[5] >= '0' && s[5] <= '9' && s[6] == '.';
}
}  // namespace

struct WarcReader::Impl {
  Impl(std::unique_ptr<io::ByteSource> source, const Limits& l, SkipLog& s)
      : limits(l), skips(s), stream(std::move(source), s) {}

  Limits limits;
  SkipLog& skips;
  io::DecodedStream stream;
  uint16_t filter = kAllTypes;
  WarcRecord rec;
  std::size_t pending = 0;  // bytes of the record last returned, consumed by the next call
  uint64_t seen = 0;
  bool resyncing = false;   // garbage already reported: stay quiet until the next record
  bool first_look = true;   // nothing decided yet about the file's first bytes (no seek either)
  bool arc = false;         // an ARC file: records start with a one-line header
  int arc_fields = 5;       // words in its header lines: 5 (ARC v1), 10 (v2)
  std::string arc_values;   // the ARC record's header values, as WARC fields

  const WarcRecord* next();
  const WarcRecord* next_arc();
  bool arc_header_line(int64_t offset, std::size_t& hlen, std::string_view& line);
  bool load_block(int64_t offset, std::size_t hlen, uint64_t length);
  bool at_record_start();
  bool scan_to_record();
  enum class HeaderEnd { found, too_large, truncated };
  HeaderEnd find_header_end(std::size_t& len);
  bool terminator(std::size_t end, std::size_t& len);
  void skip(std::string_view reason, int64_t offset, std::string_view detail = {}) {
    skips.skip(reason, stream.name(), offset, detail);
  }
};

const WarcRecord* WarcReader::Impl::next() {
  stream.consume(pending);
  pending = 0;
  for (;;) {
    if (!at_record_start()) {
      if (stream.next_segment()) continue;
      return nullptr;
    }
    if (arc) {
      if (const WarcRecord* r = next_arc()) return r;
      continue;
    }
    int64_t offset = stream.offset_at(0);
    std::size_t hlen = 0;
    HeaderEnd he = find_header_end(hlen);
    if (he == HeaderEnd::too_large) {
      skip("warc_header_too_large", offset);
      stream.consume(1);
      resyncing = true;
      continue;
    }
    if (he == HeaderEnd::truncated) {
      skip("record_truncated", offset, "data ends inside the record header");
      stream.consume(stream.size());
      continue;
    }
    uint64_t length = 0;
    char* before = stream.data();
    if (const char* err = parse_warc_header(before, before + hlen, rec, length)) {
      skip("warc_header_malformed", offset, err);
      stream.consume(1);
      resyncing = true;
      continue;
    }
    ++seen;
    rec.offset = offset;
    rec.member_offset = stream.offset_in_member(0);
    rec.header_bytes = static_cast<int64_t>(hlen);
    if (!load_block(offset, hlen, length)) continue;
    std::size_t term = 0;
    if (!terminator(hlen + length, term)) {
      skip("content_length_mismatch", offset, "block not followed by the record terminator");
      stream.consume(hlen);
      resyncing = true;
      continue;
    }
    // fill() may have moved the window: move the header views along with it.
    char* after = stream.data();
    auto move = [&](std::string_view v) {
      return v.empty() ? v : std::string_view(after + (v.data() - before), v.size());
    };
    if (after != before) {
      rec.version = move(rec.version);
      for (HeaderField& f : rec.headers) f = {move(f.name), move(f.value)};
    }
    rec.block = std::string_view(after + hlen, length);
    pending = hlen + length + term;
    return &rec;
  }
}

// Skips blank lines; true at a WARC version line (in an ARC file: at any other line), false
// when the segment ends. Anything else is garbage: reported once, then skipped up to the
// next record start.
bool WarcReader::Impl::at_record_start() {
  for (;;) {
    stream.fill(std::max(kVersionPrefix, kArcMagic.size()));
    const char* d = stream.data();
    std::size_t n = stream.size(), i = 0;
    while (i < n && is_eol(d[i])) ++i;
    if (i > 0) {
      stream.consume(i);
      continue;
    }
    if (n == 0) return false;
    if (first_look && std::string_view(d, n).substr(0, kArcMagic.size()) == kArcMagic) arc = true;
    if (arc) {  // every line is a record header until it fails to parse (next_arc)
      first_look = false;
      return true;
    }
    if (n >= kVersionPrefix && is_version(std::string_view(d, n))) {
      resyncing = false;
      first_look = false;
      return true;
    }
    // Garbage where the first record should be: not damage inside a WARC, not a WARC at all.
    if (first_look)
      skip("not_warc", stream.offset_at(0),
           "the file does not start with a WARC record (\"WARC/1.\", \"WARC/0.1\") or an ARC "
           "version block (\"filedesc://\"), compressed or not: not a WARC file (nor ARC)");
    else if (!resyncing)
      skip("warc_garbage", stream.offset_at(0), "bytes outside any record");
    first_look = false;
    resyncing = true;
    if (!scan_to_record()) return false;
  }
}

// Consumes bytes up to the next "WARC/1." at a line start or a gzip member start.
bool WarcReader::Impl::scan_to_record() {
  std::size_t from = 1;
  for (;;) {
    std::string_view w(stream.data(), stream.size());
    for (std::size_t p = w.find(kMagic, from); p != std::string_view::npos;
         p = w.find(kMagic, p + 1)) {
      if ((w[p - 1] == '\n' || stream.member_starts_at(p)) &&
          (p + kVersionPrefix > w.size() || is_version(w.substr(p)))) {
        stream.consume(p);
        return true;
      }
    }
    std::size_t keep = std::min(w.size(), kMagic.size());
    stream.consume(w.size() - keep);
    from = keep > 0 ? 1 : 0;
    if (!stream.fill(stream.size() + 1)) {
      stream.consume(stream.size());
      return false;
    }
    if (from == 0) from = 1;
  }
}

// One ARC record at the current line: its header line, then Archive-length bytes (then a
// newline, skipped as a blank line). Returned as the WARC record arc2warc tools make of it:
// a response when the block is an HTTP response, the version block as warcinfo, else a
// resource. nullptr when the line is no header (counted once per run of bad lines, then
// the next line is tried) or the record is filtered out, too large or truncated.
const WarcRecord* WarcReader::Impl::next_arc() {
  const int64_t offset = stream.offset_at(0);
  std::size_t hlen = 0;
  std::string_view line;
  if (!arc_header_line(offset, hlen, line)) return nullptr;
  const bool version_block = line.substr(0, kArcMagic.size()) == kArcMagic;
  ArcHeader h;
  const char* err = parse_arc_header(line, version_block ? 5 : arc_fields, h);
  if (!err && line.size() == hlen) err = "data ends inside the header line";
  if (err) {
    if (!resyncing)
      skip("arc_header_malformed", offset,
           std::string(err) + ": \"" + std::string(line.substr(0, 200)) + "\"");
    resyncing = true;
    stream.consume(hlen);
    return nullptr;
  }
  resyncing = false;
  ++seen;
  // The values are copied now: the next fill() may move the window `line` is in.
  arc_values.clear();
  std::size_t ends[5];
  auto add = [&](std::string_view v, std::size_t& end) {
    arc_values.append(v);
    end = arc_values.size();
  };
  add(h.url, ends[0]);
  add(h.ip, ends[1]);
  arc_date_to_iso(h.date, arc_values);
  ends[2] = arc_values.size();
  add(h.content_type, ends[3]);
  add(std::to_string(h.length), ends[4]);
  // The type needs the block's first bytes; they are read anyway unless filtered out.
  stream.fill(hlen + std::min<uint64_t>(h.length, 5));
  std::string_view head(stream.data() + hlen, std::min<uint64_t>(h.length, stream.size() - hlen));
  if (version_block && !head.empty()) arc_fields = arc_header_fields(head);
  rec.type = version_block ? RecordType::warcinfo
             : head.substr(0, 5) == "HTTP/" ? RecordType::response : RecordType::resource;
  rec.offset = offset;
  rec.member_offset = stream.offset_in_member(0);
  rec.header_bytes = static_cast<int64_t>(hlen);
  if (!load_block(offset, hlen, h.length)) return nullptr;
  static constexpr std::string_view kNames[5] = {"WARC-Target-URI", "WARC-IP-Address",
                                                 "WARC-Date", "Content-Type", "Content-Length"};
  rec.version = "ARC";
  rec.headers.clear();
  rec.headers.push_back({"WARC-Type", to_string(rec.type)});
  for (std::size_t i = 0, start = 0; i < 5; start = ends[i++])
    rec.headers.push_back({kNames[i], std::string_view(arc_values).substr(start, ends[i] - start)});
  if (rec.type == RecordType::response)  // as WARC writes it; the ARC line has the payload's
    rec.headers[4].value = "application/http; msgtype=response";
  rec.block = std::string_view(stream.data() + hlen, h.length);
  pending = hlen + h.length;
  return &rec;
}

// The line at the window's start, without its end of line (hlen: with it, or the rest of
// the data when no newline follows). False when it is over the header cap: reported, dropped.
bool WarcReader::Impl::arc_header_line(int64_t offset, std::size_t& hlen, std::string_view& line) {
  std::size_t eol = std::string_view::npos;
  for (std::size_t from = 0;;) {
    std::string_view w(stream.data(), stream.size());
    eol = w.find('\n', from);
    if (eol != std::string_view::npos || w.size() > limits.max_warc_header_bytes) break;
    from = w.size();
    if (!stream.fill(w.size() + 1)) break;
  }
  std::string_view w(stream.data(), stream.size());
  if ((eol == std::string_view::npos ? w.size() : eol) > limits.max_warc_header_bytes) {
    if (!resyncing) skip("warc_header_too_large", offset, "ARC header line");
    stream.consume(eol == std::string_view::npos ? limits.max_warc_header_bytes : eol + 1);
    resyncing = true;
    return false;
  }
  hlen = eol == std::string_view::npos ? w.size() : eol + 1;
  line = w.substr(0, eol == std::string_view::npos ? w.size() : eol);
  if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
  return true;
}

// Brings the block after an hlen-byte header into the window; false when the record is
// stepped over instead: filtered out, over the record cap, or cut short (both reported).
bool WarcReader::Impl::load_block(int64_t offset, std::size_t hlen, uint64_t length) {
  if (length > limits.max_record_bytes || !(filter & type_bit(rec.type))) {
    bool too_large = length > limits.max_record_bytes;
    if (too_large) skip("record_too_large", offset, std::to_string(length) + " bytes");
    // Stepped over without buffering; what follows the block is skipped as blank lines.
    if (stream.discard(hlen + length) < hlen + length && !too_large)
      skip("record_truncated", offset, "data ends inside the block");
    return false;
  }
  if (!stream.fill(hlen + length)) {
    skip("record_truncated", offset, "data ends inside the block");
    stream.consume(stream.size());
    return false;
  }
  return true;
}

// Finds the blank line ending the header ("\r\n\r\n", tolerated: "\n\n").
WarcReader::Impl::HeaderEnd WarcReader::Impl::find_header_end(std::size_t& len) {
  std::size_t from = 0;
  for (;;) {
    const char* d = stream.data();
    std::size_t n = stream.size();
    while (from < n) {
      const void* hit = std::memchr(d + from, '\n', n - from);
      if (!hit) {
        from = n;
        break;
      }
      std::size_t i = static_cast<const char*>(hit) - d;
      if (i + 2 >= n) {  // cannot decide yet: wait for more bytes
        from = i;
        break;
      }
      if (d[i + 1] == '\n' || (d[i + 1] == '\r' && d[i + 2] == '\n')) {
        len = i + (d[i + 1] == '\n' ? 2 : 3);
        return len > limits.max_warc_header_bytes ? HeaderEnd::too_large : HeaderEnd::found;
      }
      from = i + 1;
    }
    if (n > limits.max_warc_header_bytes) return HeaderEnd::too_large;
    if (!stream.fill(n + 1)) {
      d = stream.data();  // fill() may have moved the window even when it failed
      if (n >= 2 && d[n - 1] == '\n' && d[n - 2] == '\n') {  // "\n\n" right at the end
        len = n;
        return HeaderEnd::found;
      }
      return HeaderEnd::truncated;
    }
  }
}

// WARC 1.1 §4: a block is followed by "\r\n\r\n". Tolerated as seen in real files
// (pywb-example-extra.warc, wac-link-extraction-test.warc): "\n\n", and a Content-Length
// one or a few bytes off around the terminator, as long as the next record, the end of a
// gzip member or the end of data follows within kMaxEols CR/LF bytes.
bool WarcReader::Impl::terminator(std::size_t end, std::size_t& len) {
  constexpr std::size_t kMaxEols = 8;
  auto eols = [&] {
    std::size_t k = 0;
    while (k < kMaxEols && end + k < stream.size() && is_eol(stream.data()[end + k])) ++k;
    return k;
  };
  std::size_t k = eols();
  if (end + k + kMagic.size() > stream.size() && !stream.member_ends_at(end + k)) {
    stream.fill(end + k + kMagic.size());
    k = eols();
  }
  std::string_view after(stream.data() + end, stream.size() - end);
  if (after.substr(0, 4) == "\r\n\r\n") {
    len = 4;
  } else if (after.substr(0, 2) == "\n\n") {
    len = 2;
  } else if (after.size() == k || stream.member_ends_at(end + k) ||
             after.substr(k, kMagic.size()) == kMagic) {
    len = k;
  } else {
    return false;
  }
  return true;
}

WarcReader::WarcReader(std::string path, const Limits& limits, SkipLog& skips)
    : impl_(std::make_unique<Impl>(std::make_unique<io::FileSource>(std::move(path)), limits,
                                   skips)) {}
WarcReader::WarcReader(std::unique_ptr<io::ByteSource> source, const Limits& limits,
                       SkipLog& skips)
    : impl_(std::make_unique<Impl>(std::move(source), limits, skips)) {}
WarcReader::~WarcReader() = default;

void WarcReader::set_type_filter(std::initializer_list<RecordType> types) {
  impl_->filter = 0;
  for (RecordType t : types) impl_->filter |= type_bit(t);
}

void WarcReader::seek(int64_t offset, int64_t member_offset) {
  // Whether this is an ARC file, and which version, is said by its first record only.
  io::DecodedStream& s = impl_->stream;
  s.seek(0);
  s.fill(512);
  std::string_view head(s.data(), s.size());
  impl_->arc = head.substr(0, kArcMagic.size()) == kArcMagic;
  std::size_t eol = head.find('\n');
  if (impl_->arc && eol != std::string_view::npos && eol + 1 < head.size())
    impl_->arc_fields = arc_header_fields(head.substr(eol + 1));
  impl_->stream.seek(static_cast<uint64_t>(offset < 0 ? 0 : offset));
  impl_->pending = 0;
  impl_->resyncing = false;
  impl_->first_look = false;
  // Inside a member holding several records (whole-file gzip) the bytes before the record
  // have to be decoded again, but nothing is kept.
  if (member_offset > 0) impl_->stream.discard(static_cast<uint64_t>(member_offset));
}

const WarcRecord* WarcReader::next() { return impl_->next(); }
Compression WarcReader::compression() const {
  return impl_->stream.gzip() ? Compression::gzip : Compression::none;
}
uint64_t WarcReader::file_bytes_consumed() const { return impl_->stream.compressed_consumed(); }
uint64_t WarcReader::file_size() const { return impl_->stream.file_size(); }
uint64_t WarcReader::records_seen() const { return impl_->seen; }

}  // namespace warcpairs::warc
