// CLIPModel forward passes, following transformers' modeling_clip.py (eager attention path, inference).
#include "warcpairs/model/clip.h"

#include <cmath>

#include "warcpairs/core/error.h"
#include "masked_fill.h"

namespace warcpairs::model {
namespace {
torch::nn::LayerNorm layer_norm(int64_t dim, double eps) {
  return torch::nn::LayerNorm(torch::nn::LayerNormOptions({dim}).eps(eps));
}

torch::nn::Linear linear(int64_t in, int64_t out, bool bias = true) {
  return torch::nn::Linear(torch::nn::LinearOptions(in, out).bias(bias));
}

ClipTowerShape text_shape(const model_io::ClipTextConfig& c) {
  return {c.hidden_size, c.intermediate_size, c.num_hidden_layers, c.num_attention_heads, c.hidden_act,
          c.layer_norm_eps};
}

ClipTowerShape vision_shape(const model_io::ClipVisionConfig& c) {
  return {c.hidden_size, c.intermediate_size, c.num_hidden_layers, c.num_attention_heads, c.hidden_act,
          c.layer_norm_eps};
}
}  // namespace

torch::Tensor clip_activation(const std::string& name, const torch::Tensor& x) {
  // transformers' ACT2FN: QuickGELUActivation is x * sigmoid(1.702 * x); "gelu" the erf form;
  // gelu_new and gelu_pytorch_tanh the tanh approximation; swish is silu.
  if (name == "quick_gelu") return x * torch::sigmoid(1.702 * x);
  if (name == "gelu") return torch::gelu(x);
  if (name == "gelu_new" || name == "gelu_pytorch_tanh") return torch::gelu(x, "tanh");
  if (name == "relu") return torch::relu(x);
  if (name == "silu" || name == "swish") return torch::silu(x);
  throw UsageError("CLIP activation \"" + name + "\" is not supported");
}

ClipAttentionImpl::ClipAttentionImpl(const ClipTowerShape& s) : num_heads(s.num_attention_heads) {
  k_proj = register_module("k_proj", linear(s.hidden_size, s.hidden_size));
  v_proj = register_module("v_proj", linear(s.hidden_size, s.hidden_size));
  q_proj = register_module("q_proj", linear(s.hidden_size, s.hidden_size));
  out_proj = register_module("out_proj", linear(s.hidden_size, s.hidden_size));
}

torch::Tensor ClipAttentionImpl::forward(const torch::Tensor& x, const torch::Tensor& blocked) {
  const int64_t b = x.size(0), t = x.size(1), dim = x.size(2), head = dim / num_heads;
  auto heads = [&](const torch::Tensor& y) { return y.view({b, t, num_heads, head}).transpose(1, 2); };
  auto q = heads(q_proj(x));
  auto k = heads(k_proj(x));
  auto v = heads(v_proj(x));
  auto scores = torch::matmul(q, k.transpose(2, 3)) * std::pow(static_cast<double>(head), -0.5);  // [B,H,T,T]
  if (blocked.defined()) scores = scores.masked_fill(blocked, finfo_min(scores.scalar_type()));
  auto weights = torch::softmax(scores, -1);
  auto context = torch::matmul(weights, v).transpose(1, 2).reshape({b, t, dim});
  return out_proj(context);
}

ClipMlpImpl::ClipMlpImpl(const ClipTowerShape& s) : hidden_act(s.hidden_act) {
  if (!model_io::is_supported_clip_activation(hidden_act))
    throw UsageError("CLIP activation \"" + hidden_act + "\" is not supported");
  fc1 = register_module("fc1", linear(s.hidden_size, s.intermediate_size));
  fc2 = register_module("fc2", linear(s.intermediate_size, s.hidden_size));
}

torch::Tensor ClipMlpImpl::forward(const torch::Tensor& x) { return fc2(clip_activation(hidden_act, fc1(x))); }

ClipEncoderLayerImpl::ClipEncoderLayerImpl(const ClipTowerShape& s) {
  self_attn = register_module("self_attn", ClipAttention(s));
  layer_norm1 = register_module("layer_norm1", layer_norm(s.hidden_size, s.layer_norm_eps));
  mlp = register_module("mlp", ClipMlp(s));
  layer_norm2 = register_module("layer_norm2", layer_norm(s.hidden_size, s.layer_norm_eps));
}

torch::Tensor ClipEncoderLayerImpl::forward(const torch::Tensor& x, const torch::Tensor& blocked) {
  auto h = x + self_attn(layer_norm1(x), blocked);
  return h + mlp(layer_norm2(h));
}

ClipEncoderImpl::ClipEncoderImpl(const ClipTowerShape& s) {
  layers = register_module("layers", torch::nn::ModuleList());
  for (int64_t i = 0; i < s.num_hidden_layers; ++i) layers->push_back(ClipEncoderLayer(s));
}

torch::Tensor ClipEncoderImpl::forward(torch::Tensor x, const torch::Tensor& blocked) {
  for (const auto& layer : *layers) x = layer->as<ClipEncoderLayerImpl>()->forward(x, blocked);
  return x;
}

ClipTextEmbeddingsImpl::ClipTextEmbeddingsImpl(const model_io::ClipTextConfig& c) {
  token_embedding = register_module("token_embedding", torch::nn::Embedding(c.vocab_size, c.hidden_size));
  position_embedding =
      register_module("position_embedding", torch::nn::Embedding(c.max_position_embeddings, c.hidden_size));
}

torch::Tensor ClipTextEmbeddingsImpl::forward(const torch::Tensor& input_ids) {
  auto positions = torch::arange(input_ids.size(1), input_ids.options().dtype(torch::kLong));
  return token_embedding(input_ids) + position_embedding(positions).unsqueeze(0);
}

ClipTextTransformerImpl::ClipTextTransformerImpl(const model_io::ClipTextConfig& c) : config(c) {
  embeddings = register_module("embeddings", ClipTextEmbeddings(c));
  encoder = register_module("encoder", ClipEncoder(text_shape(c)));
  final_layer_norm = register_module("final_layer_norm", layer_norm(c.hidden_size, c.layer_norm_eps));
}

torch::Tensor ClipTextTransformerImpl::forward(const torch::Tensor& input_ids, const torch::Tensor& attention_mask) {
  if (input_ids.dim() != 2 || input_ids.size(1) < 1) throw Error("CLIP input_ids must be [batch, length >= 1]");
  const int64_t b = input_ids.size(0), t = input_ids.size(1);
  if (t > config.max_position_embeddings)
    throw Error("CLIP text of " + std::to_string(t) + " tokens exceeds max_position_embeddings " +
                std::to_string(config.max_position_embeddings));
  // _create_4d_causal_attention_mask: query i sees keys 0..i; _prepare_4d_attention_mask adds
  // the padding. transformers adds finfo.min for each; filling once gives the same softmax.
  auto blocked = torch::ones({t, t}, input_ids.options().dtype(torch::kBool)).triu(1).view({1, 1, t, t});
  if (attention_mask.defined()) {
    if (attention_mask.sizes() != input_ids.sizes()) throw Error("CLIP attention_mask must have the shape of input_ids");
    blocked = blocked.logical_or(attention_mask.eq(0).view({b, 1, 1, t}));
  }
  return final_layer_norm(encoder(embeddings(input_ids), blocked));
}

torch::Tensor ClipTextTransformerImpl::eos_positions(const torch::Tensor& input_ids) const {
  // torch.argmax returns the first maximal index, which both conventions rely on.
  const auto ids = input_ids.to(torch::kInt);
  if (config.legacy_eos()) return ids.argmax(-1);
  return ids.eq(config.eos_token_id).to(torch::kInt).argmax(-1);
}

torch::Tensor ClipTextTransformerImpl::pool(const torch::Tensor& last_hidden_state, const torch::Tensor& input_ids) const {
  auto rows = torch::arange(last_hidden_state.size(0), torch::TensorOptions(torch::kLong).device(last_hidden_state.device()));
  return last_hidden_state.index({rows, eos_positions(input_ids).to(last_hidden_state.device(), torch::kLong)});
}

ClipVisionEmbeddingsImpl::ClipVisionEmbeddingsImpl(const model_io::ClipVisionConfig& c) {
  class_embedding = register_parameter("class_embedding", torch::randn({c.hidden_size}));
  patch_embedding = register_module(
      "patch_embedding",
      torch::nn::Conv2d(torch::nn::Conv2dOptions(c.num_channels, c.hidden_size, c.patch_size).stride(c.patch_size).bias(false)));
  position_embedding = register_module("position_embedding", torch::nn::Embedding(c.num_positions(), c.hidden_size));
}

torch::Tensor ClipVisionEmbeddingsImpl::forward(const torch::Tensor& pixel_values) {
  const int64_t b = pixel_values.size(0);
  auto patches = patch_embedding(pixel_values.to(patch_embedding->weight.dtype()))  // [B,D,g,g]
                     .flatten(2)
                     .transpose(1, 2);                                               // [B,g·g,D]
  auto cls = class_embedding.view({1, 1, -1}).expand({b, 1, class_embedding.size(0)});
  return torch::cat({cls, patches}, 1) + position_embedding->weight.unsqueeze(0);
}

ClipVisionTransformerImpl::ClipVisionTransformerImpl(const model_io::ClipVisionConfig& c) : config(c) {
  embeddings = register_module("embeddings", ClipVisionEmbeddings(c));
  pre_layrnorm = register_module("pre_layrnorm", layer_norm(c.hidden_size, c.layer_norm_eps));
  encoder = register_module("encoder", ClipEncoder(vision_shape(c)));
  post_layernorm = register_module("post_layernorm", layer_norm(c.hidden_size, c.layer_norm_eps));
}

torch::Tensor ClipVisionTransformerImpl::forward(const torch::Tensor& pixel_values) {
  const auto& c = config;
  if (pixel_values.dim() != 4 || pixel_values.size(1) != c.num_channels || pixel_values.size(2) != c.image_size ||
      pixel_values.size(3) != c.image_size)
    throw Error("CLIP pixel_values must be [batch, " + std::to_string(c.num_channels) + ", " +
                std::to_string(c.image_size) + ", " + std::to_string(c.image_size) + "]");
  return encoder(pre_layrnorm(embeddings(pixel_values)), torch::Tensor());
}

torch::Tensor ClipVisionTransformerImpl::pooled(const torch::Tensor& pixel_values) {
  return post_layernorm(forward(pixel_values).select(1, 0));
}

ClipModelImpl::ClipModelImpl(const model_io::ClipConfig& c) : config(c) {
  config.validate();
  text_model = register_module("text_model", ClipTextTransformer(c.text));
  vision_model = register_module("vision_model", ClipVisionTransformer(c.vision));
  visual_projection = register_module("visual_projection", linear(c.vision.hidden_size, c.projection_dim, false));
  text_projection = register_module("text_projection", linear(c.text.hidden_size, c.projection_dim, false));
  logit_scale = register_parameter("logit_scale", torch::full({}, c.logit_scale_init_value));
}

torch::Tensor ClipModelImpl::image_features(const torch::Tensor& pixel_values) {
  return visual_projection(vision_model->pooled(pixel_values));
}

torch::Tensor ClipModelImpl::text_features(const torch::Tensor& input_ids, const torch::Tensor& attention_mask) {
  return text_projection(text_model->pool(text_model(input_ids, attention_mask), input_ids));
}

torch::Tensor ClipModelImpl::logits_per_image(const torch::Tensor& image_features, const torch::Tensor& text_features) const {
  auto norm = [](const torch::Tensor& x) { return x / x.norm(2, -1, true); };
  return torch::matmul(norm(image_features), norm(text_features).t()) * logit_scale.exp();
}

}  // namespace warcpairs::model
