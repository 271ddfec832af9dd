// WARC/1.1 records (ISO 28500:2017 §4–§6), one gzip member each (libdeflate), appended to a
// temporary file that finish() makes visible with fsync + rename + fsync of the folder.
#include "warcpairs/warc/writer.h"

#include <fcntl.h>
#include <libdeflate.h>
#include <sys/random.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>

#include "ascii.h"
#include "body_decoding.h"
#include "warcpairs/core/limits.h"
#include "warcpairs/core/skip_log.h"
#include "warcpairs/warc/reader.h"
#include "warcpairs/core/digest.h"
#include "warcpairs/core/error.h"

namespace warcpairs::warc {
namespace {

constexpr std::string_view kRevisitProfile =
    "http://netpreserve.org/warc/1.1/revisit/identical-payload-digest";

std::span<const uint8_t> bytes_of(std::string_view s) {
  return {reinterpret_cast<const uint8_t*>(s.data()), s.size()};
}

// Header values end at CRLF, so a value holding CR or LF would forge fields (§4: a field
// value is TEXT without CTLs but LWS).
void check_value(std::string_view name, std::string_view value) {
  for (char c : value)
    if (c == '\r' || c == '\n' || c == '\0')
      throw Error("WARC writer: " + std::string(name) + " holds a CR, LF or NUL byte");
}

void add_field(std::string& out, std::string_view name, std::string_view value) {
  if (value.empty()) return;
  check_value(name, value);
  out.append(name).append(": ").append(value).append("\r\n");
}

// The value of a header field in an HTTP head (first one; case-insensitive name).
std::string_view http_field(std::string_view head, std::string_view name) {
  std::size_t p = head.find('\n');
  while (p != std::string_view::npos && p + 1 < head.size()) {
    std::size_t start = p + 1;
    std::size_t eol = head.find('\n', start);
    std::string_view line = head.substr(start, eol == std::string_view::npos ? eol : eol - start);
    p = eol;
    std::size_t colon = line.find(':');
    if (colon != std::string_view::npos && iequals(trim(line.substr(0, colon)), name))
      return trim(line.substr(colon + 1));
  }
  return {};
}

void write_all(int fd, std::string_view data, const std::string& path) {
  while (!data.empty()) {
    ssize_t n = ::write(fd, data.data(), data.size());
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) throw Error(std::string("cannot write: ") + std::strerror(errno), path);
    data.remove_prefix(static_cast<std::size_t>(n));
  }
}

void fsync_or_throw(int fd, const std::string& path) {
  if (::fsync(fd) != 0) throw Error(std::string("fsync failed: ") + std::strerror(errno), path);
}

}  // namespace

namespace {
// De-chunks `body` into `out` when the head declares chunked and it de-chunks.
bool dechunk_declared(std::string_view http_head, std::string_view body, std::string& out) {
  // RFC 9112 §6.1: chunked is the final transfer coding when present.
  std::string_view te = http_field(http_head, "Transfer-Encoding");
  return !te.empty() && icontains(te, "chunked") &&
         dechunk(body, out, UINT64_MAX) == DecodeResult::ok;
}
}  // namespace

std::string http_entity_body(std::string_view http_head, std::string_view body) {
  std::string dechunked;
  return dechunk_declared(http_head, body, dechunked) ? dechunked : std::string(body);
}

std::string http_payload_digest(std::string_view http_head, std::string_view body) {
  std::string dechunked;
  if (dechunk_declared(http_head, body, dechunked)) return warc_sha1_digest(bytes_of(dechunked));
  return warc_sha1_digest(bytes_of(body));
}

std::string new_record_id() {
  uint8_t b[16];
  std::size_t got = 0;
  while (got < sizeof b) {
    ssize_t n = ::getrandom(b + got, sizeof b - got, 0);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) throw Error(std::string("getrandom failed: ") + std::strerror(errno));
    got += static_cast<std::size_t>(n);
  }
  b[6] = static_cast<uint8_t>((b[6] & 0x0f) | 0x40);  // RFC 9562 §5.4: version 4
  b[8] = static_cast<uint8_t>((b[8] & 0x3f) | 0x80);  // variant 10
  std::string h = hex({b, sizeof b});
  return "<urn:uuid:" + h.substr(0, 8) + "-" + h.substr(8, 4) + "-" + h.substr(12, 4) + "-" +
         h.substr(16, 4) + "-" + h.substr(20) + ">";
}

