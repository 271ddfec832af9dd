// CLIP byte-level BPE encoding: added tokens, the Split + ByteLevel pre-tokenisers, BPE merges
// with a per-thread word cache, and offsets through the normaliser's alignment.
//
// Where HF implementations differ, this follows tokenizers.js (@huggingface/tokenizers 0.2.0,
// the project's reference), not HF's Rust (CLIPTokenizerFast):
//  - the hub's ByteLevel pre-tokenizer has no "use_regex" key, so both run GPT-2's regex on each
//    Split piece; tokenizers.js runs it with JS \s, which also matches U+FEFF (ZERO WIDTH
//    NO-BREAK SPACE), so a run of U+FEFF inside a punctuation piece becomes pieces of its own
//    (Rust's \s is White_Space, which U+FEFF is not: one piece);
//  - Lowercase is String.toLowerCase: a capital sigma at the end of a word becomes final sigma
//    "ς" (Rust lowercases char by char: "σ");
//  - the Unicode tables are Node's (Unicode 17.0); Rust's crates are older.
// Both sides agree on everything else: NFC, \s as White_Space in the normaliser and in Split,
// <|startoftext|>/<|endoftext|> matched after normalisation (so "<|EndOfText|>" is the token).
#include "warcpairs/text/clip_bpe.h"

#include <algorithm>
#include <climits>
#include <functional>

#include "clip_bpe_scratch.h"
#include "clip_bpe_tables.h"
#include "utf8.h"

