// WordPiece vocabulary: loading vocab.txt and the string_view → id hash map of pieces.
#include <cstring>

#include "unicode_tables.h"
#include "warcpairs/core/error.h"
#include "warcpairs/core/small_file.h"
#include "warcpairs/text/wordpiece.h"

namespace warcpairs::text {
namespace {

constexpr std::string_view kContinuationPrefix = "##";

// 8 bytes at a time with a splitmix64-style finaliser: pieces are short, so this is cheap and
// spreads well enough for a table kept at most half full.
uint64_t hash_bytes(std::string_view s) {
  uint64_t h = 0x9E3779B97F4A7C15ull ^ (s.size() * 0xFF51AFD7ED558CCDull);
  const char* p = s.data();
  std::size_t n = s.size();
  auto mix = [&h](uint64_t v) {
    h = (h ^ v) * 0xBF58476D1CE4E5B9ull;
    h ^= h >> 31;
  };
  for (; n >= 8; p += 8, n -= 8) {
    uint64_t v;
    std::memcpy(&v, p, 8);
    mix(v);
  }
  if (n > 0) {
    uint64_t v = 0;
    std::memcpy(&v, p, n);
    mix(v ^ (uint64_t{n} << 59));
  }
  h ^= h >> 29;
  h *= 0x94D049BB133111EBull;
  return h ^ (h >> 32);
}

}  // namespace

void WordPiece::PieceMap::build(const std::vector<std::string>& keys,
                                const std::vector<int32_t>& ids) {
  std::size_t capacity = 16;
  while (capacity < keys.size() * 2) capacity *= 2;
  slots_.assign(capacity, Slot{});
  mask_ = capacity - 1;
  keys_ = keys;
  for (std::size_t k = 0; k < keys_.size(); ++k) {
    const uint64_t h = hash_bytes(keys_[k]);
    for (uint64_t i = h & mask_;; i = (i + 1) & mask_) {
      Slot& slot = slots_[i];
      if (slot.key < 0) {
        slot = Slot{h, static_cast<int32_t>(k), ids[k]};
        break;
      }
      if (slot.hash == h && keys_[static_cast<std::size_t>(slot.key)] == keys_[k]) {
        slot.id = ids[k];  // a repeated line: the later id wins, as in HF's vocab loading
        break;
      }
    }
  }
}

int32_t WordPiece::PieceMap::find(std::string_view key) const {
  const uint64_t h = hash_bytes(key);
  for (uint64_t i = h & mask_;; i = (i + 1) & mask_) {
    const Slot& slot = slots_[i];
    if (slot.key < 0) return -1;
    if (slot.hash == h && keys_[static_cast<std::size_t>(slot.key)] == key) return slot.id;
  }
}

WordPiece WordPiece::from_vocab_file(const std::filesystem::path& path) {
  const std::string text = read_small_file(path, "cannot read WordPiece vocabulary");
  try {
    return from_vocab_text(text);
  } catch (const Error& e) {
    throw Error(e.what(), path.string());
  }
}

WordPiece WordPiece::from_vocab_text(std::string_view text) {
  WordPiece wp;
  std::vector<std::string> initial_keys, continuation_keys;
  std::vector<int32_t> initial_ids, continuation_ids;
  while (!text.empty()) {
    const auto nl = text.find('\n');
    std::string_view line = text.substr(0, nl);
    text = nl == std::string_view::npos ? std::string_view{} : text.substr(nl + 1);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    const auto id = static_cast<int32_t>(wp.tokens_.size());
    wp.tokens_.emplace_back(line);
    initial_keys.emplace_back(line);
    initial_ids.push_back(id);
    if (line.size() > kContinuationPrefix.size() && line.starts_with(kContinuationPrefix)) {
      continuation_keys.emplace_back(line.substr(kContinuationPrefix.size()));
      continuation_ids.push_back(id);
    }
    wp.max_piece_bytes_ = std::max(wp.max_piece_bytes_, static_cast<int32_t>(line.size()));
  }
  wp.initial_.build(initial_keys, initial_ids);
  wp.continuation_.build(continuation_keys, continuation_ids);
  wp.unk_id_ = wp.id_of("[UNK]");
  wp.cls_id_ = wp.id_of("[CLS]");
  wp.sep_id_ = wp.id_of("[SEP]");
  wp.pad_id_ = wp.id_of("[PAD]");
  wp.mask_id_ = wp.id_of("[MASK]");
  if (wp.unk_id_ < 0) throw Error("WordPiece vocabulary has no [UNK] token");
  return wp;
}

int32_t WordPiece::id_of(std::string_view token) const { return initial_.find(token); }

std::string_view WordPiece::unicode_version() { return detail::unicode_tables_version(); }

}  // namespace warcpairs::text
