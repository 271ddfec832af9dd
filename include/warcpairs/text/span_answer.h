// From the span model's logits to an answer, and how answers are scored: the decoding of
// Hugging Face's question-answering postprocessing (best start/end over all windows of a
// context against the "no span" score), SQuAD's exact match and token F1, and the sentence
// baselines the model must beat.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "warcpairs/text/span_examples.h"

namespace warcpairs::text {

struct SpanAnswer {
  int32_t start = -1;  // code points of the context, [start, end); -1/-1: no span
  int32_t end = -1;
  // Best span's start+end logit minus the smallest "no span" logit sum over the windows (HF's
  // min_null_score); > 0 means the span beat "no span".
  double score = 0;
  bool has_span() const { return start >= 0; }
};

// Which spans the decoder may answer with. kSpans: any span of whole words inside a line, at
// most max_answer_tokens tokens (HF QA's free spans). kLines: only whole lines, the context
// tokens between two markers (a line break, the image, the window's ends), of any length: 75 %
// of real labels are exactly one line of the context (issue 15), and a model that finds where
// an answer starts but not where its line ends answers the whole line. kBoth: both candidate
// sets (the free spans plus lines longer than max_answer_tokens).
enum class SpanDecoding { kSpans, kLines, kBoth };
inline constexpr SpanDecoding kSpanDecodings[] = {SpanDecoding::kSpans, SpanDecoding::kLines,
                                                  SpanDecoding::kBoth};
// "spans", "lines", "both"; parse returns false for anything else.
const char* decoding_name(SpanDecoding d);
bool parse_decoding(std::string_view name, SpanDecoding& out);

// Collects one context's windows and keeps the best span, as transformers'
// postprocess_qa_predictions with version_2_with_negative (null threshold 0) does, except that
// every (start, end) pair is scored instead of the top-20 × top-20 (exact, and cheap beside
// the forward pass).
class SpanDecoder {
 public:
  explicit SpanDecoder(int32_t max_answer_tokens = 30, SpanDecoding decoding = SpanDecoding::kSpans)
      : max_answer_tokens_(max_answer_tokens), decoding_(decoding) {}
  void reset();
  // `start_logits`/`end_logits`: the window's first w.length entries. Only context tokens
  // (offsets != -1) can start or end a span; end >= start; at most max_answer_tokens tokens.
  // Unlike HF, a span never crosses a marker (the image, a line break: labels, alt texts found
  // in the context, never hold one) and never starts or ends inside a word (w.continues_word).
  // The candidates are those of the decoding (SpanDecoding); a line cut by the window's edge
  // counts as a line when it does not start inside a word (another window holds it whole).
  void add_window(const SpanWindow& w, const float* start_logits, const float* end_logits);
  SpanAnswer answer() const;

 private:
  void consider(const SpanWindow& w, int32_t s, int32_t e, const float* start_logits,
                const float* end_logits);

  int32_t max_answer_tokens_;
  SpanDecoding decoding_;
  bool any_ = false, any_span_ = false;
  double min_null_ = 0, best_ = 0;
  int32_t best_start_ = -1, best_end_ = -1;
};

// SQuAD's normalize_answer, then its split: ASCII lower case, ASCII punctuation removed,
// articles a/an/the dropped, split at whitespace; in addition each CJK character is a token of
// its own (MLQA's mixed segmentation), since those scripts put no spaces between words.
std::vector<std::string> answer_tokens(std::string_view text);
// SQuAD v2 metrics of one prediction against one reference (both may be empty = no span).
bool exact_match(std::string_view prediction, std::string_view reference);
double token_f1(std::string_view prediction, std::string_view reference);

// Code-point spans of the sentences of a context: split at line breaks (block boundaries of
// the page) and after . ! ? 。 ！ ？ followed by a space or the end; trimmed, empty ones dropped.
std::vector<CodePointSpan> sentences(std::string_view context);

// The baselines of the quality table, each a whole sentence chosen by position alone:
// the sentence containing the image position or, between sentences, the nearer one;
// the first sentence starting at or after the image; the last one ending at or before it.
// Return {-1, -1} when there is no such sentence.
CodePointSpan nearest_sentence(const std::vector<CodePointSpan>& s, int32_t image_pos);
CodePointSpan sentence_after(const std::vector<CodePointSpan>& s, int32_t image_pos);
CodePointSpan sentence_before(const std::vector<CodePointSpan>& s, int32_t image_pos);

// The text of a code-point span of `utf8` ("" for an empty or invalid span).
std::string span_text(std::string_view utf8, CodePointSpan span);

}  // namespace warcpairs::text