std::string gzip_member(std::string_view data, int level) {
  libdeflate_compressor* c = libdeflate_alloc_compressor(level);
  if (c == nullptr) throw Error("libdeflate_alloc_compressor failed");
  std::string out(libdeflate_gzip_compress_bound(c, data.size()), '\0');
  std::size_t n = libdeflate_gzip_compress(c, data.data(), data.size(), out.data(), out.size());
  libdeflate_free_compressor(c);
  if (n == 0) throw Error("libdeflate_gzip_compress failed");
  out.resize(n);
  return out;
}

struct WarcFileWriter::Impl {
  std::string final_path, temp_path;
  WarcWriterOptions options;
  int fd = -1;
  uint64_t written = 0;
  bool finished = false;
  std::string warcinfo_id;
  libdeflate_compressor* compressor = nullptr;
  std::string head, member;  // reused per record

  // Writes one record: WARC header fields (the given ones plus the common ones) and block.
  WrittenRecord emit(std::string_view type, const RecordHeader& h, std::string_view extra_fields,
                     std::string_view content_type, std::string_view block_head,
                     std::string_view block_body, std::string payload_digest);
};

WrittenRecord WarcFileWriter::Impl::emit(std::string_view type, const RecordHeader& h,
                                         std::string_view extra_fields,
                                         std::string_view content_type,
                                         std::string_view block_head,
                                         std::string_view block_body,
                                         std::string payload_digest) {
  if (finished) throw Error("WARC writer: write after finish()", final_path);
  // §5.4: WARC-Date is mandatory in every record; §6.3–§6.7: these types name their URI.
  if (h.date.empty()) throw Error("WARC writer: a " + std::string(type) + " record without WARC-Date", final_path);
  if (h.target_uri.empty() && type != "warcinfo" && type != "metadata")
    throw Error("WARC writer: a " + std::string(type) + " record without WARC-Target-URI", final_path);
  WrittenRecord rec;
  rec.record_id = h.record_id.empty() ? new_record_id() : std::string(h.record_id);
  Digest sha1(DigestAlgorithm::sha1);
  sha1.update(block_head);
  sha1.update(block_body);
  rec.block_digest = "sha1:" + base32(sha1.final());
  rec.payload_digest = std::move(payload_digest);

  // §4: version line, named fields, CRLF, block, CRLF CRLF. Field order as warcio writes.
  head.assign("WARC/1.1\r\n");
  add_field(head, "WARC-Type", type);
  add_field(head, "WARC-Record-ID", rec.record_id);
  add_field(head, "WARC-Date", h.date);
  add_field(head, "WARC-Target-URI", h.target_uri);
  add_field(head, "WARC-IP-Address", h.ip_address);
  add_field(head, "WARC-Concurrent-To", h.concurrent_to);
  if (type != "warcinfo") add_field(head, "WARC-Warcinfo-ID", warcinfo_id);
  head.append(extra_fields);
  add_field(head, "Content-Type", content_type);
  add_field(head, "WARC-Block-Digest", rec.block_digest);
  add_field(head, "WARC-Payload-Digest", rec.payload_digest);
  add_field(head, "WARC-Truncated", h.truncated);
  head.append("Content-Length: ")
      .append(std::to_string(block_head.size() + block_body.size()))
      .append("\r\n\r\n")
      .append(block_head)
      .append(block_body)
      .append("\r\n\r\n");

  member.resize(libdeflate_gzip_compress_bound(compressor, head.size()));
  std::size_t n =
      libdeflate_gzip_compress(compressor, head.data(), head.size(), member.data(), member.size());
  if (n == 0) throw Error("libdeflate_gzip_compress failed", temp_path);
  write_all(fd, std::string_view(member.data(), n), temp_path);
  rec.offset = static_cast<int64_t>(written);
  rec.length = static_cast<int64_t>(n);
  written += n;
  return rec;
}

