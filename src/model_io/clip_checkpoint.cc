// CLIPModel's parameter table (modeling_clip.py) and the checkpoint checker built on it.
#include "warcpairs/model_io/clip_checkpoint.h"

#include <algorithm>
#include <set>

#include "checkpoint_parts.h"
#include "warcpairs/model_io/dtype.h"

namespace warcpairs::model_io {
namespace {
// CLIPEncoder: layers.N.{self_attn.{k,v,q,out}_proj, layer_norm1, mlp.fc1, mlp.fc2, layer_norm2}.
void encoder(std::vector<ExpectedTensor>& t, const std::string& prefix, int64_t layers, int64_t hidden,
             int64_t inter) {
  for (int64_t i = 0; i < layers; ++i) {
    const std::string l = prefix + "encoder.layers." + std::to_string(i) + ".";
    for (const char* proj : {"k_proj", "v_proj", "q_proj", "out_proj"}) {  // CLIPAttention order
      t.push_back({l + "self_attn." + proj + ".weight", {hidden, hidden}});
      t.push_back({l + "self_attn." + proj + ".bias", {hidden}});
    }
    t.push_back({l + "layer_norm1.weight", {hidden}});
    t.push_back({l + "layer_norm1.bias", {hidden}});
    t.push_back({l + "mlp.fc1.weight", {inter, hidden}});
    t.push_back({l + "mlp.fc1.bias", {inter}});
    t.push_back({l + "mlp.fc2.weight", {hidden, inter}});
    t.push_back({l + "mlp.fc2.bias", {hidden}});
    t.push_back({l + "layer_norm2.weight", {hidden}});
    t.push_back({l + "layer_norm2.bias", {hidden}});
  }
}

void layer_norm(std::vector<ExpectedTensor>& t, const std::string& name, int64_t dim) {
  t.push_back({name + ".weight", {dim}});
  t.push_back({name + ".bias", {dim}});
}

// The buffers nn.Module registered as persistent before transformers 4.31: int64 [1, n].
bool is_position_ids(const std::string& name) {
  return name == "text_model.embeddings.position_ids" || name == "vision_model.embeddings.position_ids";
}
}  // namespace

std::vector<ExpectedTensor> clip_tensors(const ClipConfig& c) {
  std::vector<ExpectedTensor> t;
  t.push_back({"logit_scale", {}});
  const ClipTextConfig& tx = c.text;
  t.push_back({"text_model.embeddings.token_embedding.weight", {tx.vocab_size, tx.hidden_size}});
  t.push_back({"text_model.embeddings.position_embedding.weight", {tx.max_position_embeddings, tx.hidden_size}});
  encoder(t, "text_model.", tx.num_hidden_layers, tx.hidden_size, tx.intermediate_size);
  layer_norm(t, "text_model.final_layer_norm", tx.hidden_size);
  const ClipVisionConfig& v = c.vision;
  t.push_back({"vision_model.embeddings.class_embedding", {v.hidden_size}});
  t.push_back({"vision_model.embeddings.patch_embedding.weight", {v.hidden_size, v.num_channels, v.patch_size, v.patch_size}});
  t.push_back({"vision_model.embeddings.position_embedding.weight", {v.num_positions(), v.hidden_size}});
  layer_norm(t, "vision_model.pre_layrnorm", v.hidden_size);  // sic, as in modeling_clip.py
  encoder(t, "vision_model.", v.num_hidden_layers, v.hidden_size, v.intermediate_size);
  layer_norm(t, "vision_model.post_layernorm", v.hidden_size);
  t.push_back({"visual_projection.weight", {c.projection_dim, v.hidden_size}});
  t.push_back({"text_projection.weight", {c.projection_dim, tx.hidden_size}});
  return t;
}

ClipCheckpointReport check_clip_checkpoint(const SafetensorsView& file, const ClipConfig& config) {
  ClipCheckpointReport r;
  std::set<std::string> matched;
  for (const ExpectedTensor& want : clip_tensors(config)) {
    const auto got = file.find(want.name);
    if (!got) {
      r.missing.push_back(want.name);
      continue;
    }
    matched.insert(want.name);
    detail::check_stored(want.name, *got, want.shape, r.mismatched);
  }
  for (const std::string& name : file.names()) {
    if (matched.count(name)) continue;
    (is_position_ids(name) ? r.ignored : r.unexpected).push_back(name);
  }
  std::sort(r.missing.begin(), r.missing.end());
  return r;
}

std::string ClipCheckpointReport::describe() const {
  std::string s;
  detail::list_names(s, "missing from the checkpoint", missing);
  detail::list_mismatched(s, mismatched);
  detail::list_names(s, "unexpected in the checkpoint", unexpected);
  detail::list_names(s, "ignored buffers", ignored);
  return s.empty() ? "checkpoint matches CLIPModel\n" : s;
}

}  // namespace warcpairs::model_io
