// Span decoding over windows, SQuAD metrics, sentence baselines.
#include "warcpairs/text/span_answer.h"

#include <algorithm>
#include <limits>
#include <map>

#include "warcpairs/text/normalize.h"

namespace warcpairs::text {

void SpanDecoder::reset() {
  any_ = any_span_ = false;
  min_null_ = best_ = 0;
  best_start_ = best_end_ = -1;
}

const char* decoding_name(SpanDecoding d) {
  switch (d) {
    case SpanDecoding::kLines: return "lines";
    case SpanDecoding::kBoth: return "both";
    case SpanDecoding::kSpans: break;
  }
  return "spans";
}

bool parse_decoding(std::string_view name, SpanDecoding& out) {
  for (auto d : kSpanDecodings)
    if (name == decoding_name(d)) return out = d, true;
  return false;
}

void SpanDecoder::consider(const SpanWindow& w, int32_t s, int32_t e, const float* start_logits,
                           const float* end_logits) {
  const double score = double(start_logits[s]) + double(end_logits[e]);
  // Strictly greater: the first of equal spans wins, so the answer is deterministic.
  if (!any_span_ || score > best_) {
    any_span_ = true;
    best_ = score;
    best_start_ = w.offsets[s].first;
    best_end_ = w.offsets[e].second;
  }
}

void SpanDecoder::add_window(const SpanWindow& w, const float* start_logits,
                             const float* end_logits) {
  const double null_score = double(start_logits[0]) + double(end_logits[0]);
  if (!any_ || null_score < min_null_) min_null_ = null_score;
  any_ = true;
  const int32_t n = w.length;
  const auto continues = [&](int32_t i) {
    return i < static_cast<int32_t>(w.continues_word.size()) && w.continues_word[i];
  };
  const auto is_text = [&](int32_t i) { return i > 0 && i < n && w.offsets[i].first >= 0; };
  if (decoding_ != SpanDecoding::kLines) {
    for (int32_t s = 1; s < n; ++s) {
      if (!is_text(s) || continues(s)) continue;
      const int32_t last = std::min(n - 1, s + max_answer_tokens_ - 1);
      for (int32_t e = s; e <= last; ++e) {
        if (!is_text(e)) break;          // a marker: the image or a line break
        if (continues(e + 1)) continue;  // inside a word
        consider(w, s, e, start_logits, end_logits);
      }
    }
  }
  if (decoding_ != SpanDecoding::kSpans) {
    for (int32_t s = 1; s < n; ++s) {
      if (!is_text(s) || is_text(s - 1)) continue;  // not a line's first token
      int32_t e = s;
      while (is_text(e + 1)) ++e;
      const bool free_span = e - s + 1 <= max_answer_tokens_;  // kBoth has it already
      if (!continues(s) && !(decoding_ == SpanDecoding::kBoth && free_span))
        consider(w, s, e, start_logits, end_logits);
      s = e;
    }
  }
}

SpanAnswer SpanDecoder::answer() const {
  SpanAnswer a;
  if (!any_span_) return a;
  a.score = best_ - min_null_;
  if (a.score > 0) {
    a.start = best_start_;
    a.end = best_end_;
  }
  return a;
}

namespace {

// Decodes one code point (input is valid UTF-8: contexts are sanitised at extraction).
char32_t next_cp(std::string_view s, std::size_t& i) {
  const auto b = static_cast<unsigned char>(s[i]);
  int len = b < 0x80 ? 1 : b < 0xE0 ? 2 : b < 0xF0 ? 3 : 4;
  if (i + len > s.size()) len = 1;
  char32_t c = len == 1 ? b : b & (0xFF >> (len + 1));
  for (int k = 1; k < len; ++k) c = (c << 6) | (static_cast<unsigned char>(s[i + k]) & 0x3F);
  i += len;
  return c;
}

bool is_space_cp(char32_t c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == 0xA0 ||
         c == 0x3000 || (c >= 0x2000 && c <= 0x200A);
}

// Scripts written without spaces score per character (MLQA's mixed segmentation), else one
// word of a whole Chinese sentence would make F1 all or nothing.
bool is_cjk_cp(char32_t c) {
  return (c >= 0x3040 && c <= 0x30FF) || (c >= 0x3400 && c <= 0x4DBF) ||
         (c >= 0x4E00 && c <= 0x9FFF) || (c >= 0xF900 && c <= 0xFAFF) ||
         (c >= 0x20000 && c <= 0x2FA1F);
}

bool is_ascii_punct(char32_t c) {
  return (c >= 33 && c <= 47) || (c >= 58 && c <= 64) || (c >= 91 && c <= 96) ||
         (c >= 123 && c <= 126);
}

void append_utf8(std::string& out, std::string_view s, std::size_t from, std::size_t to) {
  out.append(s.substr(from, to - from));
}

}  // namespace

std::vector<std::string> answer_tokens(std::string_view text) {
  std::vector<std::string> tokens;
  std::string cur;
  auto flush = [&] {
    if (!cur.empty() && cur != "a" && cur != "an" && cur != "the") tokens.push_back(cur);
    cur.clear();
  };
  for (std::size_t i = 0; i < text.size();) {
    const std::size_t at = i;
    const char32_t c = next_cp(text, i);
    if (is_ascii_punct(c)) continue;  // removed, not a separator ("don't" -> "dont")
    if (is_space_cp(c)) {
      flush();
    } else if (is_cjk_cp(c)) {
      flush();
      append_utf8(cur, text, at, i);
      flush();
    } else if (c < 0x80) {
      cur.push_back(static_cast<char>(c >= 'A' && c <= 'Z' ? c + 32 : c));
    } else {
      append_utf8(cur, text, at, i);
    }
  }
  flush();
  return tokens;
}

bool exact_match(std::string_view prediction, std::string_view reference) {
  return answer_tokens(prediction) == answer_tokens(reference);
}

double token_f1(std::string_view prediction, std::string_view reference) {
  const auto p = answer_tokens(prediction), r = answer_tokens(reference);
  if (p.empty() || r.empty()) return p.empty() && r.empty() ? 1.0 : 0.0;
  std::map<std::string_view, int> counts;
  for (const auto& t : r) ++counts[t];
  int common = 0;
  for (const auto& t : p) {
    auto it = counts.find(t);
    if (it != counts.end() && it->second > 0) {
      --it->second;
      ++common;
    }
  }
  if (common == 0) return 0.0;
  const double precision = double(common) / p.size(), recall = double(common) / r.size();
  return 2 * precision * recall / (precision + recall);
}

std::vector<CodePointSpan> sentences(std::string_view context) {
  std::vector<CodePointSpan> out;
  int32_t cp = 0, start = -1, last_nonspace_end = -1;
  auto close = [&] {
    if (start >= 0 && last_nonspace_end > start) out.push_back({start, last_nonspace_end});
    start = last_nonspace_end = -1;
  };
  bool pending_end = false;  // saw . ! ? and waits for a space (or the end) to close
  for (std::size_t i = 0; i < context.size(); ++cp) {
    const char32_t c = next_cp(context, i);
    if (c == '\n') {
      close();
      pending_end = false;
      continue;
    }
    if (is_space_cp(c)) {
      if (pending_end) close();
      pending_end = false;
      continue;
    }
    if (start < 0) start = cp;
    last_nonspace_end = cp + 1;
    const bool ideographic_stop = c == 0x3002 || c == 0xFF01 || c == 0xFF1F;
    if (ideographic_stop) {
      close();  // CJK full stops end a sentence without a following space
      pending_end = false;
    } else {
      pending_end = c == '.' || c == '!' || c == '?';
    }
  }
  close();
  return out;
}

CodePointSpan nearest_sentence(const std::vector<CodePointSpan>& s, int32_t image_pos) {
  CodePointSpan best{-1, -1};
  int64_t best_d = std::numeric_limits<int64_t>::max();
  for (const auto& x : s) {
    const int64_t d = image_pos < x.start ? x.start - image_pos
                      : image_pos > x.end ? image_pos - x.end
                                          : 0;
    if (d < best_d) best_d = d, best = x;  // ties: the earlier sentence
  }
  return best;
}

CodePointSpan sentence_after(const std::vector<CodePointSpan>& s, int32_t image_pos) {
  for (const auto& x : s)
    if (x.start >= image_pos) return x;
  return {-1, -1};
}

CodePointSpan sentence_before(const std::vector<CodePointSpan>& s, int32_t image_pos) {
  CodePointSpan best{-1, -1};
  for (const auto& x : s)
    if (x.end <= image_pos) best = x;
  return best;
}

std::string span_text(std::string_view utf8, CodePointSpan span) {
  if (span.start < 0 || span.end <= span.start) return {};
  const std::size_t b = byte_offset_of_codepoint(utf8, span.start);
  const std::size_t e = byte_offset_of_codepoint(utf8, span.end);
  return std::string(utf8.substr(b, e - b));
}

}  // namespace warcpairs::text
