// The decoded bytes of a WARC file as one window: plain bytes as read, or the gunzipped
// bytes of its gzip members, with the file offset of the member that produced each byte.
// A corrupt or truncated member ends a "segment"; next_segment() resumes at the next member.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "warcpairs/core/skip_log.h"
#include "warcpairs/io/byte_source.h"
#include "warcpairs/io/byte_window.h"
#include "warcpairs/io/gzip_member_reader.h"
#include "warcpairs/io/input_window.h"

namespace warcpairs::io {

class DecodedStream {
 public:
  // Gzip is detected from the first bytes (1f 8b). Problems go to `skips` under source.name().
  DecodedStream(std::unique_ptr<ByteSource> source, SkipLog& skips);
  ~DecodedStream();

  bool gzip() const { return gzip_; }
  char* data() { return window_.data(); }
  std::size_t size() const { return window_.size(); }
  void consume(std::size_t n);
  // Steps over n bytes without keeping them (plain files: a seek). Returns the bytes skipped,
  // less than n when the segment ends first.
  uint64_t discard(uint64_t n);

  // Tries to hold at least `want` bytes; false when the segment ends first (size() < want).
  // May move the window: pointers into data() are invalid afterwards.
  bool fill(std::size_t want);
  // After the segment ended: drops what is left and resumes at the next gzip member after
  // the break. False at end of file (always for plain files).
  bool next_segment();

  // The record offset for window byte `pos`: plain, its file offset; gzip, the file offset
  // of the member it was decoded from.
  int64_t offset_at(std::size_t pos) const;
  // How far into its gzip member's decoded bytes window byte `pos` lies (0 in plain files).
  // Tells apart records that share one member, as in whole-file gzip.
  int64_t offset_in_member(std::size_t pos) const;
  // True when window byte `pos` is the first byte of a gzip member.
  bool member_starts_at(std::size_t pos) const;
  // True when window position `pos` is the end of a finished member (or of a plain file).
  bool member_ends_at(std::size_t pos) const;

  // Repositions at a file offset: a record start (plain) or a member start (gzip).
  void seek(uint64_t offset);

  uint64_t compressed_consumed() const;
  uint64_t file_size() const { return source_->size(); }
  const std::string& name() const { return source_->name(); }

 private:
  struct Member {
    uint64_t out_begin;  // decoded-stream position of its first byte
    uint64_t out_end;    // one past its last byte; UINT64_MAX while still streaming
    int64_t file_offset;
  };
  bool fill_plain(std::size_t want);
  bool decode_some(std::size_t want);
  bool find_member_header();
  void end_segment(uint64_t resume_at);

  std::unique_ptr<ByteSource> source_;
  SkipLog& skips_;
  bool gzip_ = false;
  ByteWindow window_;
  uint64_t base_ = 0;  // decoded-stream position of window_.data()[0]
  // plain
  uint64_t file_pos_ = 0;  // file offset of the window end
  bool plain_eof_ = false;
  // gzip
  InputWindow in_;
  GzipMemberReader gz_;
  std::vector<Member> members_;  // members with bytes in the window, oldest first
  bool segment_ended_ = false;
  bool file_ended_ = false;
  bool resyncing_ = false;  // garbage already reported; stay quiet until a member is found
  uint64_t resume_at_ = 0;
};

}  // namespace warcpairs::io
