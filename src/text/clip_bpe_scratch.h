// Per-thread scratch of ClipBpe::encode() and the normaliser's interface (internal header).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "warcpairs/text/clip_bpe.h"

namespace warcpairs::text {

namespace clip {
// One normalised character and the original characters it came from: [cp_start, cp_end) in
// code points, [byte_start, byte_end) in UTF-8 bytes of the original text.
struct NormChar {
  char32_t c;
  int32_t cp_start, cp_end;
  uint32_t byte_start, byte_end;
};
}  // namespace clip

struct ClipBpe::Scratch {
  uint64_t owner = 0;                // serial_ of the ClipBpe the cache belongs to
  std::vector<clip::NormChar> norm;  // normalised text
  std::vector<clip::NormChar> tmp;
  std::vector<char32_t> chunk;       // NFC of one chunk
  std::string piece;                 // UTF-8 bytes of one pre-token
  std::vector<uint32_t> piece_char;  // index into norm of each byte of piece
  std::vector<int32_t> symbols;      // BPE work
  std::vector<int32_t> ranks;
  std::vector<int32_t> result;
  std::vector<std::pair<int32_t, int32_t>> heap;
  std::unordered_map<std::string, std::vector<int32_t>> cache;  // pre-token bytes → ids
};

namespace clip {
// HF's Sequence[NFC, Replace(\s+ → " "), Lowercase] as tokenizers.js runs it, into s.norm.
void normalize(std::string_view text, ClipBpe::Scratch& s);
}  // namespace clip

}  // namespace warcpairs::text
