// FetchJournal: length-prefixed records; replay on open, truncate a torn tail, append.
#include "fetch_journal.h"

#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <nlohmann/json.hpp>
#include <vector>

#include "warcpairs/core/error.h"

namespace warcpairs::stages {
namespace fs = std::filesystem;
using nlohmann::json;

namespace {

constexpr char kMagic[4] = {'W', 'P', 'J', '1'};
constexpr uint64_t kMaxPart = uint64_t{1} << 32;  // larger lengths mean a damaged record

bool read_exact(std::FILE* f, void* out, std::size_t n) { return std::fread(out, 1, n, f) == n; }

// Reads one complete record; false at the end or at a torn/damaged record.
bool read_record(std::FILE* f, net::FetchResult& out) {
  char magic[4];
  uint64_t header_len = 0, body_len = 0;
  if (!read_exact(f, magic, 4) || std::memcmp(magic, kMagic, 4) != 0) return false;
  if (!read_exact(f, &header_len, 8) || header_len > kMaxPart) return false;
  std::string header(header_len, '\0');
  if (!read_exact(f, header.data(), header_len)) return false;
  if (!read_exact(f, &body_len, 8) || body_len > kMaxPart) return false;
  out.body.resize(body_len);
  if (body_len && !read_exact(f, out.body.data(), body_len)) return false;
  const json h = json::parse(header, nullptr, false);
  if (!h.is_object()) return false;
  out.url = h.value("url", "");
  out.final_url = h.value("final_url", "");
  out.http_status = h.value("http_status", 0L);
  out.outcome = h.value("outcome", "");
  out.detail = h.value("detail", "");
  out.content_type = h.value("content_type", "");
  out.ip = h.value("ip", "");
  out.attempts = h.value("attempts", 0);
  out.noai = h.value("noai", false);
  out.seconds = h.value("seconds", 0.0);
  return !out.url.empty();
}

}  // namespace

FetchJournal::FetchJournal(fs::path path, const std::function<void(net::FetchResult&&)>& replay)
    : path_(std::move(path)) {
  file_ = std::fopen(path_.c_str(), "a+b");
  if (!file_) throw Error(std::string("open fetch journal: ") + std::strerror(errno), path_.string());
  std::rewind(file_);
  long good_end = 0;
  net::FetchResult r;
  while (read_record(file_, r)) {
    good_end = std::ftell(file_);
    replayed_.insert(r.url);
    replay(std::move(r));
    r = net::FetchResult{};
  }
  // Cut a torn tail, so that appended records follow a complete one.
  std::fflush(file_);
  if (::ftruncate(::fileno(file_), good_end) != 0)
    throw Error(std::string("truncate fetch journal: ") + std::strerror(errno), path_.string());
  std::fseek(file_, 0, SEEK_END);
}

FetchJournal::~FetchJournal() {
  if (file_) std::fclose(file_);
}

void FetchJournal::append(const net::FetchResult& f) {
  const std::string header = json({{"url", f.url}, {"final_url", f.final_url},
                                   {"http_status", f.http_status}, {"outcome", f.outcome},
                                   {"detail", f.detail}, {"content_type", f.content_type},
                                   {"ip", f.ip}, {"attempts", f.attempts}, {"noai", f.noai},
                                   {"seconds", f.seconds}})
                                 .dump();
  const uint64_t header_len = header.size(), body_len = f.body.size();
  bool ok = std::fwrite(kMagic, 1, 4, file_) == 4 && std::fwrite(&header_len, 8, 1, file_) == 1 &&
            std::fwrite(header.data(), 1, header.size(), file_) == header.size() &&
            std::fwrite(&body_len, 8, 1, file_) == 1 &&
            (f.body.empty() || std::fwrite(f.body.data(), 1, f.body.size(), file_) == f.body.size());
  // Into the kernel now (not fsync): a kill after this line loses nothing.
  ok = ok && std::fflush(file_) == 0;
  if (!ok) throw Error(std::string("write fetch journal: ") + std::strerror(errno), path_.string());
}

void FetchJournal::remove() {
  if (file_) std::fclose(file_);
  file_ = nullptr;
  std::error_code ec;
  fs::remove(path_, ec);
}

}  // namespace warcpairs::stages
