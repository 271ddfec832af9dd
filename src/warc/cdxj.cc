// CDXJ lines as webrecorder/cdxj-indexer writes them, an indexer over the WARC reader, and an
// in-memory index for lookups (nearest capture, revisits resolved by digest as pywb does).
// The JSON is written by hand because its exact bytes must be Python json.dumps's (", " and
// ": " separators, \uXXXX for non-ASCII), which nlohmann-json cannot produce; it is read back
// with nlohmann-json.
#include "warcpairs/warc/cdxj.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <nlohmann/json.hpp>

#include "ascii.h"
#include "warcpairs/core/digest.h"
#include "warcpairs/core/error.h"
#include "warcpairs/warc/http.h"
#include "warcpairs/warc/reader.h"
#include "warcpairs/warc/record.h"
#include "warcpairs/warc/surt.h"

namespace warcpairs::warc {
namespace {

// Python json.dumps with ensure_ascii: '"' '\\' and \n \r \t \b \f short, other controls,
// DEL and everything non-ASCII as \uXXXX (lower-case hex, surrogate pairs above U+FFFF).
// Bytes that are not UTF-8 are taken as Latin-1 (one code point each), as warcio reads a
// header line that does not decode.
void json_string(std::string& out, std::string_view s) {
  static constexpr char kHex[] = "0123456789abcdef";
  auto u = [&](uint32_t cp) {
    out += "\\u";
    for (int sh = 12; sh >= 0; sh -= 4) out += kHex[(cp >> sh) & 15];
  };
  out += '"';
  for (std::size_t i = 0; i < s.size();) {
    auto c = static_cast<unsigned char>(s[i]);
    if (c == '"') { out += "\\\""; ++i; continue; }
    if (c == '\\') { out += "\\\\"; ++i; continue; }
    if (c == '\n') { out += "\\n"; ++i; continue; }
    if (c == '\r') { out += "\\r"; ++i; continue; }
    if (c == '\t') { out += "\\t"; ++i; continue; }
    if (c == '\b') { out += "\\b"; ++i; continue; }
    if (c == '\f') { out += "\\f"; ++i; continue; }
    if (c >= 0x20 && c < 0x7f) { out += static_cast<char>(c); ++i; continue; }
    uint32_t cp = c;
    std::size_t n = 1;
    int need = c >= 0xf0 && c <= 0xf4 ? 3 : c >= 0xe0 && c <= 0xef ? 2 : c >= 0xc2 && c <= 0xdf ? 1 : 0;
    if (need > 0 && i + need < s.size()) {
      uint32_t v = c & (0x3f >> need);
      bool ok = true;
      for (int k = 1; k <= need; ++k) {
        auto d = static_cast<unsigned char>(s[i + k]);
        if ((d & 0xc0) != 0x80) { ok = false; break; }
        v = (v << 6) | (d & 0x3f);
      }
      if (ok && v >= (need == 1 ? 0x80u : need == 2 ? 0x800u : 0x10000u) && v <= 0x10ffff &&
          !(v >= 0xd800 && v <= 0xdfff)) {
        cp = v;
        n = static_cast<std::size_t>(need) + 1;
      }
    }
    if (cp >= 0x10000) {
      cp -= 0x10000;
      u(0xd800 + (cp >> 10));
      u(0xdc00 + (cp & 0x3ff));
    } else {
      u(cp);
    }
    i += n;
  }
  out += '"';
}

void json_field(std::string& out, bool& first, std::string_view key, std::string_view value) {
  if (!first) out += ", ";
  first = false;
  json_string(out, key);
  out += ": ";
  json_string(out, value);
}

std::span<const uint8_t> bytes_of(std::string_view s) {
  return {reinterpret_cast<const uint8_t*>(s.data()), s.size()};
}

// Where the HTTP head of a block ends (after its empty line), or npos.
std::size_t http_head_end(std::string_view block) {
  std::size_t p = 0;
  while (p < block.size()) {
    std::size_t eol = block.find('\n', p);
    if (eol == std::string_view::npos) return std::string_view::npos;
    std::string_view line = block.substr(p, eol - p);
    if (line.empty() || line == "\r") return eol + 1;
    p = eol + 1;
  }
  return std::string_view::npos;
}

int64_t ts_value(std::string_view ts) {
  std::string padded(ts.substr(0, 14));
  padded.resize(14, '0');
  return std::strtoll(padded.c_str(), nullptr, 10);
}

}  // namespace

std::string cdxj_timestamp(std::string_view date) {
  // warcio iso_date_to_timestamp: the numbers of the date in order, seconds' fraction dropped.
  std::vector<std::string> nums;
  std::string cur;
  for (char c : date) {
    if (c >= '0' && c <= '9') cur += c;
    else { nums.push_back(cur); cur.clear(); }
  }
  nums.push_back(cur);
  if (!nums.empty() && nums.back().empty()) nums.pop_back();
  if (nums.size() < 3) return {};
  static constexpr int kWidth[] = {4, 2, 2, 2, 2, 2};
  std::string ts;
  for (std::size_t k = 0; k < 6; ++k) {
    std::string v = k < nums.size() ? nums[k] : "0";
    if (v.empty() || v.size() > static_cast<std::size_t>(kWidth[k])) return {};
    ts += std::string(static_cast<std::size_t>(kWidth[k]) - v.size(), '0') + v;
  }
  return ts;
}

std::string format_cdxj_line(const CdxjEntry& e) {
  std::string out = e.urlkey + " " + e.timestamp + " {";
  bool first = true;
  if (!e.url.empty()) json_field(out, first, "url", e.url);
  if (!e.mime.empty()) json_field(out, first, "mime", e.mime);
  if (!e.status.empty()) json_field(out, first, "status", e.status);
  if (!e.digest.empty()) json_field(out, first, "digest", e.digest);
  json_field(out, first, "length", std::to_string(e.length));
  json_field(out, first, "offset", std::to_string(e.offset));
  json_field(out, first, "filename", e.filename);
  out += "}";
  return out;
}

bool parse_cdxj_line(std::string_view line, CdxjEntry& out, std::string& error) {
  while (!line.empty() && (line.back() == '\n' || line.back() == '\r')) line.remove_suffix(1);
  std::size_t sp1 = line.find(' ');
  std::size_t sp2 = sp1 == std::string_view::npos ? sp1 : line.find(' ', sp1 + 1);
  if (sp2 == std::string_view::npos || line.substr(sp2 + 1, 1) != "{") {
    error = "cdxj_line_malformed";
    return false;
  }
  out = CdxjEntry{};
  out.urlkey = std::string(line.substr(0, sp1));
  out.timestamp = std::string(line.substr(sp1 + 1, sp2 - sp1 - 1));
  nlohmann::json j = nlohmann::json::parse(line.substr(sp2 + 1), nullptr, false);
  if (j.is_discarded() || !j.is_object()) {
    error = "cdxj_json_malformed";
    return false;
  }
  auto str = [&](const char* key) -> std::string {
    auto it = j.find(key);
    if (it == j.end()) return {};
    if (it->is_string()) return it->get<std::string>();
    if (it->is_number_integer()) return std::to_string(it->get<int64_t>());
    return {};
  };
  out.url = str("url");
  out.mime = str("mime");
  out.status = str("status");
  out.digest = str("digest");
  out.filename = str("filename");
  std::string length = str("length"), offset = str("offset");
  if (length.empty() || offset.empty() || out.filename.empty()) {
    error = "cdxj_fields_missing";
    return false;
  }
  out.length = std::strtoll(length.c_str(), nullptr, 10);
  out.offset = std::strtoll(offset.c_str(), nullptr, 10);
  return true;
}

struct CdxjRecordIndexer::Impl {
  explicit Impl(const Limits& l) : http(l) {}
  HttpParser http;
};

CdxjRecordIndexer::CdxjRecordIndexer(const Limits& limits)
    : impl_(std::make_unique<Impl>(limits)) {}
CdxjRecordIndexer::~CdxjRecordIndexer() = default;

bool CdxjRecordIndexer::entry_of(const WarcRecord& rec, int64_t length, std::string_view filename,
                                 CdxjEntry& out) {
  // cdxj-indexer DEFAULT_RECORDS, minus application/warc-fields resource/metadata.
  const RecordType t = rec.type;
  if (t != RecordType::response && t != RecordType::revisit && t != RecordType::resource &&
      t != RecordType::metadata)
    return false;
  if ((t == RecordType::resource || t == RecordType::metadata) &&
      rec.content_type() == "application/warc-fields")
    return false;
  out = CdxjEntry{};
  out.timestamp = cdxj_timestamp(rec.date());
  if (out.timestamp.empty()) return false;
  out.url = std::string(rec.target_uri());
  out.urlkey = surt(out.url);
  out.length = length;
  out.offset = rec.offset;
  out.filename = std::string(filename);

  // The HTTP head of response/revisit blocks (warcio parses it for http(s) URIs).
  std::string_view payload = rec.block;
  bool http = (t == RecordType::response || t == RecordType::revisit) &&
              rec.block.substr(0, 5) == "HTTP/";
  std::string_view http_content_type;
  if (http) {
    HttpResponse resp;
    std::string err;
    std::size_t end = http_head_end(rec.block);
    if (end != std::string_view::npos &&
        impl_->http.parse(rec.block.substr(0, end), resp, err)) {
      out.status = std::to_string(resp.status);
      http_content_type = resp.header("Content-Type");
      payload = rec.block.substr(end);
    }
  }
  if (t == RecordType::revisit) {
    out.mime = "warc/revisit";
  } else {
    std::string_view ct = t == RecordType::response ? http_content_type : rec.content_type();
    std::size_t cut = ct.find_first_of("; \t\r\n\f\v");
    out.mime = std::string(trim(ct.substr(0, cut)));
  }
  // The digest without its "sha1:" label, as cdxj-indexer's own tests expect it.
  std::string digest(rec.header("WARC-Payload-Digest"));
  if (digest.empty()) digest = warc_sha1_digest(bytes_of(payload));
  out.digest = digest.substr(digest.rfind(':') == std::string::npos ? 0 : digest.rfind(':') + 1);
  return true;
}

std::vector<CdxjEntry> index_warc_file(const std::string& path, std::string_view filename,
                                       const Limits& limits, SkipLog& skips,
                                       uint64_t* records_read) {
  WarcReader reader(path, limits, skips);
  CdxjRecordIndexer indexer(limits);
  std::vector<CdxjEntry> entries;
  // gzip: a record's length is its member's, known when a record of the next member starts
  // (a member holding several records, whole-file gzip, gives each of them the member).
  std::vector<std::size_t> waiting;
  auto settle = [&](int64_t end) {
    for (std::size_t i : waiting) entries[i].length = end - entries[i].offset;
    waiting.clear();
  };
  CdxjEntry entry;
  while (const WarcRecord* rec = reader.next()) {
    if (!waiting.empty() && entries[waiting.front()].offset != rec->offset) settle(rec->offset);
    if (!indexer.entry_of(*rec, 0, filename, entry)) continue;
    // Uncompressed: the record without the blank lines after it, as warcio (Python and JS)
    // counts it.
    if (reader.compression() == Compression::none)
      entry.length = rec->header_bytes + static_cast<int64_t>(rec->block.size());
    else
      waiting.push_back(entries.size());
    entries.push_back(std::move(entry));
  }
  settle(static_cast<int64_t>(reader.file_size()));
  if (records_read) *records_read = reader.records_seen();
  return entries;
}

void write_cdxj_file(const std::string& path, std::vector<CdxjEntry> entries) {
  std::vector<std::string> lines;
  lines.reserve(entries.size());
  for (const CdxjEntry& e : entries) lines.push_back(format_cdxj_line(e) + "\n");
  std::sort(lines.begin(), lines.end());
  lines.erase(std::unique(lines.begin(), lines.end()), lines.end());  // as pywb's SortingWriter
  std::string tmp = path + ".tmp";
  int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) throw Error(std::string("cannot create: ") + std::strerror(errno), tmp);
  std::string buf;
  for (const std::string& l : lines) buf += l;
  std::string_view rest = buf;
  while (!rest.empty()) {
    ssize_t n = ::write(fd, rest.data(), rest.size());
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      ::close(fd);
      throw Error(std::string("cannot write: ") + std::strerror(errno), tmp);
    }
    rest.remove_prefix(static_cast<std::size_t>(n));
  }
  if (::fsync(fd) != 0 || ::close(fd) != 0)
    throw Error(std::string("fsync/close failed: ") + std::strerror(errno), tmp);
  if (::rename(tmp.c_str(), path.c_str()) != 0)
    throw Error(std::string("cannot rename: ") + std::strerror(errno), tmp);
}

