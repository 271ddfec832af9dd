// WARC/1.1 writer (ISO 28500:2017): warcinfo, request, response, revisit, resource and
// metadata records, each its own gzip member, into a file that is invisible until finish().
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>

namespace warcpairs::warc {

// Where one record went: enough for a caller to index it (CDXJ offset/length) and to
// checkpoint (bytes_written() after it).
struct WrittenRecord {
  std::string record_id;       // "<urn:uuid:...>", as in WARC-Record-ID
  int64_t offset = 0;          // of its gzip member in the file
  int64_t length = 0;          // compressed bytes of the member
  std::string block_digest;    // "sha1:<base32>" (WARC 1.1 §5.8)
  std::string payload_digest;  // "sha1:<base32>" (§5.9); empty for records without one
};

// Fields every record may carry. Views: only read during the write call.
struct RecordHeader {
  std::string_view target_uri;     // WARC-Target-URI (§5.3); empty: not written
  std::string_view date;           // WARC-Date (§5.4), UTC: "2024-05-01T12:00:00Z" or with a
                                   // fraction "2024-05-01T12:00:00.123456Z" (WARC/1.1 allows it)
  std::string_view ip_address;     // WARC-IP-Address (§5.6); empty: not written
  std::string_view concurrent_to;  // WARC-Concurrent-To (§5.7): "<urn:uuid:...>"; empty: none
  std::string_view record_id;      // "<urn:uuid:...>"; empty: a random (v4) one is made.
                                   // Give one to make records reproducible (tests, reruns).
  std::string_view truncated;      // WARC-Truncated (§5.13): "length", "time", "disconnect",
                                   // "unspecified"; empty: the block is complete, not written
};

// A request or response record: the HTTP message as on the wire.
//  - `http_head` is the start line and header fields up to and including the empty line
//    (CRLF CRLF), written byte for byte as received, never re-synthesised.
//  - `body` is the message body as received, transfer coding intact (a chunked body keeps
//    its chunk framing; gzip content coding stays). The record block is head + body.
// WARC-Payload-Digest is the SHA-1 of the payload = the HTTP entity body (WARC 1.1 §5.9,
// "per RFC 2616"), i.e. the body with the transfer coding (chunked) removed and content
// codings kept. This follows the standard as clarified in iipc/warc-specifications#22 and
// done by wget-lua and heritrix3 (#769); warcio (#74) and older wget digest the body with
// its chunk framing. A body that says chunked but does not de-chunk is digested as is
// (what a reader falling back to the raw body, as warcio does, would see).
struct HttpRecord {
  RecordHeader header;
  std::string_view http_head;
  std::string_view body;
};

// A revisit record, profile "identical payload digest" (WARC 1.1 §6.7.2): this URI returned a
// payload already stored. The block is the HTTP head only (status line and headers as
// received); the payload digest is the stored payload's. Remembering digest → first URI and
// date is the caller's business (the crawler keeps it in its state).
struct RevisitRecord {
  RecordHeader header;
  std::string_view http_head;
  std::string_view payload_digest;      // "sha1:<base32>" of the stored payload
  std::string_view refers_to_uri;       // WARC-Refers-To-Target-URI (§5.11)
  std::string_view refers_to_date;      // WARC-Refers-To-Date (§5.12)
  std::string_view refers_to;           // WARC-Refers-To (§5.10): record id; empty: omitted
};

struct WarcWriterOptions {
  int gzip_level = 6;  // libdeflate level 1..12 for each record's gzip member
};

// One WARC file. Records are appended to `final_path + ".open"`; finish() flushes, fsyncs,
// renames to `final_path` and fsyncs the folder, so the file is complete or not there at all.
// A crash before finish() leaves only the ".open" file, which no reader of *.warc.gz picks up
// and the next writer of the same name truncates; destroying the writer without finish()
// removes it. Rolling by size is the caller's: check bytes_written() after a record and open
// the next file (RollingWarcWriter below does that).
// Throws warcpairs::Error (with the path) when the file cannot be created or written.
class WarcFileWriter {
 public:
  explicit WarcFileWriter(std::string final_path, WarcWriterOptions options = {});
  ~WarcFileWriter();
  WarcFileWriter(const WarcFileWriter&) = delete;
  WarcFileWriter& operator=(const WarcFileWriter&) = delete;

