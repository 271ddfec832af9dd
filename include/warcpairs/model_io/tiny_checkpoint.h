// Generates tiny random DistilBERT-QA checkpoints in Hugging Face layout for tests.
#pragma once

#include <cstdint>
#include <string>

#include "warcpairs/model_io/distilbert_config.h"
#include "warcpairs/model_io/dtype.h"

namespace warcpairs::model_io {

struct TinyCheckpointOptions {
  std::string vocab_path;  // WordPiece vocab, one token a line; its line count is vocab_size
  uint64_t seed = 0;
  int64_t n_layers = 2;
  int64_t dim = 64;
  int64_t n_heads = 4;
  int64_t hidden_dim = 128;
  int64_t max_position_embeddings = 128;
  Dtype dtype = Dtype::kF32;  // F32, F16 or BF16
};

// Writes into `dir` (created if needed): config.json, model.safetensors (every tensor of
// distilbert_qa_tensors, __metadata__ {"format":"pt"}), vocab.txt (a copy of the vocab) and
// tokenizer_config.json. Weights and biases ~ N(0, initializer_range) from a seeded SplitMix64
// (bit-identical on every platform), LayerNorm weight 1 and bias 0, the pad row of the word
// embeddings zero, as DistilBertPreTrainedModel._init_weights leaves them. Same seed, same bytes.
DistilBertConfig write_tiny_distilbert_qa(const std::string& dir, const TinyCheckpointOptions& options);

}  // namespace warcpairs::model_io
