// CdxjArchive: warc::CdxjIndex lookups (SURT match, revisits resolved by digest as pywb does),
// records read by seeking a WarcReader per file, HTTP parsed and decoded by warc::HttpParser.
#include "warcpairs/render/archive.h"

#include <algorithm>
#include <fstream>
#include <map>

#include <nlohmann/json.hpp>

#include "warcpairs/core/ascii.h"
#include "warcpairs/core/error.h"
#include "warcpairs/warc/cdxj.h"
#include "warcpairs/warc/http.h"
#include "warcpairs/warc/reader.h"

namespace warcpairs::render {
namespace fs = std::filesystem;

bool is_replay_dropped_header(std::string_view name) {
  for (std::string_view h : {"connection", "keep-alive", "proxy-authenticate", "proxy-authorization",
                             "proxy-connection", "te", "trailer", "transfer-encoding", "upgrade",
                             "content-encoding", "content-length"})
    if (iequals(name, h)) return true;
  return false;
}

std::string lookup_key(std::string_view url) { return std::string(url.substr(0, url.find('#'))); }

struct CdxjArchive::Impl {
  Impl(const Limits& l, SkipLog& s) : limits(l), skips(s), http(l) {}
  Limits limits;
  SkipLog& skips;
  warc::HttpParser http;
  warc::CdxjIndex index;
  std::map<std::string, std::string> paths;  // CDXJ filename → path (absent: the filename is one)
  std::map<std::string, std::unique_ptr<warc::WarcReader>> readers;

  // The record an entry names: the first at its offset with its URL (a gzip member of a
  // whole-file gzip holds several records, all at the member's offset).
  const warc::WarcRecord* record(const warc::CdxjEntry& e) {
    const auto it = paths.find(e.filename);
    const std::string& path = it == paths.end() ? e.filename : it->second;
    auto& reader = readers[path];
    if (!reader) reader = std::make_unique<warc::WarcReader>(path, limits, skips);
    reader->seek(e.offset, 0);
    for (int i = 0; i < 100000; ++i) {
      const warc::WarcRecord* rec = reader->next();
      if (!rec || rec->offset != e.offset) break;
      if (rec->target_uri() == e.url && rec->type != warc::RecordType::request) return rec;
    }
    skips.skip("index_entry_not_found", path, e.offset, e.url);
    return nullptr;
  }

  // Status and headers of `rec` into `out`; its decoded body too when `with_body`.
  bool read(const warc::WarcRecord& rec, ArchivedResponse& out, bool with_body) {
    if (rec.type == warc::RecordType::resource || rec.type == warc::RecordType::metadata) {
      out.status = 200;
      if (!rec.content_type().empty()) out.headers.emplace_back("Content-Type", std::string(rec.content_type()));
      if (with_body) out.body.assign(rec.block);
      return true;
    }
    warc::HttpResponse response;
    std::string error;
    if (!http.parse(rec.block, response, error)) {
      skips.skip(error.empty() ? "http_malformed" : error, out.file, rec.offset, rec.target_uri());
      return false;
    }
    out.status = response.status;
    out.headers.clear();
    for (const auto& h : response.headers)
      if (!is_replay_dropped_header(h.name)) out.headers.emplace_back(std::string(h.name), std::string(h.value));
    if (with_body) out.body.assign(response.body);
    return true;
  }
};

CdxjArchive::CdxjArchive(const Limits& limits, SkipLog& skips) : impl_(std::make_unique<Impl>(limits, skips)) {}
CdxjArchive::~CdxjArchive() = default;
std::size_t CdxjArchive::size() const { return impl_->index.size(); }

std::unique_ptr<CdxjArchive> CdxjArchive::build(const std::vector<std::string>& files, const Limits& limits,
                                                 SkipLog& skips) {
  std::unique_ptr<CdxjArchive> a(new CdxjArchive(limits, skips));
  for (const auto& path : files)
    for (auto& e : warc::index_warc_file(path, path, limits, skips)) a->impl_->index.add(std::move(e));
  a->impl_->index.seal();
  return a;
}

std::unique_ptr<CdxjArchive> CdxjArchive::load(const std::string& index_dir, const Limits& limits, SkipLog& skips) {
  std::unique_ptr<CdxjArchive> a(new CdxjArchive(limits, skips));
  const fs::path dir(index_dir);
  a->impl_->index.load((dir / "index.cdxj").string());
  a->impl_->index.seal();
  std::ifstream in(dir / "index-files.json");
  const nlohmann::json files = nlohmann::json::parse(in, nullptr, false);
  if (!in || files.is_discarded() || !files.is_object())
    throw Error("cannot read the index's file list (written by `warcpairs index`)", (dir / "index-files.json").string());
  for (const auto& [name, path] : files.items()) a->impl_->paths[name] = path.get<std::string>();
  return a;
}

// A revisit (WARC 1.1 §6.7) keeps its own status and headers but not the payload, which the
// index resolves to the original capture; a 304 revisit serves the original's status too.
std::optional<ArchivedResponse> CdxjArchive::find(std::string_view url) {
  Impl& s = *impl_;
  const warc::CdxjEntry* entry = s.index.find(lookup_key(url));
  if (!entry) return std::nullopt;
  const warc::CdxjEntry* payload = s.index.resolve(*entry);
  if (!payload) {
    s.skips.skip("revisit_original_missing", entry->filename, entry->offset, entry->url);
    return std::nullopt;
  }
  ArchivedResponse out;
  out.file = entry->filename;
  out.offset = entry->offset;
  out.revisit = payload != entry;
  if (out.revisit) {
    const warc::WarcRecord* rec = s.record(*entry);
    if (!rec || !s.read(*rec, out, false)) return std::nullopt;
    if (out.status == 304) out.headers.clear();  // then the original's, below
  }
  const int revisit_status = out.status;
  const auto revisit_headers = out.headers;
  const warc::WarcRecord* rec = s.record(*payload);
  if (!rec || !s.read(*rec, out, true)) return std::nullopt;
  if (out.revisit && revisit_status != 304 && !revisit_headers.empty()) {
    out.status = revisit_status;
    out.headers = revisit_headers;
  }
  return out;
}

}  // namespace warcpairs::render
