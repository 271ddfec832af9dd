// DistilBERT and DistilBertForQuestionAnswering in LibTorch, named like transformers' modeling_distilbert.py.
#pragma once

// Only the model layer includes this header: it pulls in LibTorch (~15 s per translation unit).
#include <torch/nn/module.h>
#include <torch/nn/modules/container/modulelist.h>
#include <torch/nn/modules/dropout.h>
#include <torch/nn/modules/embedding.h>
#include <torch/nn/modules/linear.h>
#include <torch/nn/modules/normalization.h>
#include <torch/types.h>

#include "warcpairs/model_io/distilbert_config.h"

namespace warcpairs::model {

// Every register_module / register_parameter name below equals the attribute name in
// modeling_distilbert.py, so named_parameters() yields the Hugging Face state_dict keys
// (model_io::distilbert_qa_tensors) and a checkpoint loads by walking it.

// Embeddings: word + position embeddings, LayerNorm(eps 1e-12), dropout.
struct EmbeddingsImpl : torch::nn::Module {
  explicit EmbeddingsImpl(const model_io::DistilBertConfig& config);
  torch::Tensor forward(const torch::Tensor& input_ids);  // [B,T] int64 → [B,T,dim]

  torch::nn::Embedding word_embeddings{nullptr};
  torch::nn::Embedding position_embeddings{nullptr};  // learned, or fixed sinusoids (sinusoidal_pos_embds)
  torch::nn::LayerNorm LayerNorm{nullptr};             // NOLINT: the Hugging Face name
  torch::nn::Dropout dropout{nullptr};
};
TORCH_MODULE(Embeddings);

// transformers' create_sinusoidal_embeddings: [n_pos, dim], sin on even columns, cos on odd ones.
torch::Tensor sinusoidal_position_table(int64_t n_pos, int64_t dim);

// MultiHeadSelfAttention: scaled dot product over n_heads, keys where mask == 0 excluded.
struct MultiHeadSelfAttentionImpl : torch::nn::Module {
  explicit MultiHeadSelfAttentionImpl(const model_io::DistilBertConfig& config);
  // x [B,T,dim], mask [B,T] (1 = attend, 0 = padding) → [B,T,dim]
  torch::Tensor forward(const torch::Tensor& x, const torch::Tensor& mask);

  int64_t n_heads;
  torch::nn::Linear q_lin{nullptr}, k_lin{nullptr}, v_lin{nullptr}, out_lin{nullptr};
  torch::nn::Dropout dropout{nullptr};  // attention_dropout, on the attention weights
};
TORCH_MODULE(MultiHeadSelfAttention);

// FFN: lin2(activation(lin1(x))), then dropout.
struct FFNImpl : torch::nn::Module {
  explicit FFNImpl(const model_io::DistilBertConfig& config);
  torch::Tensor forward(const torch::Tensor& x);

  std::string activation;
  torch::nn::Linear lin1{nullptr}, lin2{nullptr};
  torch::nn::Dropout dropout{nullptr};
};
TORCH_MODULE(FFN);

// One post-LN block: x = sa_layer_norm(attention(x) + x); x = output_layer_norm(ffn(x) + x).
struct TransformerBlockImpl : torch::nn::Module {
  explicit TransformerBlockImpl(const model_io::DistilBertConfig& config);
  torch::Tensor forward(const torch::Tensor& x, const torch::Tensor& mask);

  MultiHeadSelfAttention attention{nullptr};
  torch::nn::LayerNorm sa_layer_norm{nullptr};
  FFN ffn{nullptr};
  torch::nn::LayerNorm output_layer_norm{nullptr};
};
TORCH_MODULE(TransformerBlock);

struct TransformerImpl : torch::nn::Module {
  explicit TransformerImpl(const model_io::DistilBertConfig& config);
  torch::Tensor forward(torch::Tensor x, const torch::Tensor& mask);

  torch::nn::ModuleList layer{nullptr};  // n_layers TransformerBlocks
};
TORCH_MODULE(Transformer);

// DistilBertModel: the encoder; forward gives the last hidden state [B,T,dim].
struct DistilBertImpl : torch::nn::Module {
  explicit DistilBertImpl(const model_io::DistilBertConfig& config);
  // input_ids [B,T] int64; attention_mask [B,T] (any integer or bool dtype, 1 = token, 0 = padding),
  // undefined = attend everywhere.
  torch::Tensor forward(const torch::Tensor& input_ids, const torch::Tensor& attention_mask = {});

  model_io::DistilBertConfig config;
  Embeddings embeddings{nullptr};
  Transformer transformer{nullptr};
};
TORCH_MODULE(DistilBert);

struct SpanLogits {
  torch::Tensor start_logits;  // [B,T]
  torch::Tensor end_logits;    // [B,T]
};

// DistilBertForQuestionAnswering: encoder, qa_dropout, qa_outputs = Linear(dim, 2).
struct DistilBertForQuestionAnsweringImpl : torch::nn::Module {
  explicit DistilBertForQuestionAnsweringImpl(const model_io::DistilBertConfig& config);
  SpanLogits forward(const torch::Tensor& input_ids, const torch::Tensor& attention_mask = {});

  const model_io::DistilBertConfig& config() const { return distilbert->config; }

  DistilBert distilbert{nullptr};
  torch::nn::Linear qa_outputs{nullptr};
  torch::nn::Dropout dropout{nullptr};  // qa_dropout
};
TORCH_MODULE(DistilBertForQuestionAnswering);

// transformers' DistilBertPreTrainedModel._init_weights on every submodule of `module`: Linear and
// Embedding weights ~ N(0, initializer_range), biases 0, the padding row of embeddings 0,
// LayerNorm weight 1 and bias 0; sinusoidal position tables are rewritten, not drawn.
void init_distilbert_weights(torch::nn::Module& module, const model_io::DistilBertConfig& config);

// The QA loss of transformers: mean of the start and end cross-entropies; positions outside [0, T)
// are clamped to T and ignored (ignore_index = T), as for spans cut off by truncation.
torch::Tensor span_loss(const SpanLogits& logits, const torch::Tensor& start_positions,
                        const torch::Tensor& end_positions);

}  // namespace warcpairs::model
