// WordPiece tokenizer of uncased BERT / DistilBERT, token for token like Hugging Face's, with
// offsets into the original text (code points, as HF reports them, and UTF-8 bytes).
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace warcpairs::text {

// One encoded text. Reuse one Encoding across calls: its buffers keep their capacity, so a
// warm encode() allocates nothing.
struct Encoding {
  std::vector<int32_t> ids;
  std::vector<std::pair<int32_t, int32_t>> offsets;        // [start, end) in code points
  std::vector<std::pair<uint32_t, uint32_t>> byte_offsets;  // [start, end) in UTF-8 bytes
  std::vector<std::string> tokens;                          // filled only when asked for
  bool with_tokens = false;                                 // whether encode() filled tokens

  std::size_t size() const { return ids.size(); }
  void clear() {
    ids.clear();
    offsets.clear();
    byte_offsets.clear();
    tokens.clear();
  }

  // Scratch of encode(), kept here so that WordPiece stays const and shareable by threads.
  struct NormChar {
    char32_t c;
    int32_t cp;      // index of the original code point it came from
    uint32_t byte;   // byte offset of that code point
    uint32_t bytes;  // its length in bytes
  };
  std::vector<NormChar> scratch_norm;
  std::string scratch_word;
  std::vector<uint32_t> scratch_word_pos;  // byte offset in scratch_word of each char, + end
};

// The HF pipeline of `bert-base-uncased` (tokenizer.json: BertNormalizer(clean_text,
// handle_chinese_chars, strip_accents=null, lowercase) + BertPreTokenizer + WordPiece("[UNK]",
// "##", max_input_chars_per_word=100) + [CLS] A [SEP]), as the reference implementation
// @huggingface/tokenizers (tokenizers.js) runs it, which equals the slow Python BertTokenizer
// where HF's Rust differs (see wordpiece.cc, "Where HF implementations differ"). Special tokens
// written in the text ("[MASK]", "[SEP]", ...) become those tokens, as in HF.
class WordPiece {
 public:
  static constexpr int32_t kMaxInputCharsPerWord = 100;

  // One token per line, id = line number from 0 (vocab.txt of a HF checkpoint). Throws
  // warcpairs::Error when the file cannot be read or lacks [UNK].
  static WordPiece from_vocab_file(const std::filesystem::path& path);
  static WordPiece from_vocab_text(std::string_view text);

  // Tokenizes `text` (UTF-8; invalid bytes are dropped like U+FFFD) into `out`, replacing
  // what it held, without [CLS]/[SEP]. `with_tokens` also fills out.tokens.
  void encode(std::string_view text, Encoding& out, bool with_tokens = false) const;
  // Wraps an encoding as HF's post-processor does: [CLS] ... [SEP], both at offset [0, 0).
  void add_special_tokens(Encoding& enc) const;

  int32_t unk_id() const { return unk_id_; }
  int32_t cls_id() const { return cls_id_; }
  int32_t sep_id() const { return sep_id_; }
  int32_t pad_id() const { return pad_id_; }
  int32_t mask_id() const { return mask_id_; }
  std::size_t vocab_size() const { return tokens_.size(); }
  std::string_view token(int32_t id) const { return tokens_.at(static_cast<std::size_t>(id)); }
  // Id of a vocabulary entry, or -1.
  int32_t id_of(std::string_view token) const;
  // Unicode version of the character tables the normaliser was generated from.
  static std::string_view unicode_version();

 private:
  // Open-addressing map from a token's UTF-8 bytes to its id; word-initial pieces and "##"
  // continuation pieces (stored without "##") live in two tables so lookups need no copy.
  class PieceMap {
   public:
    void build(const std::vector<std::string>& keys, const std::vector<int32_t>& ids);
    int32_t find(std::string_view key) const;

   private:
    struct Slot {
      uint64_t hash = 0;
      int32_t key = -1;  // index into keys_, -1 empty
      int32_t id = -1;
    };
    std::vector<Slot> slots_;
    std::vector<std::string> keys_;
    uint64_t mask_ = 0;
  };

  void encode_section(std::string_view text, int32_t cp_base, uint32_t byte_base, Encoding& out,
                      bool with_tokens) const;
  void normalize(std::string_view text, int32_t cp_base, uint32_t byte_base,
                 std::vector<Encoding::NormChar>& norm) const;
  void encode_word(const Encoding::NormChar* chars, std::size_t n, Encoding& out,
                   bool with_tokens) const;
  void push(int32_t id, const Encoding::NormChar& first, const Encoding::NormChar& last,
            Encoding& out, bool with_tokens) const;

  std::vector<std::string> tokens_;
  PieceMap initial_;
  PieceMap continuation_;
  int32_t max_piece_bytes_ = 0;
  int32_t unk_id_ = -1, cls_id_ = -1, sep_id_ = -1, pad_id_ = -1, mask_id_ = -1;
};

}  // namespace warcpairs::text
