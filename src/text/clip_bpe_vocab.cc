// CLIP BPE vocabulary: reading the merges file (gzip or plain) and building the vocabulary the
// way HF's CLIPTokenizer does (tokenization_clip.py): 256 byte characters, the same + "</w>",
// one token per merge, then <|startoftext|> and <|endoftext|>.
#include <zlib.h>

#include <algorithm>
#include <atomic>
#include <memory>

#include "clip_bpe_tables.h"
#include "utf8.h"
#include "warcpairs/core/error.h"
#include "warcpairs/text/clip_bpe.h"

namespace warcpairs::text {
namespace {

// GPT-2's bytes_to_unicode(): printable Latin-1 bytes map to themselves, the other 68 bytes to
// U+0100.. in byte order. Returns the characters in vocabulary order and fills byte → index.
std::vector<char32_t> byte_characters(int32_t (&index_of_byte)[256]) {
  std::vector<int> bs;
  for (int b = '!'; b <= '~'; ++b) bs.push_back(b);
  for (int b = 0xA1; b <= 0xAC; ++b) bs.push_back(b);
  for (int b = 0xAE; b <= 0xFF; ++b) bs.push_back(b);
  std::vector<char32_t> cs(bs.begin(), bs.end());
  char32_t n = 0;
  for (int b = 0; b < 256; ++b) {
    if (std::find(bs.begin(), bs.end(), b) != bs.end()) continue;
    bs.push_back(b);
    cs.push_back(256 + n++);
  }
  for (std::size_t i = 0; i < bs.size(); ++i) index_of_byte[bs[i]] = static_cast<int32_t>(i);
  return cs;
}

struct GzCloser {
  void operator()(gzFile f) const { gzclose(f); }
};

uint64_t pair_key(int32_t left, int32_t right) {
  return (static_cast<uint64_t>(static_cast<uint32_t>(left)) << 32) | static_cast<uint32_t>(right);
}

uint64_t mix(uint64_t h) {
  h ^= h >> 33;
  h *= 0xFF51AFD7ED558CCDull;
  h ^= h >> 33;
  return h;
}

std::atomic<uint64_t> next_serial{1};

}  // namespace

ClipBpe ClipBpe::from_file(const std::filesystem::path& path) {
  // gzread reads plain files unchanged, so one path serves both.
  std::unique_ptr<gzFile_s, GzCloser> f(gzopen(path.c_str(), "rb"));
  if (!f) throw Error("cannot open the CLIP BPE merges file", path.string());
  std::string text;
  char buf[1 << 16];
  for (int n; (n = gzread(f.get(), buf, sizeof buf)) > 0;) text.append(buf, static_cast<std::size_t>(n));
  int err = Z_OK;
  gzerror(f.get(), &err);
  if (err != Z_OK && err != Z_STREAM_END) throw Error("cannot decompress the CLIP BPE merges file", path.string());
  try {
    return from_merges_text(text);
  } catch (const Error& e) {
    throw Error(e.what(), path.string());
  }
}

ClipBpe ClipBpe::from_merges_text(std::string_view text) {
  ClipBpe bpe;
  bpe.serial_ = next_serial++;
  int32_t index_of_byte[256];
  const std::vector<char32_t> chars = byte_characters(index_of_byte);
  for (char32_t c : chars) {
    std::string s;
    detail::append_utf8(s, c);
    bpe.tokens_.push_back(std::move(s));
  }
  for (std::size_t i = 0; i < 256; ++i) bpe.tokens_.push_back(bpe.tokens_[i] + "</w>");
  for (int b = 0; b < 256; ++b) {
    bpe.byte_id_[b] = index_of_byte[b];
    bpe.byte_end_id_[b] = 256 + index_of_byte[b];
  }
  for (std::size_t i = 0; i < bpe.tokens_.size(); ++i)
    bpe.ids_.emplace(bpe.tokens_[i], static_cast<int32_t>(i));

  const std::vector<std::pair<int32_t, int32_t>> pairs = bpe.read_merges(text);
  if (pairs.size() < kMerges)
    throw Error("CLIP BPE merges file holds " + std::to_string(pairs.size()) + " merges, want " +
                std::to_string(kMerges));
  for (std::string_view special : {kStartToken, kEndToken}) {
    bpe.ids_.emplace(std::string(special), static_cast<int32_t>(bpe.tokens_.size()));
    bpe.tokens_.emplace_back(special);
  }
  for (const std::string& t : bpe.tokens_) {
    const bool end = t.size() >= 4 && t.compare(t.size() - 4, 4, "</w>") == 0;
    std::size_t chars = 0;
    for (unsigned char b : t) chars += (b & 0xC0) != 0x80;
    bpe.token_bytes_.push_back(static_cast<uint16_t>(chars - (end ? 4 : 0)));
  }
  bpe.start_id_ = bpe.id_of(kStartToken);
  bpe.end_id_ = bpe.id_of(kEndToken);

  bpe.build_merge_table(pairs);
  return bpe;
}

// One merge per line after the header, each adding the token of its two halves joined.
std::vector<std::pair<int32_t, int32_t>> ClipBpe::read_merges(std::string_view text) {
  // Line 0 is "#version: 0.2"; then "left right" per line.
  std::vector<std::pair<int32_t, int32_t>> pairs;
  std::size_t pos = text.find('\n');
  while (pos != std::string_view::npos && pairs.size() < kMerges) {
    const std::size_t start = pos + 1;
    pos = text.find('\n', start);
    std::string_view line = text.substr(start, pos == std::string_view::npos ? text.size() - start : pos - start);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    const std::size_t space = line.find(' ');
    if (space == std::string_view::npos) break;
    const int32_t left = id_of(line.substr(0, space));
    const int32_t right = id_of(line.substr(space + 1));
    if (left < 0 || right < 0) throw Error("CLIP BPE merge of unknown tokens: " + std::string(line));
    std::string merged(line.substr(0, space));
    merged += line.substr(space + 1);
    const auto id = static_cast<int32_t>(tokens_.size());
    if (!ids_.emplace(merged, id).second) throw Error("CLIP BPE merge repeats a token: " + merged);
    tokens_.push_back(std::move(merged));
    pairs.emplace_back(left, right);
  }
  return pairs;
}

void ClipBpe::build_merge_table(const std::vector<std::pair<int32_t, int32_t>>& pairs) {
  // Merged ids grow with the merge's rank, so the smallest merged id is the best merge.
  std::size_t capacity = 1;
  while (capacity < pairs.size() * 2) capacity <<= 1;
  merges_.assign(capacity, {});
  merge_mask_ = capacity - 1;
  for (std::size_t r = 0; r < pairs.size(); ++r) {
    const uint64_t key = pair_key(pairs[r].first, pairs[r].second);
    uint64_t slot = mix(key) & merge_mask_;
    while (merges_[slot].key != ~uint64_t{0} && merges_[slot].key != key)
      slot = (slot + 1) & merge_mask_;
    if (merges_[slot].key == key) continue;  // a repeated pair keeps its first (best) rank
    merges_[slot] = {key, static_cast<int32_t>(512 + r)};
  }
}

int32_t ClipBpe::merge(int32_t left, int32_t right) const {
  const uint64_t key = pair_key(left, right);
  for (uint64_t slot = mix(key) & merge_mask_;; slot = (slot + 1) & merge_mask_) {
    const MergeSlot& s = merges_[slot];
    if (s.key == key) return s.merged;
    if (s.key == ~uint64_t{0}) return -1;
  }
}

int32_t ClipBpe::id_of(std::string_view token) const {
  const auto it = ids_.find(std::string(token));
  return it == ids_.end() ? -1 : it->second;
}

std::string_view ClipBpe::unicode_version() { return clip::tables_version(); }

}  // namespace warcpairs::text
