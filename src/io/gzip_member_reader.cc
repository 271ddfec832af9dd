// GzipMemberReader: libdeflate one call per member; zlib inflate for huge or broken members.
#include "warcpairs/io/gzip_member_reader.h"

#include <libdeflate.h>

#include <algorithm>
#include <limits>
#include <new>

#include "warcpairs/io/zlib_inflate.h"

namespace warcpairs::io {
namespace {
// Below this much buffered input a member may well straddle the end: read more first, so
// libdeflate rarely has to be called twice for one member.
constexpr std::size_t kLowWater = 256u << 10;
constexpr std::size_t kStreamChunk = 256u << 10;
}  // namespace

GzipMemberReader::GzipMemberReader() : zlib_(std::make_unique<ZlibInflate>()) {
  deflate_ = libdeflate_alloc_decompressor();
  if (!deflate_) throw std::bad_alloc();
}

GzipMemberReader::~GzipMemberReader() { libdeflate_free_decompressor(deflate_); }

void GzipMemberReader::reset() { streaming_ = false; }

GzipMemberReader::Status GzipMemberReader::decode(InputWindow& in, ByteWindow& out,
                                                  std::size_t want, std::size_t& produced) {
  produced = 0;
  if (!streaming_) {
    bool fallback = false;
    Status s = one_shot(in, out, produced, fallback);
    if (!fallback) return s;
    if (!zlib_->start(15 + 16)) return Status::corrupt;  // 15+16: gzip wrapper only
    streaming_ = true;
  }
  return stream(in, out, want, produced);
}

// One libdeflate call for the whole member; retried with more output space or more input.
// Sets `fallback` when the member is too large for one buffer, or broken (zlib then finds
// exactly where, keeping the bytes before the break).
GzipMemberReader::Status GzipMemberReader::one_shot(InputWindow& in, ByteWindow& out,
                                                    std::size_t& produced, bool& fallback) {
  if (!in.eof() && in.size() < kLowWater) in.read_more();
  for (;;) {
    std::size_t space = std::max<std::size_t>(out_guess_, 64u << 10);
    char* dst = out.reserve_tail(space);
    space = out.tail_space();
    std::size_t used_in = 0, made = 0;
    libdeflate_result r = libdeflate_gzip_decompress_ex(deflate_, in.data(), in.size(), dst,
                                                         space, &used_in, &made);
    if (r == LIBDEFLATE_SUCCESS) {
      out.commit(made);
      in.consume(used_in);
      produced = made;
      return Status::member_done;
    }
    if (r == LIBDEFLATE_INSUFFICIENT_SPACE) {
      if (space >= kOneShotMaxOut) break;
      out_guess_ = std::min(space * 2, kOneShotMaxOut);
      continue;
    }
    // Bad data: either the member continues past the buffered input, or it is broken.
    if (!in.eof() && in.size() < kOneShotMaxIn) {
      in.read_more(in.size());
      continue;
    }
    break;
  }
  fallback = true;
  return Status::more;
}

GzipMemberReader::Status GzipMemberReader::stream(InputWindow& in, ByteWindow& out,
                                                  std::size_t want, std::size_t& produced) {
  z_stream& z = zlib_->z();
  constexpr std::size_t kMaxAvail = std::numeric_limits<uInt>::max();
  while (produced < want) {
    if (in.size() == 0 && !in.read_more()) {
      streaming_ = false;
      return Status::truncated;
    }
    char* dst = out.reserve_tail(kStreamChunk);
    std::size_t space = std::min(out.tail_space(), kMaxAvail);
    z.next_in = const_cast<Bytef*>(in.data());
    z.avail_in = static_cast<uInt>(std::min(in.size(), kMaxAvail));
    z.next_out = reinterpret_cast<Bytef*>(dst);
    z.avail_out = static_cast<uInt>(space);
    uInt avail_in_before = z.avail_in;
    int rc = inflate(&z, Z_NO_FLUSH);
    in.consume(avail_in_before - z.avail_in);
    std::size_t made = space - z.avail_out;
    out.commit(made);
    produced += made;
    if (rc == Z_STREAM_END) {
      streaming_ = false;
      return Status::member_done;
    }
    if (rc == Z_OK) continue;
    if (rc == Z_BUF_ERROR) {  // no progress: the member needs input beyond what is buffered
      if (in.read_more()) continue;
      streaming_ = false;
      return Status::truncated;
    }
    streaming_ = false;  // Z_DATA_ERROR (bad deflate data, CRC, length), Z_NEED_DICT, Z_MEM_ERROR
    return Status::corrupt;
  }
  return Status::more;
}

}  // namespace warcpairs::io
