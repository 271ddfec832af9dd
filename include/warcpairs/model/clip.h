// CLIPModel (text and vision towers with projections) in LibTorch, named like transformers' modeling_clip.py.
#pragma once

// Only the model layer includes this header: it pulls in LibTorch (~15 s per translation unit).
#include <torch/nn/module.h>
#include <torch/nn/modules/container/modulelist.h>
#include <torch/nn/modules/conv.h>
#include <torch/nn/modules/embedding.h>
#include <torch/nn/modules/linear.h>
#include <torch/nn/modules/normalization.h>
#include <torch/types.h>

#include <string>

#include "warcpairs/model_io/clip_checkpoint.h"
#include "warcpairs/model_io/clip_config.h"
#include "warcpairs/model_io/safetensors.h"

namespace warcpairs::model {

// Every register_module / register_parameter name equals the attribute name in modeling_clip.py,
// so named_parameters() yields CLIPModel's state_dict keys (model_io::clip_tensors) and a
// checkpoint loads by walking it. Dropout is left out: attention_dropout only acts in training,
// and this port is for inference.

// The activations of ACT2FN a CLIP config may name; quick_gelu is x·σ(1.702·x).
torch::Tensor clip_activation(const std::string& name, const torch::Tensor& x);

// Settings one encoder needs, taken from either tower's config.
struct ClipTowerShape {
  int64_t hidden_size, intermediate_size, num_hidden_layers, num_attention_heads;
  std::string hidden_act;
  double layer_norm_eps;
};

// CLIPAttention: multi-head scaled dot product, q scaled by head_dim^-0.5.
struct ClipAttentionImpl : torch::nn::Module {
  explicit ClipAttentionImpl(const ClipTowerShape& s);
  // x [B,T,D]; blocked [B or 1, 1, T, T] bool, true = key hidden from query (undefined: none).
  torch::Tensor forward(const torch::Tensor& x, const torch::Tensor& blocked);

  int64_t num_heads;
  torch::nn::Linear k_proj{nullptr}, v_proj{nullptr}, q_proj{nullptr}, out_proj{nullptr};
};
TORCH_MODULE(ClipAttention);

// CLIPMLP: fc2(act(fc1(x))).
struct ClipMlpImpl : torch::nn::Module {
  explicit ClipMlpImpl(const ClipTowerShape& s);
  torch::Tensor forward(const torch::Tensor& x);

  std::string hidden_act;
  torch::nn::Linear fc1{nullptr}, fc2{nullptr};
};
TORCH_MODULE(ClipMlp);

// CLIPEncoderLayer, pre-LN: x += self_attn(layer_norm1(x)); x += mlp(layer_norm2(x)).
struct ClipEncoderLayerImpl : torch::nn::Module {
  explicit ClipEncoderLayerImpl(const ClipTowerShape& s);
  torch::Tensor forward(const torch::Tensor& x, const torch::Tensor& blocked);

  ClipAttention self_attn{nullptr};
  torch::nn::LayerNorm layer_norm1{nullptr};
  ClipMlp mlp{nullptr};
  torch::nn::LayerNorm layer_norm2{nullptr};
};
TORCH_MODULE(ClipEncoderLayer);

struct ClipEncoderImpl : torch::nn::Module {
  explicit ClipEncoderImpl(const ClipTowerShape& s);
  torch::Tensor forward(torch::Tensor x, const torch::Tensor& blocked);

  torch::nn::ModuleList layers{nullptr};
};
TORCH_MODULE(ClipEncoder);

// CLIPTextEmbeddings: token_embedding(ids) + position_embedding(0..T-1).
struct ClipTextEmbeddingsImpl : torch::nn::Module {
  explicit ClipTextEmbeddingsImpl(const model_io::ClipTextConfig& c);
  torch::Tensor forward(const torch::Tensor& input_ids);