void CdxjIndex::load(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw Error("cannot read CDXJ index", path);
  std::string line, error;
  CdxjEntry e;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '!') continue;  // "!meta" header lines of compressed indexes
    if (parse_cdxj_line(line, e, error)) add(std::move(e));
    else ++bad_lines_;
  }
  if (in.bad()) throw Error("read error in CDXJ index", path);
}

void CdxjIndex::add(CdxjEntry entry) {
  entries_.push_back(std::move(entry));
  sealed_ = false;
}

void CdxjIndex::seal() {
  std::sort(entries_.begin(), entries_.end(), [](const CdxjEntry& a, const CdxjEntry& b) {
    if (a.urlkey != b.urlkey) return a.urlkey < b.urlkey;
    if (a.timestamp != b.timestamp) return a.timestamp < b.timestamp;
    return format_cdxj_line(a) < format_cdxj_line(b);
  });
  by_digest_.clear();
  for (std::size_t i = 0; i < entries_.size(); ++i)
    if (!entries_[i].is_revisit() && !entries_[i].digest.empty())
      by_digest_.emplace(entries_[i].digest, i);
  sealed_ = true;
}

std::vector<const CdxjEntry*> CdxjIndex::find_all(std::string_view url) const {
  if (!sealed_) throw Error("CdxjIndex: lookup before seal()");
  std::string key = surt(url);
  auto lo = std::lower_bound(entries_.begin(), entries_.end(), key,
                             [](const CdxjEntry& e, const std::string& k) { return e.urlkey < k; });
  std::vector<const CdxjEntry*> out;
  for (auto it = lo; it != entries_.end() && it->urlkey == key; ++it) out.push_back(&*it);
  return out;
}

