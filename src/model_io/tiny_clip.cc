// Deterministic random CLIPModel checkpoints (config.json + model.safetensors) for tests and benchmarks.
#include "warcpairs/model_io/tiny_clip.h"

#include <cmath>
#include <cstring>
#include <filesystem>

#include "warcpairs/core/error.h"
#include "warcpairs/model_io/clip_checkpoint.h"
#include "warcpairs/model_io/safetensors_writer.h"
#include "checkpoint_parts.h"

namespace warcpairs::model_io {
namespace {
using detail::Normal;


bool is_layer_norm(const std::string& name) {
  return name.find("layer_norm") != std::string::npos || name.find("layernorm") != std::string::npos ||
         name.find("pre_layrnorm") != std::string::npos;
}

std::vector<std::byte> position_ids(int64_t n) {  // int64 [1, n]: 0, 1, ..., n-1
  std::vector<std::byte> out(static_cast<size_t>(n) * 8);
  for (int64_t i = 0; i < n; ++i) std::memcpy(&out[static_cast<size_t>(i) * 8], &i, 8);
  return out;
}
}  // namespace

ClipConfig TinyClipOptions::tiny_clip_config() {
  ClipConfig c;
  c.text.vocab_size = 64;
  c.text.hidden_size = 32;
  c.text.intermediate_size = 48;
  c.text.num_hidden_layers = 2;
  c.text.num_attention_heads = 4;
  c.text.max_position_embeddings = 16;
  c.text.pad_token_id = 1;
  c.text.bos_token_id = 62;
  c.text.eos_token_id = 63;
  c.vision.hidden_size = 48;
  c.vision.intermediate_size = 64;
  c.vision.num_hidden_layers = 2;
  c.vision.num_attention_heads = 4;
  c.vision.image_size = 16;
  c.vision.patch_size = 4;
  c.projection_dim = 24;
  c.text.projection_dim = c.vision.projection_dim = c.projection_dim;
  c.architectures = {"CLIPModel"};
  return c;
}

ClipConfig TinyClipOptions::clip_vit_b32_sizes() {
  ClipConfig c;  // transformers' defaults are openai/clip-vit-base-patch32's sizes
  c.architectures = {"CLIPModel"};
  return c;
}

ClipConfig write_tiny_clip(const std::string& dir, const TinyClipOptions& o) {
  if (o.dtype != Dtype::kF32 && o.dtype != Dtype::kF16 && o.dtype != Dtype::kBF16)
    throw UsageError("tiny CLIP checkpoint dtype must be F32, F16 or BF16");
  const ClipConfig& c = o.config;
  c.validate(dir + "/config.json");
  std::filesystem::create_directories(dir);
  Normal rng(o.seed);
  const std::vector<ExpectedTensor> table = clip_tensors(c);
  std::vector<std::vector<std::byte>> storage(table.size() + 2);  // spans below point into it
  std::vector<TensorToWrite> tensors;
  std::vector<float> v;
  for (size_t k = 0; k < table.size(); ++k) {
    const ExpectedTensor& t = table[k];
    int64_t numel = 1;
    for (int64_t d : t.shape) numel *= d;
    v.assign(static_cast<size_t>(numel), 0.0f);
    const double std = (t.name.starts_with("text") ? c.text.initializer_range : c.vision.initializer_range);
    if (t.name == "logit_scale") v[0] = static_cast<float>(c.logit_scale_init_value);
    else if (is_layer_norm(t.name)) std::fill(v.begin(), v.end(), t.name.ends_with(".weight") ? 1.0f : 0.0f);
    else for (float& x : v) x = rng.next(std);
    detail::encode_floats(v, o.dtype, storage[k]);
    tensors.push_back({t.name, o.dtype, t.shape, storage[k]});
  }
  if (o.write_position_ids) {
    storage[table.size()] = position_ids(c.text.max_position_embeddings);
    tensors.push_back({"text_model.embeddings.position_ids", Dtype::kI64, {1, c.text.max_position_embeddings},
                       storage[table.size()]});
    storage[table.size() + 1] = position_ids(c.vision.num_positions());
    tensors.push_back({"vision_model.embeddings.position_ids", Dtype::kI64, {1, c.vision.num_positions()},
                       storage[table.size() + 1]});
  }
  write_safetensors(dir + "/model.safetensors", tensors, pytorch_metadata());
  write_clip_config(dir + "/config.json", c);
  return c;
}

}  // namespace warcpairs::model_io
