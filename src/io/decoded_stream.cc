// DecodedStream: one window over plain or gunzipped bytes, member offsets, resync after breaks.
#include "warcpairs/io/decoded_stream.h"

#include <algorithm>
#include <cstring>
#include <limits>
#include <string>

namespace warcpairs::io {
namespace {
constexpr std::size_t kPlainChunk = 2u << 20;
constexpr uint64_t kOpen = std::numeric_limits<uint64_t>::max();
}  // namespace

DecodedStream::DecodedStream(std::unique_ptr<ByteSource> source, SkipLog& skips)
    : source_(std::move(source)), skips_(skips), in_(*source_) {
  unsigned char magic[2] = {0, 0};
  std::size_t got = 0;
  while (got < 2) {
    std::size_t n = source_->read(reinterpret_cast<char*>(magic) + got, 2 - got);
    if (n == 0) break;
    got += n;
  }
  gzip_ = got == 2 && magic[0] == 0x1f && magic[1] == 0x8b;  // RFC 1952 §2.3.1 ID1 ID2
  source_->seek(0);
}

DecodedStream::~DecodedStream() = default;

void DecodedStream::consume(std::size_t n) {
  window_.consume(n);
  base_ += n;
  // Keep a member that ends exactly at base_: member_ends_at(0) still needs it.
  auto live = std::find_if(members_.begin(), members_.end(),
                           [&](const Member& m) { return m.out_end >= base_; });
  members_.erase(members_.begin(), live);
}

uint64_t DecodedStream::discard(uint64_t n) {
  uint64_t done = std::min<uint64_t>(n, size());
  consume(done);
  if (done == n) return n;
  if (!gzip_) {  // plain: seek over the bytes instead of reading them
    uint64_t skip = std::min(n - done, source_->size() - std::min(file_pos_, source_->size()));
    file_pos_ += skip;
    base_ += skip;
    source_->seek(file_pos_);
    if (skip < n - done) plain_eof_ = true;
    return done + skip;
  }
  while (done < n) {
    bool full = fill(std::min<uint64_t>(n - done, kPlainChunk));
    std::size_t take = std::min<uint64_t>(size(), n - done);
    consume(take);
    done += take;
    if (!full && done < n) break;
  }
  return done;
}

bool DecodedStream::fill(std::size_t want) {
  if (window_.size() >= want) return true;
  if (!gzip_) return fill_plain(want);
  while (window_.size() < want)
    if (!decode_some(want - window_.size())) break;  // it may still have added bytes
  return window_.size() >= want;
}

bool DecodedStream::fill_plain(std::size_t want) {
  while (window_.size() < want) {
    if (plain_eof_) return false;
    char* dst = window_.reserve_tail(std::max(want - window_.size(), kPlainChunk));
    std::size_t got = source_->read(dst, window_.tail_space());
    if (got == 0) {
      plain_eof_ = true;
      return false;
    }
    window_.commit(got);
    file_pos_ += got;
  }
  return true;
}

// Decodes the next member (or more of a streaming one). False when the segment or file ends.
bool DecodedStream::decode_some(std::size_t want) {
  if (segment_ended_ || file_ended_) return false;
  if (!gz_.streaming()) {
    if (!find_member_header()) return false;
    uint64_t at = base_ + window_.size();
    members_.push_back({at, kOpen, static_cast<int64_t>(in_.offset())});
  }
  std::size_t produced = 0;
  auto status = gz_.decode(in_, window_, std::max<std::size_t>(want, 64u << 10), produced);
  Member& m = members_.back();
  using S = GzipMemberReader::Status;
  if (status == S::member_done) m.out_end = base_ + window_.size();
  if (status == S::member_done || status == S::more) return true;
  m.out_end = base_ + window_.size();
  uint64_t decoded = m.out_end - m.out_begin;
  if (status == S::corrupt) {
    skips_.skip("gzip_corrupt", name(), m.file_offset,
                "invalid deflate data after " + std::to_string(decoded) + " decoded bytes");
    end_segment(static_cast<uint64_t>(m.file_offset) + 1);
  } else {
    skips_.skip("gzip_truncated", name(), m.file_offset,
                "file ends inside the member after " + std::to_string(decoded) + " decoded bytes");
    file_ended_ = true;
  }
  return false;
}

// Positions the input at the next gzip member header (1f 8b 08), reporting bytes that are
// not one as "gzip_garbage". False at end of file.
bool DecodedStream::find_member_header() {
  in_.fill(3);
  if (is_gzip_magic(in_.data(), in_.size())) {
    resyncing_ = false;
    return true;
  }
  if (in_.size() == 0) {
    file_ended_ = true;
    return false;
  }
  if (!resyncing_) skips_.skip("gzip_garbage", name(), static_cast<int64_t>(in_.offset()));
  resyncing_ = true;
  for (;;) {
    const unsigned char* p = in_.data();
    std::size_t n = in_.size();
    for (std::size_t i = 0; i + 3 <= n; ++i) {
      const void* hit = std::memchr(p + i, 0x1f, n - i - 2);
      if (!hit) break;
      i = static_cast<const unsigned char*>(hit) - p;
      if (is_gzip_magic(p + i, n - i)) {
        in_.consume(i);
        resyncing_ = false;
        return true;
      }
    }
    in_.consume(n > 2 ? n - 2 : 0);  // keep two bytes: a header may straddle the chunk end
    if (!in_.read_more()) {
      in_.consume(in_.size());
      file_ended_ = true;
      return false;
    }
  }
}

void DecodedStream::end_segment(uint64_t resume_at) {
  segment_ended_ = true;
  resume_at_ = resume_at;
  gz_.reset();
}

bool DecodedStream::next_segment() {
  if (!gzip_ || !segment_ended_ || file_ended_ || resume_at_ >= source_->size()) return false;
  base_ += window_.size();
  window_.clear();
  members_.clear();
  in_.seek(resume_at_);
  segment_ended_ = false;
  resyncing_ = true;  // the broken member was reported already
  return true;
}

int64_t DecodedStream::offset_at(std::size_t pos) const {
  uint64_t abs = base_ + pos;
  if (!gzip_) return static_cast<int64_t>(abs);
  for (const Member& m : members_)
    if (abs >= m.out_begin && abs < m.out_end) return m.file_offset;
  return static_cast<int64_t>(in_.offset());  // not decoded yet: the next member starts there
}

int64_t DecodedStream::offset_in_member(std::size_t pos) const {
  if (!gzip_) return 0;
  const uint64_t abs = base_ + pos;
  for (const Member& m : members_)
    if (abs >= m.out_begin && abs < m.out_end) return static_cast<int64_t>(abs - m.out_begin);
  return 0;
}

bool DecodedStream::member_starts_at(std::size_t pos) const {
  uint64_t abs = base_ + pos;
  for (const Member& m : members_)
    if (m.out_begin == abs) return true;
  return false;
}

bool DecodedStream::member_ends_at(std::size_t pos) const {
  uint64_t abs = base_ + pos;
  for (const Member& m : members_)
    if (m.out_end == abs) return true;
  return false;
}

void DecodedStream::seek(uint64_t offset) {
  window_.clear();
  members_.clear();
  gz_.reset();
  segment_ended_ = file_ended_ = resyncing_ = false;
  plain_eof_ = false;
  if (gzip_) {
    base_ = 0;
    in_.seek(offset);
  } else {
    base_ = file_pos_ = offset;
    source_->seek(offset);
  }
}

uint64_t DecodedStream::compressed_consumed() const { return gzip_ ? in_.offset() : base_; }

}  // namespace warcpairs::io
