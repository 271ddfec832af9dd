// Byte-level BPE tokenizer of OpenAI CLIP (openai/clip-vit-base-patch32), token for token like
// Hugging Face's, with offsets into the original text (code points and UTF-8 bytes).
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "warcpairs/text/wordpiece.h"  // struct Encoding

namespace warcpairs::text {

// The HF pipeline of CLIPTokenizerFast (tokenizer.json of openai/clip-vit-base-patch32):
// normalizer NFC → Replace(\s+, " ") → Lowercase; added tokens <|startoftext|> and
// <|endoftext|> (normalized: true, so matched in the normalised text); pre-tokenizer
// Split(<|startoftext|>|<|endoftext|>|'s|'t|'re|'ve|'m|'ll|'d|[\p{L}]+|[\p{N}]|[^\s\p{L}\p{N}]+,
// invert) → ByteLevel(add_prefix_space=false, use_regex=true); BPE with end_of_word_suffix
// "</w>"; RobertaProcessing <|startoftext|> A <|endoftext|>. Where HF implementations differ,
// this follows tokenizers.js (@huggingface/tokenizers 0.2.0), see clip_bpe.cc.
//
// Offsets are [start, end) into the original text; a token made of part of a character (a byte
// of an emoji) spans the whole character, a token of characters NFC composed spans all of
// their originals, and <|startoftext|>/<|endoftext|> added by add_special_tokens are [0, 0).
// encode() is const and may be called from several threads at once (per-thread scratch and
// per-thread word cache).
class ClipBpe {
 public:
  // Merges of the original CLIP release used by HF's CLIPTokenizer: lines 1..48894 after the
  // "#version" header (49152 - 256 - 2).
  static constexpr std::size_t kMerges = 49152 - 256 - 2;
  static constexpr std::string_view kStartToken = "<|startoftext|>";
  static constexpr std::string_view kEndToken = "<|endoftext|>";

  // bpe_simple_vocab_16e6.txt(.gz): gzip-compressed or plain. Throws warcpairs::Error when it
  // cannot be read or holds fewer than kMerges merges.
  static ClipBpe from_file(const std::filesystem::path& path);
  static ClipBpe from_merges_text(std::string_view text);

  // Tokenizes `text` (UTF-8; each maximal invalid subpart reads as one U+FFFD, as Node's
  // decoder does) into `out`, replacing what
  // it held. `add_special_tokens`: <|startoftext|> first and <|endoftext|> last. `with_tokens`
  // also fills out.tokens with the byte-level token strings ("hello</w>").
  void encode(std::string_view text, Encoding& out, bool add_special_tokens = true,
              bool with_tokens = false) const;

  int32_t start_id() const { return start_id_; }
  int32_t end_id() const { return end_id_; }
  std::size_t vocab_size() const { return tokens_.size(); }
  std::string_view token(int32_t id) const { return tokens_.at(static_cast<std::size_t>(id)); }
  // Id of a vocabulary entry, or -1.
  int32_t id_of(std::string_view token) const;
  // Unicode version of the tables the normaliser was generated from.
  static std::string_view unicode_version();

  // Scratch of one encode() (per thread; public only so that the source files can share it).
  struct Scratch;

 private:
  ClipBpe() = default;
  std::vector<std::pair<int32_t, int32_t>> read_merges(std::string_view text);
  void build_merge_table(const std::vector<std::pair<int32_t, int32_t>>& pairs);
  void encode_section(std::size_t begin, std::size_t end, Scratch& s, Encoding& out,
                      bool with_tokens) const;
  void encode_piece(std::size_t begin, std::size_t end, Scratch& s, Encoding& out,
                    bool with_tokens) const;
  const std::vector<int32_t>& bpe(Scratch& s) const;
  const std::vector<int32_t>& bpe_long(Scratch& s) const;
  int32_t merge(int32_t left, int32_t right) const;
  void push(int32_t id, std::size_t first, std::size_t last, const Scratch& s, Encoding& out,
            bool with_tokens) const;

  std::vector<std::string> tokens_;
  std::vector<uint16_t> token_bytes_;  // bytes of text a token stands for ("</w>" excluded)
  std::unordered_map<std::string, int32_t> ids_;
  int32_t byte_id_[256] = {};      // the byte's character
  int32_t byte_end_id_[256] = {};  // the byte's character + "</w>"
  // Open-addressing table (left id, right id) → merged id; rank order = merged id order.
  struct MergeSlot {
    uint64_t key = ~uint64_t{0};
    int32_t merged = -1;
  };
  std::vector<MergeSlot> merges_;
  uint64_t merge_mask_ = 0;
  int32_t start_id_ = -1, end_id_ = -1;
  uint64_t serial_ = 0;  // identifies this vocabulary in the per-thread word caches
};

}  // namespace warcpairs::text