  torch::nn::Embedding token_embedding{nullptr}, position_embedding{nullptr};
};
TORCH_MODULE(ClipTextEmbeddings);

// CLIPTextTransformer: embeddings, causal (+ padding) masked encoder, final_layer_norm.
struct ClipTextTransformerImpl : torch::nn::Module {
  explicit ClipTextTransformerImpl(const model_io::ClipTextConfig& c);
  // input_ids [B,T] int64; attention_mask [B,T] (1 token, 0 padding) or undefined → [B,T,D]
  // last_hidden_state, after final_layer_norm.
  torch::Tensor forward(const torch::Tensor& input_ids, const torch::Tensor& attention_mask = {});
  // The pooled output [B,D]: the hidden state at each row's EOS, found as transformers does:
  // argmax(input_ids) when eos_token_id == 2 (configs before PR #24773), else the first position
  // holding eos_token_id (0 when there is none).
  torch::Tensor pool(const torch::Tensor& last_hidden_state, const torch::Tensor& input_ids) const;
  torch::Tensor eos_positions(const torch::Tensor& input_ids) const;  // [B] int64

  model_io::ClipTextConfig config;
  ClipTextEmbeddings embeddings{nullptr};
  ClipEncoder encoder{nullptr};
  torch::nn::LayerNorm final_layer_norm{nullptr};
};
TORCH_MODULE(ClipTextTransformer);

// CLIPVisionEmbeddings: [class_embedding; patch_embedding(pixels) as tokens] + position_embedding.
struct ClipVisionEmbeddingsImpl : torch::nn::Module {
  explicit ClipVisionEmbeddingsImpl(const model_io::ClipVisionConfig& c);
  torch::Tensor forward(const torch::Tensor& pixel_values);  // [B,C,S,S] → [B,1+patches,D]

  torch::Tensor class_embedding;                 // [D]
  torch::nn::Conv2d patch_embedding{nullptr};    // kernel = stride = patch_size, no bias
  torch::nn::Embedding position_embedding{nullptr};
};
TORCH_MODULE(ClipVisionEmbeddings);

// CLIPVisionTransformer: embeddings, pre_layrnorm (sic), encoder, post_layernorm of the CLS token.
struct ClipVisionTransformerImpl : torch::nn::Module {
  explicit ClipVisionTransformerImpl(const model_io::ClipVisionConfig& c);
  torch::Tensor forward(const torch::Tensor& pixel_values);  // → last_hidden_state [B,1+patches,D]
  torch::Tensor pooled(const torch::Tensor& pixel_values);   // → post_layernorm(CLS) [B,D]

  model_io::ClipVisionConfig config;
  ClipVisionEmbeddings embeddings{nullptr};
  torch::nn::LayerNorm pre_layrnorm{nullptr};  // NOLINT: the Hugging Face name
  ClipEncoder encoder{nullptr};
  torch::nn::LayerNorm post_layernorm{nullptr};
};
TORCH_MODULE(ClipVisionTransformer);

// CLIPModel.
struct ClipModelImpl : torch::nn::Module {
  explicit ClipModelImpl(const model_io::ClipConfig& c);
  // get_image_features / get_text_features: projected, not normalised, [B,projection_dim].
  torch::Tensor image_features(const torch::Tensor& pixel_values);
  torch::Tensor text_features(const torch::Tensor& input_ids, const torch::Tensor& attention_mask = {});
  // CLIPModel.forward's logits_per_image [images, texts]: exp(logit_scale) · cosine similarity.
  torch::Tensor logits_per_image(const torch::Tensor& image_features, const torch::Tensor& text_features) const;

  model_io::ClipConfig config;
  ClipTextTransformer text_model{nullptr};
  ClipVisionTransformer vision_model{nullptr};
  torch::nn::Linear visual_projection{nullptr}, text_projection{nullptr};  // no bias
  torch::Tensor logit_scale;  // shape []
};
TORCH_MODULE(ClipModel);

// Copies every tensor of `file` into `model` by walking named_parameters() (the Hugging Face
// names); F32, F16, BF16 and F64 convert to the parameter's dtype and device; *.position_ids
// buffers are ignored. Missing, unexpected or mis-shaped tensors throw one warcpairs::Error
// listing them all by name; nothing is copied then.
model_io::ClipCheckpointReport load_clip_weights(ClipModelImpl& model, const model_io::SafetensorsView& file);
// config.json + model.safetensors → a CLIPModel in eval mode on the CPU.
ClipModel load_clip(const std::string& dir);
// Writes config.json (architectures CLIPModel) and model.safetensors (F32, Hugging Face names).
void save_clip(const ClipModelImpl& model, const std::string& dir);

}  // namespace warcpairs::model
