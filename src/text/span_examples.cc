// Span-model examples: context tokens with the image marker, cut into overlapping windows
// around the image, with the alt text's token span (HF question-answering preprocessing).
#include "warcpairs/text/span_examples.h"

#include <algorithm>
#include <string>

#include "warcpairs/core/error.h"

namespace warcpairs::text {
namespace {

int32_t count_codepoints(std::string_view s) {
  int32_t n = 0;
  for (unsigned char b : s) n += (b & 0xC0) != 0x80;
  return n;
}

// Start of the windows, left to right. The sequence (context tokens plus marker) has n tokens,
// a window holds c of them. One window is centred on the marker (clamped to the sequence);
// more go left and right of it every c - stride tokens until the sequence is covered, the
// outermost shifted to end exactly at the sequence's ends so that every window is full. Hence
// neighbours share exactly `stride` tokens, or more next to an outermost window.
void window_begins(int32_t n, int32_t c, int32_t stride, int32_t marker,
                   std::vector<int32_t>& begins) {
  begins.clear();
  if (n <= c) {
    begins.push_back(0);
    return;
  }
  const int32_t step = c - stride;
  const int32_t centre = std::clamp(marker - c / 2, 0, n - c);
  for (int32_t b = centre - step; b > 0; b -= step) begins.push_back(b);
  if (centre > 0) begins.push_back(0);
  std::reverse(begins.begin(), begins.end());
  begins.push_back(centre);
  for (int32_t b = centre + step; b + c < n; b += step) begins.push_back(b);
  if (centre + c < n) begins.push_back(n - c);
}

}  // namespace

SpanExampleBuilder::SpanExampleBuilder(const WordPiece& tokenizer, SpanExampleOptions options)
    : tokenizer_(&tokenizer), options_(options) {
  const int32_t capacity = options_.max_length - 2;
  if (options_.max_length < 4)
    throw UsageError("span examples: max_length must be at least 4, got " +
                     std::to_string(options_.max_length));
  if (options_.stride < 0 || options_.stride >= capacity)
    throw UsageError("--stride " + std::to_string(options_.stride) + " does not fit windows of --max-length " +
                     std::to_string(options_.max_length) + ": give --stride in [0, " +
                     std::to_string(capacity) + ") (--max-length minus [CLS] and [SEP]) or a larger --max-length");
  marker_id_ = tokenizer.id_of(options_.image_marker);
  if (marker_id_ < 0)
    throw UsageError("span examples: image marker \"" + std::string(options_.image_marker) +
                     "\" is not in the vocabulary");
  if (options_.centre_marker && tokenizer.pad_id() < 0)
    throw UsageError("span examples: centred windows need a [PAD] token in the vocabulary");
  if (!options_.line_marker.empty()) {
    line_id_ = tokenizer.id_of(options_.line_marker);
    if (line_id_ < 0 || line_id_ == marker_id_)
      throw UsageError("span examples: line marker \"" + std::string(options_.line_marker) +
                       "\" is not in the vocabulary or is the image marker");
  }
  if (options_.near_line_markers) {
    if (line_id_ < 0) throw UsageError("span examples: near-image line markers need the line marker");
    for (int k = 0; k < 4; ++k) {
      near_ids_[k] = tokenizer.id_of(kNearLineMarkers[k]);
      if (near_ids_[k] < 0 || near_ids_[k] == marker_id_ || near_ids_[k] == line_id_)
        throw UsageError("span examples: near-image line marker \"" + std::string(kNearLineMarkers[k]) +
                         "\" is not in the vocabulary or is another marker");
    }
  }
}

void SpanExampleBuilder::build(std::string_view context, int32_t image_pos,
                               std::optional<CodePointSpan> label,
                               std::vector<SpanWindow>& out) {
  constexpr std::pair<int32_t, int32_t> kNone{-1, -1};
  tokenizer_->encode(context, enc_);
  const auto n = static_cast<int32_t>(enc_.size());
  image_pos = std::clamp(image_pos, 0, count_codepoints(context));
  const bool has_label = label && label->start < label->end;

  // The sequence: the tokens, the image marker before the first token starting at or after
  // the image, a line marker where the gap between two tokens holds a line break. The label's
  // tokens (sequence indices): first token ending after its start, last token starting before
  // its end; -1 when none.
  seq_ids_.clear();
  seq_offsets_.clear();
  seq_continues_.clear();
  int32_t marker = -1, first = -1, last = -1;
  const auto put = [&](int32_t id) {
    seq_ids_.push_back(id);
    seq_offsets_.push_back(kNone);
    seq_continues_.push_back(0);
  };
  const auto put_marker = [&] {
    marker = static_cast<int32_t>(seq_ids_.size());
    put(marker_id_);
  };
  for (int32_t i = 0; i < n; ++i) {
    const auto [start, end] = enc_.offsets[i];
    bool line = false, line_before_image = false;
    if (line_id_ >= 0 && i > 0) {
      const uint32_t gap_begin = enc_.byte_offsets[i - 1].second, gap_end = enc_.byte_offsets[i].first;
      const std::string_view gap = context.substr(gap_begin, gap_end - gap_begin);
      const std::size_t nl = gap.find('\n');
      line = nl != std::string_view::npos;
      line_before_image = line && enc_.offsets[i - 1].second + count_codepoints(gap.substr(0, nl)) < image_pos;
    }
    const bool marker_here = marker < 0 && start >= image_pos;
    if (line && line_before_image) put(line_id_);
    if (marker_here) put_marker();
    if (line && !line_before_image) put(line_id_);
    if (has_label && start < label->end && end > label->start) {
      if (first < 0) first = static_cast<int32_t>(seq_ids_.size());
      last = static_cast<int32_t>(seq_ids_.size());
    }
    seq_ids_.push_back(enc_.ids[i]);
    seq_offsets_.push_back(enc_.offsets[i]);
    seq_continues_.push_back(tokenizer_->token(enc_.ids[i]).starts_with("##"));
  }
  if (marker < 0) put_marker();
  if (options_.near_line_markers) {  // the two line markers nearest the image on each side
    for (int32_t i = marker + 1, seen = 0; i < static_cast<int32_t>(seq_ids_.size()) && seen < 2; ++i)
      if (seq_ids_[i] == line_id_) seq_ids_[i] = near_ids_[seen++];
    for (int32_t i = marker - 1, seen = 0; i >= 0 && seen < 2; --i)
      if (seq_ids_[i] == line_id_) seq_ids_[i] = near_ids_[2 + seen++];
  }

  const auto total = static_cast<int32_t>(seq_ids_.size());
  const int32_t capacity = options_.max_length - 2;
  if (options_.centre_marker) {
    window_begins_.assign(1, marker - capacity / 2);
  } else {
    window_begins(total, capacity, options_.stride, marker, window_begins_);
  }
  std::size_t count = 0;
  for (int32_t begin : window_begins_) {
    const int32_t end = std::min(begin + capacity, total);
    if (options_.only_windows_with_marker && (marker < begin || marker >= end)) continue;
    if (out.size() <= count) out.emplace_back();
    fill_window(begin, end, marker, first, last, out[count++]);
  }
  out.resize(count);
}

// Window = [CLS] sequence[begin, end) [SEP].
void SpanExampleBuilder::fill_window(int32_t begin, int32_t end, int32_t marker_seq,
                                     int32_t label_first, int32_t label_last,
                                     SpanWindow& w) const {
  constexpr std::pair<int32_t, int32_t> kNone{-1, -1};
  w.input_ids.clear();
  w.offsets.clear();
  w.continues_word.clear();
  w.input_ids.push_back(tokenizer_->cls_id());
  w.offsets.push_back(kNone);
  w.continues_word.push_back(0);
  for (int32_t k = begin; k < 0; ++k) {  // centre_marker: fewer tokens before the image
    w.input_ids.push_back(tokenizer_->pad_id());
    w.offsets.push_back(kNone);
    w.continues_word.push_back(0);
  }
  const int32_t from = std::max(begin, 0);
  w.input_ids.insert(w.input_ids.end(), seq_ids_.begin() + from, seq_ids_.begin() + end);
  w.offsets.insert(w.offsets.end(), seq_offsets_.begin() + from, seq_offsets_.begin() + end);
  w.continues_word.insert(w.continues_word.end(), seq_continues_.begin() + from, seq_continues_.begin() + end);
  w.input_ids.push_back(tokenizer_->sep_id());
  w.offsets.push_back(kNone);
  w.continues_word.push_back(0);
  w.length = static_cast<int32_t>(w.input_ids.size());
  w.marker_token = marker_seq >= begin && marker_seq < end ? marker_seq - begin + 1 : -1;
  w.sequence_begin = begin;
  const bool inside = label_first >= begin && label_last >= 0 && label_last < end;
  w.start_token = inside ? label_first - begin + 1 : 0;
  w.end_token = inside ? label_last - begin + 1 : 0;
}

bool is_validation(std::string_view page_url, double fraction) {
  return page_split_point(page_url) < fraction;
}

double page_split_point(std::string_view page_url) {
  uint64_t h = fnv1a64(page_url);
  // MurmurHash3 fmix64: every input bit reaches every output bit.
  h ^= h >> 33;
  h *= 0xff51afd7ed558ccdULL;
  h ^= h >> 33;
  h *= 0xc4ceb9fe1a85ec53ULL;
  h ^= h >> 33;
  return static_cast<double>(h >> 11) * 0x1.0p-53;  // uniform in [0, 1)
}

}  // namespace warcpairs::text