WarcFileWriter::WarcFileWriter(std::string final_path, WarcWriterOptions options)
    : impl_(std::make_unique<Impl>()) {
  impl_->final_path = std::move(final_path);
  impl_->temp_path = impl_->final_path + ".open";
  impl_->options = options;
  impl_->compressor = libdeflate_alloc_compressor(options.gzip_level);
  if (impl_->compressor == nullptr)
    throw Error("libdeflate_alloc_compressor failed (gzip level " +
                std::to_string(options.gzip_level) + ")");
  impl_->fd = ::open(impl_->temp_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (impl_->fd < 0) {
    libdeflate_free_compressor(impl_->compressor);
    throw Error(std::string("cannot create WARC file: ") + std::strerror(errno), impl_->temp_path);
  }
}

WarcFileWriter::~WarcFileWriter() {
  if (impl_->fd >= 0) {
    ::close(impl_->fd);
    if (!impl_->finished) ::unlink(impl_->temp_path.c_str());  // abandoned: leave nothing
  }
  libdeflate_free_compressor(impl_->compressor);
}

WrittenRecord WarcFileWriter::write_warcinfo(std::string_view date, std::string_view fields) {
  std::string name = std::filesystem::path(impl_->final_path).filename().string();
  std::string extra = "WARC-Filename: " + name + "\r\n";
  check_value("WARC-Filename", name);
  RecordHeader h;
  h.date = date;
  WrittenRecord rec =
      impl_->emit("warcinfo", h, extra, "application/warc-fields", fields, {}, std::string());
  impl_->warcinfo_id = rec.record_id;
  return rec;
}

WrittenRecord WarcFileWriter::write_request(const HttpRecord& r) {
  return impl_->emit("request", r.header, {}, "application/http;msgtype=request", r.http_head,
                     r.body, http_payload_digest(r.http_head, r.body));
}

WrittenRecord WarcFileWriter::write_response(const HttpRecord& r) {
  return impl_->emit("response", r.header, {}, "application/http;msgtype=response", r.http_head,
                     r.body, http_payload_digest(r.http_head, r.body));
}

WrittenRecord WarcFileWriter::write_revisit(const RevisitRecord& r) {
  std::string extra;
  add_field(extra, "WARC-Profile", kRevisitProfile);
  add_field(extra, "WARC-Refers-To", r.refers_to);
  add_field(extra, "WARC-Refers-To-Target-URI", r.refers_to_uri);
  add_field(extra, "WARC-Refers-To-Date", r.refers_to_date);
  check_value("WARC-Payload-Digest", r.payload_digest);
  return impl_->emit("revisit", r.header, extra, "application/http;msgtype=response", r.http_head,
                     {}, std::string(r.payload_digest));
}

WrittenRecord WarcFileWriter::write_resource(const RecordHeader& h, std::string_view content_type,
                                             std::string_view block) {
  // §6.4: the whole block is the payload of a resource record.
  return impl_->emit("resource", h, {}, content_type, block, {}, warc_sha1_digest(bytes_of(block)));
}

WrittenRecord WarcFileWriter::write_metadata(const RecordHeader& h, std::string_view content_type,
                                             std::string_view block) {
  return impl_->emit("metadata", h, {}, content_type, block, {}, std::string());
}

uint64_t WarcFileWriter::bytes_written() const { return impl_->written; }
const std::string& WarcFileWriter::final_path() const { return impl_->final_path; }
const std::string& WarcFileWriter::temp_path() const { return impl_->temp_path; }
const std::string& WarcFileWriter::warcinfo_id() const { return impl_->warcinfo_id; }

void WarcFileWriter::set_warcinfo_id(std::string_view id) {
  check_value("WARC-Warcinfo-ID", id);
  impl_->warcinfo_id = id;
}

WrittenRecord WarcFileWriter::append_member(std::string_view gzip_member) {
  if (impl_->finished) throw Error("WARC writer: write after finish()", impl_->final_path);
  write_all(impl_->fd, gzip_member, impl_->temp_path);
  WrittenRecord rec;
  rec.offset = static_cast<int64_t>(impl_->written);
  rec.length = static_cast<int64_t>(gzip_member.size());
  impl_->written += gzip_member.size();
  return rec;
}

void WarcFileWriter::finish() {
  if (impl_->finished) return;
  fsync_or_throw(impl_->fd, impl_->temp_path);
  if (::close(impl_->fd) != 0)
    throw Error(std::string("close failed: ") + std::strerror(errno), impl_->temp_path);
  impl_->fd = -1;
  if (::rename(impl_->temp_path.c_str(), impl_->final_path.c_str()) != 0)
    throw Error(std::string("cannot rename to the final name: ") + std::strerror(errno),
                impl_->temp_path);
  impl_->finished = true;
  std::string dir = std::filesystem::path(impl_->final_path).parent_path().string();
  int dfd = ::open(dir.empty() ? "." : dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dfd < 0) throw Error(std::string("cannot open folder: ") + std::strerror(errno), dir);
  int rc = ::fsync(dfd);
  ::close(dfd);
  if (rc != 0) throw Error(std::string("fsync of folder failed: ") + std::strerror(errno), dir);
}

int64_t rewrite_as_revisits(const std::string& path,
                            const std::unordered_map<std::string, RevisitTarget>& targets) {
  // Pass 1: where each member starts, and the fields of the records to convert.
  struct Member {
    int64_t offset = 0;
    bool convert = false;
    std::string record_id, date, uri, ip, warcinfo_id, payload_digest, http_head;
  };
  std::vector<Member> members;
  {
    SkipLog skips;
    WarcReader reader(path, Limits{}, skips);
    while (const WarcRecord* r = reader.next()) {
      if (r->member_offset != 0)
        throw Error("cannot rewrite: several records in one gzip member", path);
      Member m;
      m.offset = r->offset;
      auto it = r->type == RecordType::response ? targets.find(std::string(r->target_uri()))
                                                : targets.end();
      if (it != targets.end()) {
        const std::size_t end = r->block.find("\r\n\r\n");
        if (end == std::string_view::npos)
          throw Error("cannot rewrite: no end of the HTTP head in the response of " + it->first, path);
        m.convert = true;
        m.record_id = r->record_id();
        m.date = r->date();
        m.uri = it->first;
        m.ip = r->header("WARC-IP-Address");
        m.warcinfo_id = r->header("WARC-Warcinfo-ID");
        m.payload_digest = r->header("WARC-Payload-Digest");
        m.http_head = r->block.substr(0, end + 4);
      }
      members.push_back(std::move(m));
    }
    if (skips.total() > 0) throw Error("cannot rewrite: a record does not read back", path);
  }
  int64_t converted = 0;
  for (const Member& m : members) converted += m.convert;
  if (converted == 0) return 0;
  // Pass 2: the new file, members copied or converted.
  const int in = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (in < 0) throw Error(std::string("cannot open: ") + std::strerror(errno), path);
  struct Closer {
    int fd;
    ~Closer() { ::close(fd); }
  } closer{in};
  const auto size = static_cast<int64_t>(std::filesystem::file_size(path));
  WarcFileWriter out(path);
  std::string bytes;
  for (std::size_t i = 0; i < members.size(); ++i) {
    const Member& m = members[i];
    if (m.convert) {
      out.set_warcinfo_id(m.warcinfo_id);
      const auto target = targets.at(m.uri);
      RevisitRecord rev{{m.uri, m.date, m.ip, {}, m.record_id}, m.http_head, m.payload_digest,
                        target.uri, target.date, {}};
      out.write_revisit(rev);
      continue;
    }
    const int64_t end = i + 1 < members.size() ? members[i + 1].offset : size;
    bytes.resize(static_cast<std::size_t>(end - m.offset));
    std::size_t got = 0;
    while (got < bytes.size()) {
      const ssize_t n = ::pread(in, bytes.data() + got, bytes.size() - got,
                                static_cast<off_t>(m.offset + static_cast<int64_t>(got)));
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) throw Error("cannot read a gzip member", path);
      got += static_cast<std::size_t>(n);
    }
    out.append_member(bytes);
  }
  out.finish();
  return converted;
}

RollingWarcWriter::RollingWarcWriter(std::function<std::string(int)> name_of, uint64_t max_bytes,
                                     std::string warcinfo_fields,
                                     std::function<std::string()> now, WarcWriterOptions options,
                                     int first_serial)
    : name_of_(std::move(name_of)),
      max_bytes_(max_bytes),
      fields_(std::move(warcinfo_fields)),
      now_(std::move(now)),
      options_(options),
      serial_(first_serial) {}

RollingWarcWriter::~RollingWarcWriter() = default;

WarcFileWriter& RollingWarcWriter::next() {
  if (current_ && current_->bytes_written() >= max_bytes_) finish();
  if (!current_) {
    current_ = std::make_unique<WarcFileWriter>(name_of_(serial_), options_);
    current_->write_warcinfo(now_(), fields_);
  }
  return *current_;
}

void RollingWarcWriter::finish() {
  if (!current_) return;
  current_->finish();
  current_.reset();
  ++serial_;
}

int RollingWarcWriter::serial() const { return serial_; }

}  // namespace warcpairs::warc