namespace {
// The candidate nearest to `ts` (ties: the earlier); an empty ts means the latest.
const CdxjEntry* nearest(const std::vector<const CdxjEntry*>& all, std::string_view ts) {
  const CdxjEntry* best = nullptr;
  int64_t best_d = 0, target = ts.empty() ? 0 : ts_value(ts);
  for (const CdxjEntry* e : all) {
    if (ts.empty()) { best = e; continue; }  // oldest first: the last is the latest
    int64_t d = std::llabs(ts_value(e->timestamp) - target);
    if (best == nullptr || d < best_d) { best = e; best_d = d; }
  }
  return best;
}
}  // namespace

const CdxjEntry* CdxjIndex::find(std::string_view url, std::string_view timestamp) const {
  return nearest(find_all(url), timestamp);
}

const CdxjEntry* CdxjIndex::resolve(const CdxjEntry& entry) const {
  if (!sealed_) throw Error("CdxjIndex: lookup before seal()");
  if (!entry.is_revisit()) return &entry;
  if (entry.digest.empty()) return nullptr;
  std::vector<const CdxjEntry*> same_url, any_url;
  auto [lo, hi] = by_digest_.equal_range(entry.digest);
  for (auto it = lo; it != hi; ++it) {
    const CdxjEntry* e = &entries_[it->second];
    (e->urlkey == entry.urlkey ? same_url : any_url).push_back(e);
  }
  auto by_time = [](const CdxjEntry* a, const CdxjEntry* b) { return a->timestamp < b->timestamp; };
  std::sort(same_url.begin(), same_url.end(), by_time);
  std::sort(any_url.begin(), any_url.end(), by_time);
  if (!same_url.empty()) return nearest(same_url, entry.timestamp);
  return nearest(any_url, entry.timestamp);
}

const CdxjEntry* CdxjIndex::lookup(std::string_view url, std::string_view timestamp) const {
  const CdxjEntry* e = find(url, timestamp);
  return e == nullptr ? nullptr : resolve(*e);
}

}  // namespace warcpairs::warc
