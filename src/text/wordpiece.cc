// WordPiece encoding: BERT normalisation, pre-tokenisation and greedy longest-match-first
// pieces, every normalised character remembering the original code point it came from.
//
// Where HF implementations differ, this follows tokenizers.js (@huggingface/tokenizers 0.2.0,
// the project's reference) and the slow Python BertTokenizer, not HF's Rust (BertTokenizerFast):
//  - lowercasing is String.toLowerCase / Python str.lower(): a capital sigma at the end of a
//    word becomes final sigma "ς" (Unicode Final_Sigma); Rust lowercases char by char ("σ");
//  - lowercase first, then NFD and removal of Mn (Python's order; Rust strips first);
//  - only BMP CJK ideographs are split into words of their own (tokenizers.js tests UTF-16 code
//    units, so Extension B+ ideographs stay inside their word; Rust and Python split them);
//  - unassigned code points (Cn) are kept (Rust's clean_text drops them; tables differ anyway:
//    Rust's unicode_categories crate predates Unicode 10, ours are Unicode 17 from Node's ICU).
#include "warcpairs/text/wordpiece.h"

#include "unicode_tables.h"
#include "utf8.h"

namespace warcpairs::text {
namespace {

using detail::CharFlag;
using NormChar = Encoding::NormChar;

constexpr char32_t kCapitalSigma = 0x3A3, kSmallSigma = 0x3C3, kFinalSigma = 0x3C2;

// BERT's _is_chinese_char, limited to the BMP like tokenizers.js (see the file comment).
bool is_bmp_cjk(char32_t c) {
  return (c >= 0x4E00 && c <= 0x9FFF) || (c >= 0x3400 && c <= 0x4DBF) ||
         (c >= 0xF900 && c <= 0xFAFF);
}

// Decodes at s[i]; an invalid byte counts as one U+FFFD, which clean_text removes.
std::size_t next_char(std::string_view s, std::size_t i, char32_t& c) {
  const std::size_t n = detail::decode_utf8(s, i, c);
  if (n > 0) return n;
  c = 0xFFFD;
  return 1;
}

// Final_Sigma's second half (Unicode §3.13, Table 3-17): no cased letter follows, skipping
// case-ignorable characters. Characters clean_text removes are not there to be seen.
bool followed_by_cased(std::string_view s, std::size_t i) {
  while (i < s.size()) {
    char32_t c;
    i += next_char(s, i, c);
    const uint8_t f = detail::char_flags(c);
    if (f & CharFlag::kRemoved) continue;
    if (f & CharFlag::kIgnorable) continue;
    return (f & CharFlag::kCased) != 0;
  }
  return false;
}

// The special tokens of bert-base-uncased's tokenizer.json (added_tokens, normalized: false):
// matched in the raw text before normalisation.
constexpr std::string_view kSpecialTokens[] = {"[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"};

std::size_t special_token_at(std::string_view text, std::size_t i) {
  for (auto t : kSpecialTokens)
    if (text.compare(i, t.size(), t) == 0) return t.size();
  return 0;
}

int32_t count_codepoints(std::string_view s) {
  int32_t n = 0;
  for (unsigned char b : s) n += (b & 0xC0) != 0x80;
  return n;
}

}  // namespace

void WordPiece::encode(std::string_view text, Encoding& out, bool with_tokens) const {
  out.clear();
  out.with_tokens = with_tokens;
  std::size_t section = 0;  // start of the text not yet encoded
  int32_t section_cp = 0;
  for (std::size_t i = text.find('['); i != std::string_view::npos; i = text.find('[', i)) {
    const std::size_t len = special_token_at(text, i);
    if (len == 0) {
      ++i;
      continue;
    }
    encode_section(text.substr(section, i - section), section_cp,
                   static_cast<uint32_t>(section), out, with_tokens);
    section_cp += count_codepoints(text.substr(section, i - section));
    const NormChar first{U'[', section_cp, static_cast<uint32_t>(i), 1};
    const NormChar last{U']', section_cp + static_cast<int32_t>(len) - 1,
                        static_cast<uint32_t>(i + len - 1), 1};
    push(id_of(text.substr(i, len)), first, last, out, with_tokens);
    section_cp += static_cast<int32_t>(len);
    section = i += len;
  }
  encode_section(text.substr(section), section_cp, static_cast<uint32_t>(section), out,
                 with_tokens);
}

void WordPiece::add_special_tokens(Encoding& enc) const {
  enc.ids.insert(enc.ids.begin(), cls_id_);
  enc.ids.push_back(sep_id_);
  enc.offsets.insert(enc.offsets.begin(), {0, 0});
  enc.offsets.emplace_back(0, 0);
  enc.byte_offsets.insert(enc.byte_offsets.begin(), {0, 0});
  enc.byte_offsets.emplace_back(0, 0);
  if (enc.with_tokens) {
    enc.tokens.insert(enc.tokens.begin(), "[CLS]");
    enc.tokens.emplace_back("[SEP]");
  }
}

// BertNormalizer: clean_text, handle_chinese_chars, lowercase, strip_accents, in tokenizers.js's
// order, one original character at a time.
void WordPiece::normalize(std::string_view text, int32_t cp_base, uint32_t byte_base,
                          std::vector<NormChar>& norm) const {
  norm.clear();
  bool after_cased = false;  // Final_Sigma's first half: a cased letter precedes
  int32_t cp = cp_base;
  for (std::size_t i = 0; i < text.size(); ++cp) {
    char32_t c;
    const std::size_t n = next_char(text, i, c);
    const uint32_t byte = byte_base + static_cast<uint32_t>(i);
    const auto bytes = static_cast<uint32_t>(n);
    i += n;
    const uint8_t f = detail::char_flags(c);
    if (f & CharFlag::kRemoved) continue;
    const bool preceded_by_cased = after_cased;
    if (!(f & CharFlag::kIgnorable)) after_cased = (f & CharFlag::kCased) != 0;
    if (f & CharFlag::kSpace) {
      norm.push_back({U' ', cp, byte, bytes});
      continue;
    }
    if (c < 0x80) {
      norm.push_back({c >= 'A' && c <= 'Z' ? c + 32 : c, cp, byte, bytes});
      continue;
    }
    const bool cjk = is_bmp_cjk(c);
    if (cjk) norm.push_back({U' ', cp, byte, bytes});
    char32_t mapped[detail::kMaxMapping];
    int count = 0;
    if (c == kCapitalSigma) {
      mapped[count++] = preceded_by_cased && !followed_by_cased(text, i) ? kFinalSigma
                                                                         : kSmallSigma;
    } else if (f & CharFlag::kMapped) {
      count = detail::char_mapping(c, mapped);
    } else if ((count = detail::hangul_decompose(c, mapped)) == 0) {
      mapped[count++] = c;
    }
    for (int k = 0; k < count; ++k) norm.push_back({mapped[k], cp, byte, bytes});
    if (cjk) norm.push_back({U' ', cp, byte, bytes});
  }
}

// BertPreTokenizer: whitespace separates words and is dropped; every punctuation character is
// a word of its own.
void WordPiece::encode_section(std::string_view text, int32_t cp_base, uint32_t byte_base,
                               Encoding& out, bool with_tokens) const {
  normalize(text, cp_base, byte_base, out.scratch_norm);
  const std::vector<NormChar>& norm = out.scratch_norm;
  std::size_t word = 0;
  for (std::size_t i = 0; i < norm.size(); ++i) {
    const char32_t c = norm[i].c;
    const uint8_t f = c == U' ' ? uint8_t{CharFlag::kSpace} : detail::char_flags(c);
    if (!(f & (CharFlag::kSpace | CharFlag::kPunct))) continue;
    if (i > word) encode_word(&norm[word], i - word, out, with_tokens);
    if (f & CharFlag::kPunct) encode_word(&norm[i], 1, out, with_tokens);
    word = i + 1;
  }
  if (norm.size() > word) encode_word(&norm[word], norm.size() - word, out, with_tokens);
}

// WordPiece model: greedy longest match first; a word with a character no piece covers, or
// longer than max_input_chars_per_word code points, is one [UNK].
void WordPiece::encode_word(const NormChar* chars, std::size_t n, Encoding& out,
                            bool with_tokens) const {
  if (n > static_cast<std::size_t>(kMaxInputCharsPerWord)) {
    push(unk_id_, chars[0], chars[n - 1], out, with_tokens);
    return;
  }
  std::string& word = out.scratch_word;
  std::vector<uint32_t>& pos = out.scratch_word_pos;
  word.clear();
  pos.clear();
  for (std::size_t k = 0; k < n; ++k) {
    pos.push_back(static_cast<uint32_t>(word.size()));
    detail::append_utf8(word, chars[k].c);
  }
  pos.push_back(static_cast<uint32_t>(word.size()));
  const std::size_t mark = out.ids.size();
  const auto max_bytes = static_cast<uint32_t>(max_piece_bytes_);
  for (std::size_t start = 0; start < n;) {
    std::size_t end = n;
    while (end > start && pos[end] - pos[start] > max_bytes) --end;
    const PieceMap& map = start == 0 ? initial_ : continuation_;
    int32_t id = -1;
    for (; end > start; --end) {
      id = map.find(std::string_view(word).substr(pos[start], pos[end] - pos[start]));
      if (id >= 0) break;
    }
    if (id < 0) {  // no piece: the whole word is [UNK]
      out.ids.resize(mark);
      out.offsets.resize(mark);
      out.byte_offsets.resize(mark);
      if (with_tokens) out.tokens.resize(mark);
      push(unk_id_, chars[0], chars[n - 1], out, with_tokens);
      return;
    }
    push(id, chars[start], chars[end - 1], out, with_tokens);
    start = end;
  }
}

void WordPiece::push(int32_t id, const NormChar& first, const NormChar& last, Encoding& out,
                     bool with_tokens) const {
  out.ids.push_back(id);
  out.offsets.emplace_back(first.cp, last.cp + 1);
  out.byte_offsets.emplace_back(first.byte, last.byte + last.bytes);
  if (with_tokens) out.tokens.emplace_back(tokens_[static_cast<std::size_t>(id)]);
}

}  // namespace warcpairs::text