  // warcinfo (§6.2): `fields` is an application/warc-fields block ("software: ...\r\n...");
  // WARC-Filename is the final file name.
  WrittenRecord write_warcinfo(std::string_view date, std::string_view fields);
  // application/http;msgtype=request (§6.6) and ;msgtype=response (§6.3).
  WrittenRecord write_request(const HttpRecord& record);
  WrittenRecord write_response(const HttpRecord& record);
  WrittenRecord write_revisit(const RevisitRecord& record);
  // resource (§6.4) and metadata (§6.5): any content type, the block as given.
  WrittenRecord write_resource(const RecordHeader& header, std::string_view content_type,
                               std::string_view block);
  WrittenRecord write_metadata(const RecordHeader& header, std::string_view content_type,
                               std::string_view block);

  uint64_t bytes_written() const;  // compressed bytes in the file so far
  const std::string& final_path() const;
  const std::string& temp_path() const;
  // The id of this file's warcinfo record once written (WARC-Warcinfo-ID of later records).
  const std::string& warcinfo_id() const;
  // Rewriting a file (rewrite_as_revisits): the WARC-Warcinfo-ID of the records written next,
  // and a gzip member (a whole record) appended byte for byte.
  void set_warcinfo_id(std::string_view id);
  WrittenRecord append_member(std::string_view gzip_member);

  void finish();  // flush, fsync, rename, fsync the folder; no writes after

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// Files rolled by size: a new file is opened (and starts with a warcinfo record) before a
// record when the current one holds `max_bytes` or more. `name_of(serial)` gives the final
// path of file number serial (0, 1, ...), e.g. RUN/warc/crawl-00000-r0.warc.gz.
class RollingWarcWriter {
 public:
  RollingWarcWriter(std::function<std::string(int serial)> name_of, uint64_t max_bytes,
                    std::string warcinfo_fields, std::function<std::string()> now,
                    WarcWriterOptions options = {}, int first_serial = 0);
  ~RollingWarcWriter();

  // The writer for the next record (rolls first when the current file is full).
  WarcFileWriter& next();
  // Finishes the open file, if any (after this, next() opens a new one).
  void finish();
  int serial() const;  // of the file next() returns now (or would open)

 private:
  std::function<std::string(int)> name_of_;
  uint64_t max_bytes_;
  std::string fields_;
  std::function<std::string()> now_;
  WarcWriterOptions options_;
  int serial_;
  std::unique_ptr<WarcFileWriter> current_;
};

// What a response record becomes in rewrite_as_revisits: a revisit of this URI's response.
struct RevisitTarget {
  std::string uri, date;  // WARC-Refers-To-Target-URI, WARC-Refers-To-Date
};

// Rewrites the finished WARC file `path` (one gzip member per record, as WarcFileWriter writes
// them): each `response` record whose WARC-Target-URI is a key of `targets` becomes a revisit
// record (identical payload digest, WARC 1.1 §6.7.2) of targets[uri] with the same
// WARC-Record-ID, -Date, -Target-URI, -IP-Address, -Warcinfo-ID, payload digest and HTTP head
// (its status line and headers); every other member is copied byte for byte. Written as
// `path + ".open"`, fsynced and renamed over `path` (so the file is the old or the new one,
// never a mix). Running it again on its output changes nothing. Returns the records converted.
// Throws warcpairs::Error when the file cannot be read or written or holds several records
// in one gzip member.
int64_t rewrite_as_revisits(const std::string& path,
                            const std::unordered_map<std::string, RevisitTarget>& targets);

// "<urn:uuid:xxxxxxxx-xxxx-4xxx-yxxx-xxxxxxxxxxxx>": a random (version 4) UUID from
// OpenSSL's CSPRNG, in the form WARC-Record-ID takes (§5.2).
std::string new_record_id();

// A gzip member (RFC 1952) of `data`, as each record is stored.
std::string gzip_member(std::string_view data, int level = 6);

// The payload digest WarcFileWriter puts on a response (see HttpRecord): SHA-1 of the body
// with a chunked transfer coding removed when the head declares one.
std::string http_payload_digest(std::string_view http_head, std::string_view body);

// The entity body of an HTTP message as on the wire: `body` with a chunked transfer coding
// removed when the head declares one and it de-chunks (chunk extensions and trailers
// dropped), else `body` as it is. What the payload digest is computed over.
std::string http_entity_body(std::string_view http_head, std::string_view body);

}  // namespace warcpairs::warc
