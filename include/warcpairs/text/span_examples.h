// Training/inference examples of the span model: one image context tokenized into windows of
// [CLS] context-with-image-marker [SEP], the alt-text span as start/end token, HF-QA style.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>
#include <utility>
#include <vector>

#include "warcpairs/core/hash.h"
#include "warcpairs/text/wordpiece.h"

namespace warcpairs::text {

// A span of code points [start, end) of the context.
struct CodePointSpan {
  int32_t start = 0;
  int32_t end = 0;
};

// The line marker train writes into its windows (SpanExampleOptions::line_marker).
inline constexpr std::string_view kLineMarker = "[unused2]";
// With SpanExampleOptions::near_line_markers: the line markers nearest the image, in place of
// kLineMarker: the first and second after the image marker, the first and second before it.
inline constexpr std::string_view kNearLineMarkers[4] = {"[unused3]", "[unused4]", "[unused5]", "[unused6]"};

struct SpanExampleOptions {
  int32_t max_length = 384;  // tokens per window, [CLS] and [SEP] included
  int32_t stride = 128;      // tokens shared by adjacent windows (HF QA's doc_stride)
  // Token standing where the image is. "[unused1]": a vocabulary entry that pretraining
  // never saw, so its embedding carries no meaning of its own and fine-tuning makes it mean
  // "the image is here" (the question of this QA task) without stealing a real word.
  // "[unused0]" is left alone as the customary first extra token others may claim.
  std::string_view image_marker = "[unused1]";
  // true: only the windows holding the marker (the model cannot tell which image a window
  // without it is about). false: every window covering the context, HF QA style, the ones
  // without the marker (or the label) answering "no span".
  bool only_windows_with_marker = true;
  // Token standing for a line break of the context (a block boundary of the page: a heading, a
  // paragraph, a list item, a caption's end), or "" for none. The tokenizer drops line breaks
  // like any whitespace, which leaves the model blind to the structure that tells where a
  // caption ends; train uses "[unused2]". Never part of an answer span (offsets -1, -1).
  std::string_view line_marker = "";
  // true: one window per context whose image marker stands at token max_length / 2, the front
  // filled with [PAD] tokens (attended, offsets -1) where the context has fewer tokens before
  // the image, the back shorter where it has fewer after. The marker then sits at the same
  // position in every window, so a model with learned absolute positions trained from random
  // weights can learn "the answer starts right after the image" (tests/unit/model/
  // span_learnability_test.cc: it does not learn it in a few hundred steps when the marker
  // moves). Labels further than the window reaches are out of reach. Recorded by train.
  bool centre_marker = false;
  // true (needs line_marker): the two line markers nearest the image on each side are
  // kNearLineMarkers instead (first and second after the image marker, first and second
  // before it), so that a model from random weights, which finds a token by its id far more
  // easily than by counting line breaks, sees where the lines around the image begin and end:
  // how long the line after the image is, where the line before it starts. Markers all the
  // same to decoding (offsets -1, -1). Recorded by train.
  bool near_line_markers = false;
};

// One model input, unpadded (batching pads). Token indices count from [CLS] = 0.
struct SpanWindow {
  std::vector<int32_t> input_ids;
  // Code-point [start, end) of each token in the context; (-1, -1) for [CLS], [SEP], markers.
  std::vector<std::pair<int32_t, int32_t>> offsets;
  // 1 for a WordPiece continuation piece ("##..."): a span neither starts on it nor ends
  // right before it (labels are whole words). Empty: every token starts a word.
  std::vector<uint8_t> continues_word;
  int32_t length = 0;        // attention length = input_ids.size()
  int32_t marker_token = -1; // index of the marker, -1 when this window lacks it
  // The label's first and last token (inclusive, HF start/end_positions) when the whole
  // label lies in this window, else (0, 0) = [CLS], HF QA's "no answer".
  int32_t start_token = 0;
  int32_t end_token = 0;
  // Where the window starts in the context's token sequence with the markers inserted
  // (window token 1 is that token): adjacent windows overlap by >= stride tokens. Negative
  // with SpanExampleOptions::centre_marker: that many [PAD] tokens come first.
  int32_t sequence_begin = 0;

  bool has_span() const { return start_token != 0; }
};

// Builds windows for one context after another, reusing its buffers: a warm build()
// allocates nothing when the windows fit the capacity earlier calls left.
class SpanExampleBuilder {
 public:
  // Throws UsageError when max_length < 4 (room for [CLS], one token, marker, [SEP]), when
  // stride is negative or leaves no step (stride >= max_length - 2), or when the vocabulary
  // lacks a marker token.
  SpanExampleBuilder(const WordPiece& tokenizer, SpanExampleOptions options = {});

  // `image_pos`: code point before which the image stands (0 .. length of context; values
  // outside are clamped). The marker goes before the first token starting at or after it; a
  // token straddling image_pos (image inside a word) stays whole, before the marker.
  // `label`: the alt text's code-point span in the context. A span not on token boundaries
  // grows to the tokens covering it (the model can only point at whole tokens); a label that
  // is empty, inverted or covers no token (only spaces or removed characters) is "no span".
  // Fills `out` (its old contents are replaced; count = windows.size()).
  void build(std::string_view context, int32_t image_pos, std::optional<CodePointSpan> label,
             std::vector<SpanWindow>& out);

  int32_t marker_id() const { return marker_id_; }
  int32_t line_marker_id() const { return line_id_; }  // -1: no line marker
  const SpanExampleOptions& options() const { return options_; }

 private:
  void fill_window(int32_t begin, int32_t end, int32_t marker_seq, int32_t label_first,
                   int32_t label_last, SpanWindow& w) const;

  const WordPiece* tokenizer_;
  SpanExampleOptions options_;
  int32_t marker_id_ = -1;
  int32_t line_id_ = -1;
  int32_t near_ids_[4] = {-1, -1, -1, -1};  // kNearLineMarkers' ids with near_line_markers
  Encoding enc_;                       // the context's tokens, reused
  // The sequence the windows are cut from: the context's tokens with the image marker and the
  // line markers inserted (offsets -1, -1 for the markers), reused.
  std::vector<int32_t> seq_ids_;
  std::vector<std::pair<int32_t, int32_t>> seq_offsets_;
  std::vector<uint8_t> seq_continues_;
  std::vector<int32_t> window_begins_; // reused
};

// Whether a page belongs to the validation set: stable across runs, machines and releases, so
// all images of one page land in the same set. Takes FNV-1a of the URL, mixes it with
// MurmurHash3's fmix64 (FNV-1a alone leaves the top bits nearly unchanged between URLs that
// differ only in their last characters, like ?page=1 and ?page=2), and compares the top 53
// bits as a fraction of 1. fraction <= 0: never; >= 1: always.
bool is_validation(std::string_view page_url, double fraction = 0.1);

// The page's point in [0, 1) that is_validation compares with its fraction: pages below
// `fraction` are held out; a further slice above it (train --dev-fraction) is the
// development set that picks the best epoch, so the held-out pages stay unseen by it.
double page_split_point(std::string_view page_url);

}  // namespace warcpairs::text
