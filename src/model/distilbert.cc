// DistilBERT forward passes, following transformers' modeling_distilbert.py (eager attention path).
#include "warcpairs/model/distilbert.h"

#include <cmath>
#include <string>

#include <torch/nn/functional/activation.h>
#include <torch/nn/functional/loss.h>
#include <torch/nn/init.h>

#include "warcpairs/core/error.h"
#include "masked_fill.h"

namespace warcpairs::model {
namespace F = torch::nn::functional;

namespace {
constexpr double kLayerNormEps = 1e-12;  // every LayerNorm in DistilBERT

torch::nn::LayerNorm layer_norm(int64_t dim) {
  return torch::nn::LayerNorm(torch::nn::LayerNormOptions({dim}).eps(kLayerNormEps));
}

torch::nn::Linear linear(int64_t in, int64_t out) { return torch::nn::Linear(in, out); }
}  // namespace

torch::Tensor sinusoidal_position_table(int64_t n_pos, int64_t dim) {
  // position_enc[pos, j] = pos / 10000^(2·(j//2)/dim), in float64 as numpy computes it.
  auto pos = torch::arange(n_pos, torch::kDouble).unsqueeze(1);
  auto j = torch::arange(dim, torch::kDouble).div(2, "floor");
  auto enc = pos / torch::pow(10000.0, 2.0 * j / static_cast<double>(dim));
  auto out = torch::empty({n_pos, dim}, torch::kDouble);
  using torch::indexing::Slice;
  out.index_put_({Slice(), Slice(0, torch::indexing::None, 2)}, torch::sin(enc.index({Slice(), Slice(0, torch::indexing::None, 2)})));
  out.index_put_({Slice(), Slice(1, torch::indexing::None, 2)}, torch::cos(enc.index({Slice(), Slice(1, torch::indexing::None, 2)})));
  return out.to(torch::kFloat);
}

EmbeddingsImpl::EmbeddingsImpl(const model_io::DistilBertConfig& c) {
  word_embeddings = register_module(
      "word_embeddings",
      torch::nn::Embedding(torch::nn::EmbeddingOptions(c.vocab_size, c.dim).padding_idx(c.pad_token_id)));
  position_embeddings =
      register_module("position_embeddings", torch::nn::Embedding(c.max_position_embeddings, c.dim));
  LayerNorm = register_module("LayerNorm", layer_norm(c.dim));
  dropout = register_module("dropout", torch::nn::Dropout(c.dropout));
  if (c.sinusoidal_pos_embds) {
    torch::NoGradGuard no_grad;
    position_embeddings->weight.copy_(sinusoidal_position_table(c.max_position_embeddings, c.dim));
    position_embeddings->weight.set_requires_grad(false);  // fixed, as create_sinusoidal_embeddings leaves it
  }
}

torch::Tensor EmbeddingsImpl::forward(const torch::Tensor& input_ids) {
  const int64_t t = input_ids.size(1);
  auto positions = torch::arange(t, input_ids.options().dtype(torch::kLong));
  auto x = word_embeddings(input_ids) + position_embeddings(positions).unsqueeze(0);
  return dropout(LayerNorm(x));
}

MultiHeadSelfAttentionImpl::MultiHeadSelfAttentionImpl(const model_io::DistilBertConfig& c) : n_heads(c.n_heads) {
  q_lin = register_module("q_lin", linear(c.dim, c.dim));
  k_lin = register_module("k_lin", linear(c.dim, c.dim));
  v_lin = register_module("v_lin", linear(c.dim, c.dim));
  out_lin = register_module("out_lin", linear(c.dim, c.dim));
  dropout = register_module("dropout", torch::nn::Dropout(c.attention_dropout));
}

torch::Tensor MultiHeadSelfAttentionImpl::forward(const torch::Tensor& x, const torch::Tensor& mask) {
  const int64_t b = x.size(0), t = x.size(1), dim = x.size(2), head = dim / n_heads;
  auto heads = [&](const torch::Tensor& y) { return y.view({b, t, n_heads, head}).transpose(1, 2); };
  auto q = heads(q_lin(x)) / std::sqrt(static_cast<double>(head));
  auto k = heads(k_lin(x));
  auto v = heads(v_lin(x));
  auto scores = torch::matmul(q, k.transpose(2, 3));  // [B,H,T,T]
  auto masked = (mask == 0).view({b, 1, 1, t}).expand_as(scores);
  scores = scores.masked_fill(masked, finfo_min(scores.scalar_type()));
  auto weights = dropout(torch::softmax(scores, -1));
  auto context = torch::matmul(weights, v).transpose(1, 2).contiguous().view({b, t, dim});
  return out_lin(context);
}

FFNImpl::FFNImpl(const model_io::DistilBertConfig& c) : activation(c.activation) {
  if (!model_io::is_supported_activation(activation))
    throw UsageError("DistilBERT activation \"" + activation + "\" is not supported");
  lin1 = register_module("lin1", linear(c.dim, c.hidden_dim));
  lin2 = register_module("lin2", linear(c.hidden_dim, c.dim));
  dropout = register_module("dropout", torch::nn::Dropout(c.dropout));
}

torch::Tensor FFNImpl::forward(const torch::Tensor& x) {
  auto h = lin1(x);
  // transformers' ACT2FN: "gelu" is the exact erf form; gelu_new and gelu_pytorch_tanh are the
  // tanh approximation (the same function, two implementations); swish is silu.
  if (activation == "gelu") h = torch::gelu(h);
  else if (activation == "relu") h = torch::relu(h);
  else if (activation == "silu" || activation == "swish") h = torch::silu(h);
  else h = torch::gelu(h, "tanh");
  return dropout(lin2(h));
}

TransformerBlockImpl::TransformerBlockImpl(const model_io::DistilBertConfig& c) {
  attention = register_module("attention", MultiHeadSelfAttention(c));
  sa_layer_norm = register_module("sa_layer_norm", layer_norm(c.dim));
  ffn = register_module("ffn", FFN(c));
  output_layer_norm = register_module("output_layer_norm", layer_norm(c.dim));
}

torch::Tensor TransformerBlockImpl::forward(const torch::Tensor& x, const torch::Tensor& mask) {
  auto sa = sa_layer_norm(attention(x, mask) + x);  // post-LN, as DistilBERT
  return output_layer_norm(ffn(sa) + sa);
}

TransformerImpl::TransformerImpl(const model_io::DistilBertConfig& c) {
  layer = register_module("layer", torch::nn::ModuleList());
  for (int64_t i = 0; i < c.n_layers; ++i) layer->push_back(TransformerBlock(c));
}

torch::Tensor TransformerImpl::forward(torch::Tensor x, const torch::Tensor& mask) {
  for (const auto& block : *layer) x = block->as<TransformerBlockImpl>()->forward(x, mask);
  return x;
}

DistilBertImpl::DistilBertImpl(const model_io::DistilBertConfig& c) : config(c) {
  config.validate();
  embeddings = register_module("embeddings", Embeddings(config));
  transformer = register_module("transformer", Transformer(config));
}

torch::Tensor DistilBertImpl::forward(const torch::Tensor& input_ids, const torch::Tensor& attention_mask) {
  if (input_ids.dim() != 2) throw Error("DistilBERT input_ids must be [batch, length]");
  if (input_ids.size(1) > config.max_position_embeddings)
    throw Error("DistilBERT input of " + std::to_string(input_ids.size(1)) + " tokens exceeds max_position_embeddings " +
                std::to_string(config.max_position_embeddings));
  torch::Tensor mask = attention_mask.defined() ? attention_mask : torch::ones_like(input_ids);
  if (mask.sizes() != input_ids.sizes()) throw Error("DistilBERT attention_mask must have the shape of input_ids");
  return transformer(embeddings(input_ids), mask);
}

DistilBertForQuestionAnsweringImpl::DistilBertForQuestionAnsweringImpl(const model_io::DistilBertConfig& c) {
  distilbert = register_module("distilbert", DistilBert(c));
  qa_outputs = register_module("qa_outputs", linear(c.dim, 2));
  dropout = register_module("dropout", torch::nn::Dropout(c.qa_dropout));
  init_distilbert_weights(*this, distilbert->config);
}

SpanLogits DistilBertForQuestionAnsweringImpl::forward(const torch::Tensor& input_ids,
                                                       const torch::Tensor& attention_mask) {
  auto logits = qa_outputs(dropout(distilbert(input_ids, attention_mask)));  // [B,T,2]
  auto parts = logits.split(1, -1);
  return {parts[0].squeeze(-1).contiguous(), parts[1].squeeze(-1).contiguous()};
}

void init_distilbert_weights(torch::nn::Module& module, const model_io::DistilBertConfig& c) {
  torch::NoGradGuard no_grad;
  // include_self=false: the constructor calls this before the module is held by a shared_ptr.
  for (const auto& m : module.modules(/*include_self=*/false)) {
    if (auto* lin = m->as<torch::nn::LinearImpl>()) {
      lin->weight.normal_(0.0, c.initializer_range);
      if (lin->bias.defined()) lin->bias.zero_();
    } else if (auto* emb = m->as<torch::nn::EmbeddingImpl>()) {
      emb->weight.normal_(0.0, c.initializer_range);
      if (emb->options.padding_idx()) emb->weight[*emb->options.padding_idx()].zero_();
    } else if (auto* ln = m->as<torch::nn::LayerNormImpl>()) {
      ln->weight.fill_(1.0);
      ln->bias.zero_();
    }
  }
  // After the loop: it drew the position table like any embedding.
  if (!c.sinusoidal_pos_embds) return;
  auto sinusoids = [&](EmbeddingsImpl* e) {
    if (e) e->position_embeddings->weight.copy_(sinusoidal_position_table(c.max_position_embeddings, c.dim));
  };
  sinusoids(module.as<EmbeddingsImpl>());
  for (const auto& m : module.modules(/*include_self=*/false)) sinusoids(m->as<EmbeddingsImpl>());
}


torch::Tensor span_loss(const SpanLogits& logits, const torch::Tensor& start_positions,
                        const torch::Tensor& end_positions) {
  const int64_t ignored = logits.start_logits.size(1);
  auto opts = F::CrossEntropyFuncOptions().ignore_index(ignored);
  auto start = start_positions.clamp(0, ignored);
  auto end = end_positions.clamp(0, ignored);
  return (F::cross_entropy(logits.start_logits, start, opts) + F::cross_entropy(logits.end_logits, end, opts)) / 2;
}

}  // namespace warcpairs::model
