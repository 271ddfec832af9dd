// InMemoryArchive: URL → record location from one reader pass; a lookup seeks a reader kept open
// per file, parses the HTTP response (de-chunked, decoded) and follows a revisit to its original.
#include "warcpairs/render/archive.h"

#include <algorithm>
#include <cctype>

#include "warcpairs/warc/http.h"
#include "warcpairs/warc/reader.h"

namespace warcpairs::render {

namespace {

bool iequals(std::string_view a, std::string_view b) {
  return a.size() == b.size() &&
         std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
         });
}

}  // namespace

bool is_replay_dropped_header(std::string_view name) {
  for (std::string_view h : {"connection", "keep-alive", "proxy-authenticate", "proxy-authorization",
                             "proxy-connection", "te", "trailer", "transfer-encoding", "upgrade",
                             "content-encoding", "content-length"})
    if (iequals(name, h)) return true;
  return false;
}

std::string lookup_key(std::string_view url) {
  const auto hash = url.find('#');
  return std::string(url.substr(0, hash));
}

struct InMemoryArchive::Readers {
  std::map<uint32_t, std::unique_ptr<warc::WarcReader>> open;
  std::unique_ptr<warc::HttpParser> http;
};

InMemoryArchive::InMemoryArchive(std::vector<std::string> files, const Limits& limits, SkipLog& skips)
    : files_(std::move(files)), limits_(limits), skips_(skips), readers_(std::make_unique<Readers>()) {
  readers_->http = std::make_unique<warc::HttpParser>(limits_);
  for (uint32_t f = 0; f < files_.size(); ++f) {
    warc::WarcReader reader(files_[f], limits_, skips_);
    reader.set_type_filter({warc::RecordType::response, warc::RecordType::resource,
                            warc::RecordType::revisit});
    while (const warc::WarcRecord* rec = reader.next()) {
      RecordLocation loc;
      loc.file = f;
      loc.offset = rec->offset;
      loc.member_offset = rec->member_offset;
      loc.revisit = rec->type == warc::RecordType::revisit;
      loc.digest = rec->header("WARC-Payload-Digest");
      if (loc.revisit) loc.refers_to = lookup_key(rec->header("WARC-Refers-To-Target-URI"));
      else if (!loc.digest.empty()) by_digest_.emplace(loc.digest, loc);
      by_url_.emplace(lookup_key(rec->target_uri()), std::move(loc));
    }
  }
}

InMemoryArchive::~InMemoryArchive() = default;

std::optional<ArchivedResponse> InMemoryArchive::find(std::string_view url) {
  const auto it = by_url_.find(lookup_key(url));
  if (it == by_url_.end()) return std::nullopt;
  return read_at(it->second, 0);
}

// A revisit (WARC 1.1 §6.7.2) keeps its own status line and headers but not the payload: the
// payload comes from the original, found by WARC-Refers-To-Target-URI or by payload digest.
std::optional<ArchivedResponse> InMemoryArchive::read_at(const RecordLocation& loc, int depth) {
  auto& reader = readers_->open[loc.file];
  if (!reader) reader = std::make_unique<warc::WarcReader>(files_[loc.file], limits_, skips_);
  reader->seek(loc.offset, loc.member_offset);
  const warc::WarcRecord* rec = reader->next();
  if (!rec) return std::nullopt;
  ArchivedResponse out;
  out.file = files_[loc.file];
  out.offset = loc.offset;
  if (rec->type == warc::RecordType::resource) {
    out.body.assign(rec->block);
    if (!rec->content_type().empty()) out.headers.emplace_back("Content-Type", std::string(rec->content_type()));
    return out;
  }
  warc::HttpResponse http;
  std::string error;
  if (!readers_->http->parse(rec->block, http, error)) {
    skips_.skip(error.empty() ? "http_malformed" : error, out.file, loc.offset, rec->target_uri());
    return std::nullopt;
  }
  out.status = http.status;
  for (const auto& h : http.headers)
    if (!is_replay_dropped_header(h.name)) out.headers.emplace_back(std::string(h.name), std::string(h.value));
  if (!loc.revisit) {
    out.body.assign(http.body);
    return out;
  }
  if (depth > 3) return std::nullopt;  // a chain of revisits: refuse rather than loop
  const RecordLocation* original = nullptr;
  if (!loc.refers_to.empty()) {
    const auto it = by_url_.find(loc.refers_to);
    if (it != by_url_.end() && !it->second.revisit) original = &it->second;
  }
  if (!original && !loc.digest.empty()) {
    const auto it = by_digest_.find(loc.digest);
    if (it != by_digest_.end()) original = &it->second;
  }
  if (!original) {
    skips_.skip("revisit_original_missing", out.file, loc.offset, rec->target_uri());
    return std::nullopt;
  }
  const RecordLocation orig = *original;  // read_at reuses the reader: copy before seeking
  auto payload = read_at(orig, depth + 1);
  if (!payload) return std::nullopt;
  out.body = std::move(payload->body);
  out.revisit = true;
  if (out.status == 304) out.status = payload->status, out.headers = std::move(payload->headers);
  return out;
}

}  // namespace warcpairs::render
