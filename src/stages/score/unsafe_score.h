// The unsafe-image score: zero-shot CLIP against a prompt set of unsafe and neutral texts
// (models/unsafe-prompts.tsv, score --unsafe-prompts FILE). No LibTorch: the arithmetic over
// embeddings the ClipEmbedder made, so tests check it against a numpy reference.
#pragma once

#include <cstddef>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

namespace warcpairs::stages {

struct UnsafePrompts {
  std::vector<std::string> texts;
  std::vector<char> unsafe;  // per text: 1 unsafe, 0 neutral
  double threshold = 0.5;    // the file's "threshold" line: the cut it was written for
  std::string source;        // the file, or "built-in models/unsafe-prompts.tsv"
  std::string digest;        // "fnv1a64:<hex>" of the file's bytes
};

// The format of models/unsafe-prompts.tsv: "unsafe<TAB>text", "neutral<TAB>text",
// "threshold<TAB>x" (0..1), "#" comments, blank lines. Throws UsageError naming the line for
// anything else, and for a set without at least one unsafe and one neutral prompt.
UnsafePrompts parse_unsafe_prompts(std::string_view text, const std::string& source);
// `file` empty: the built-in copy of models/unsafe-prompts.tsv (embedded at build time).
UnsafePrompts load_unsafe_prompts(const std::filesystem::path& file);

// For each of n images (rows of `images`, n × d, L2-normalised) against m prompts (rows of
// `prompts`, m × d, L2-normalised): p = softmax_k(logit_scale · images[i] · prompts[k]) over
// all m prompts, and out[i] = Σ p_k over the prompts with unsafe[k] — CLIP's zero-shot
// classification (CLIPModel.forward's logits_per_image, then a softmax), the mass it puts on
// "unsafe". In double precision, the softmax shifted by its largest logit.
void unsafe_scores(const float* images, std::size_t n, const float* prompts, std::size_t m,
                   std::size_t d, const std::vector<char>& unsafe, double logit_scale,
                   std::vector<double>& out);

}  // namespace warcpairs::stages