namespace warcpairs::text {
namespace {

using clip::NormChar;

constexpr char32_t kZwnbsp = 0xFEFF;       // JS \s but not White_Space
constexpr std::size_t kMaxCachedBytes = 256;  // like tokenizers.js: longer words are not cached
constexpr std::size_t kMaxCacheEntries = 1 << 16;
constexpr std::size_t kHeapBpeBytes = 48;  // longer pieces: heap BPE

ClipBpe::Scratch& thread_scratch(uint64_t owner) {
  thread_local ClipBpe::Scratch scratch;
  if (scratch.owner != owner) {
    scratch.cache.clear();
    scratch.owner = owner;
  }
  return scratch;
}

// Length of the added token at norm[i] (lowercase, as the normaliser leaves it), or 0.
std::size_t special_at(const std::vector<NormChar>& norm, std::size_t i) {
  if (norm[i].c != U'<') return 0;
  for (std::string_view t : {ClipBpe::kStartToken, ClipBpe::kEndToken}) {
    if (norm.size() - i < t.size()) continue;
    std::size_t k = 0;
    while (k < t.size() && norm[i + k].c == static_cast<unsigned char>(t[k])) ++k;
    if (k == t.size()) return t.size();
  }
  return 0;
}

bool is_space(char32_t c) { return c == U' ' || (c >= 0x80 && (clip::flags(c) & clip::kSpace)); }
uint8_t letter_number(char32_t c) {
  if (c < 0x80) {
    if ((c | 32) >= 'a' && (c | 32) <= 'z') return clip::kLetter;
    return c >= '0' && c <= '9' ? clip::kNumber : 0;
  }
  return clip::flags(c) & (clip::kLetter | clip::kNumber);
}

// Length of a contraction ('s 't 're 've 'm 'll 'd) at norm[i], or 0.
std::size_t contraction_at(const std::vector<NormChar>& norm, std::size_t i, std::size_t end) {
  if (norm[i].c != U'\'' || i + 1 >= end) return 0;
  const char32_t a = norm[i + 1].c;
  if (a == U's' || a == U't' || a == U'm' || a == U'd') return 2;
  if (i + 2 >= end) return 0;
  const char32_t b = norm[i + 2].c;
  if ((a == U'r' && b == U'e') || (a == U'v' && b == U'e') || (a == U'l' && b == U'l')) return 3;
  return 0;
}

}  // namespace

void ClipBpe::encode(std::string_view text, Encoding& out, bool add_special_tokens,
                     bool with_tokens) const {
  out.clear();
  out.with_tokens = with_tokens;
  Scratch& s = thread_scratch(serial_);
  if (add_special_tokens) {
    out.ids.push_back(start_id_);
    out.offsets.emplace_back(0, 0);
    out.byte_offsets.emplace_back(0, 0);
    if (with_tokens) out.tokens.emplace_back(kStartToken);
  }
  clip::normalize(text, s);
  // Added tokens split the normalised text (tokenizers.js: splitter_normalized).
  std::size_t section = 0;
  for (std::size_t i = 0; i < s.norm.size();) {
    const std::size_t len = special_at(s.norm, i);
    if (len == 0) {
      ++i;
      continue;
    }
    encode_section(section, i, s, out, with_tokens);
    push(len == kStartToken.size() ? start_id_ : end_id_, i, i + len - 1, s, out, with_tokens);
    section = i += len;
  }
  encode_section(section, s.norm.size(), s, out, with_tokens);
  if (add_special_tokens) {
    out.ids.push_back(end_id_);
    out.offsets.emplace_back(0, 0);
    out.byte_offsets.emplace_back(0, 0);
    if (with_tokens) out.tokens.emplace_back(kEndToken);
  }
}

// Split(<|startoftext|>|<|endoftext|>|'s|'t|'re|'ve|'m|'ll|'d|[\p{L}]+|[\p{N}]|
// [^\s\p{L}\p{N}]+, invert: the matches are the pieces, the rest (white space) is dropped),
// then ByteLevel's GPT-2 regex inside each piece; only U+FEFF can split a piece further (see
// the file comment): " ?[^\s\p{L}\p{N}]+" stops at it, "\s+(?!\S)|\s+" takes its run, all of
// it at the end of the piece and all but the last one before a non-space.
void ClipBpe::encode_section(std::size_t begin, std::size_t end, Scratch& s, Encoding& out,
                             bool with_tokens) const {
  const std::vector<NormChar>& norm = s.norm;
  for (std::size_t i = begin; i < end;) {
    const char32_t c = norm[i].c;
    if (is_space(c)) {
      ++i;
      continue;
    }
    std::size_t j = i + contraction_at(norm, i, end);
    if (j == i) {
      const uint8_t kind = letter_number(c);
      j = i + 1;
      if (kind == clip::kLetter) {
        while (j < end && letter_number(norm[j].c) == clip::kLetter) ++j;
      } else if (kind == 0) {
        while (j < end && !is_space(norm[j].c) && letter_number(norm[j].c) == 0) ++j;
      }
      if (kind == 0) {  // ByteLevel's regex inside a punctuation piece
        for (std::size_t k = i; k < j;) {
          std::size_t m = k + 1;
          if (norm[k].c != kZwnbsp) {
            while (m < j && norm[m].c != kZwnbsp) ++m;
          } else {
            while (m < j && norm[m].c == kZwnbsp) ++m;
            if (m < j && m - k > 1) --m;
          }
          encode_piece(k, m, s, out, with_tokens);
          k = m;
        }
        i = j;
        continue;
      }
    }
    encode_piece(i, j, s, out, with_tokens);
    i = j;
  }
}

void ClipBpe::encode_piece(std::size_t begin, std::size_t end, Scratch& s, Encoding& out,
                           bool with_tokens) const {
  s.piece.clear();
  s.piece_char.clear();
  for (std::size_t k = begin; k < end; ++k) {
    detail::append_utf8(s.piece, s.norm[k].c);
    s.piece_char.resize(s.piece.size(), static_cast<uint32_t>(k));
  }
  const std::vector<int32_t>* ids;
  if (s.piece.size() <= kMaxCachedBytes) {
    auto it = s.cache.find(s.piece);
    if (it == s.cache.end()) {
      if (s.cache.size() >= kMaxCacheEntries) s.cache.clear();
      it = s.cache.emplace(s.piece, bpe(s)).first;
    }
    ids = &it->second;
  } else {
    ids = &bpe(s);
  }
  std::size_t byte = 0;
  for (const int32_t id : *ids) {
    const std::size_t n = token_bytes_[static_cast<std::size_t>(id)];
    push(id, s.piece_char[byte], s.piece_char[byte + n - 1], s, out, with_tokens);
    byte += n;
  }
}

// BPE of s.piece: start from its bytes (the last with "</w>"), merge the best-ranked adjacent
// pair (the leftmost among equals) until none is in the merges. Merged ids grow with rank.
// Short pieces scan for the best pair; long ones use a heap over a linked list, O(n log n),
// which picks the same pair every step (tokenizers.js' order: rank, then position).
const std::vector<int32_t>& ClipBpe::bpe(Scratch& s) const {
  std::vector<int32_t>& sym = s.symbols;
  sym.clear();
  for (std::size_t k = 0; k < s.piece.size(); ++k) {
    const auto b = static_cast<unsigned char>(s.piece[k]);
    sym.push_back(k + 1 == s.piece.size() ? byte_end_id_[b] : byte_id_[b]);
  }
  if (sym.size() > kHeapBpeBytes) return bpe_long(s);
  std::vector<int32_t>& rank = s.ranks;  // rank[k]: merge of sym[k], sym[k+1], or INT_MAX
  auto rank_at = [&](std::size_t k) {
    const int32_t m = merge(sym[k], sym[k + 1]);
    return m < 0 ? INT_MAX : m;
  };
  rank.clear();
  for (std::size_t k = 0; k + 1 < sym.size(); ++k) rank.push_back(rank_at(k));
  while (!rank.empty()) {
    const auto best = std::min_element(rank.begin(), rank.end());
    if (*best == INT_MAX) break;
    const auto k = static_cast<std::size_t>(best - rank.begin());
    sym[k] = *best;
    sym.erase(sym.begin() + static_cast<std::ptrdiff_t>(k) + 1);
    rank.erase(rank.begin() + static_cast<std::ptrdiff_t>(k));
    if (k < rank.size()) rank[k] = rank_at(k);
    if (k > 0) rank[k - 1] = rank_at(k - 1);
  }
  s.result.assign(sym.begin(), sym.end());
  return s.result;
}

const std::vector<int32_t>& ClipBpe::bpe_long(Scratch& s) const {
  std::vector<int32_t>& sym = s.symbols;  // symbol k, or -1 once merged into its left
  std::vector<int32_t>& next = s.ranks;   // index of the next live symbol, or n
  const auto n = static_cast<int32_t>(sym.size());
  std::vector<int32_t>& prev = s.result;
  next.resize(sym.size());
  prev.resize(sym.size());
  for (int32_t k = 0; k < n; ++k) {
    next[k] = k + 1;
    prev[k] = k - 1;
  }
  using Entry = std::pair<int32_t, int32_t>;  // (merged id = rank, position of the left symbol)
  std::vector<Entry>& heap = s.heap;
  heap.clear();
  const auto later = std::greater<Entry>();
  auto offer = [&](int32_t k) {
    if (k < 0 || next[k] >= n) return;
    const int32_t m = merge(sym[k], sym[next[k]]);
    if (m < 0) return;
    heap.emplace_back(m, k);
    std::push_heap(heap.begin(), heap.end(), later);
  };
  for (int32_t k = 0; k + 1 < n; ++k) offer(k);
  while (!heap.empty()) {
    std::pop_heap(heap.begin(), heap.end(), later);
    const auto [m, k] = heap.back();
    heap.pop_back();
    // Stale when either symbol changed since: a merged id names exactly one pair.
    if (sym[k] < 0 || next[k] >= n || merge(sym[k], sym[next[k]]) != m) continue;
    const int32_t gone = next[k];
    sym[k] = m;
    sym[gone] = -1;
    next[k] = next[gone];
    if (next[k] < n) prev[next[k]] = k;
    offer(prev[k]);
    offer(k);
  }
  int32_t out = 0;
  for (int32_t k = 0; k < n; ++k)
    if (sym[k] >= 0) sym[out++] = sym[k];
  sym.resize(out);
  s.result.assign(sym.begin(), sym.end());
  return s.result;
}

// One token over normalised characters first..last: its offsets span all their originals.
void ClipBpe::push(int32_t id, std::size_t first, std::size_t last, const Scratch& s,
                   Encoding& out, bool with_tokens) const {
  NormChar span = s.norm[first];
  for (std::size_t k = first + 1; k <= last; ++k) {
    const NormChar& n = s.norm[k];
    span.cp_start = std::min(span.cp_start, n.cp_start);
    span.cp_end = std::max(span.cp_end, n.cp_end);
    span.byte_start = std::min(span.byte_start, n.byte_start);
    span.byte_end = std::max(span.byte_end, n.byte_end);
  }
  out.ids.push_back(id);
  out.offsets.emplace_back(span.cp_start, span.cp_end);
  out.byte_offsets.emplace_back(span.byte_start, span.byte_end);
  if (with_tokens) out.tokens.emplace_back(tokens_[static_cast<std::size_t>(id)]);
}

}  // namespace warcpairs::text
