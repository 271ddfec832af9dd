// The tensor names and shapes of Hugging Face's CLIPModel, and a checker for CLIP checkpoints.
#pragma once

#include <string>
#include <vector>

#include "warcpairs/model_io/clip_config.h"
#include "warcpairs/model_io/distilbert_checkpoint.h"  // ExpectedTensor, TensorProblem
#include "warcpairs/model_io/safetensors.h"

namespace warcpairs::model_io {

// Parameters of CLIPModel (modeling_clip.py) in its module order: logit_scale (shape []),
// text_model.{embeddings, encoder.layers.N, final_layer_norm}, vision_model.{embeddings,
// pre_layrnorm, encoder.layers.N, post_layernorm}, visual_projection.weight, text_projection.weight
// (both without bias). Linear weights are [out, in]; patch_embedding is [hidden, channels, p, p].
std::vector<ExpectedTensor> clip_tensors(const ClipConfig& config);

struct ClipCheckpointReport {
  std::vector<std::string> missing;       // CLIPModel parameters absent
  std::vector<TensorProblem> mismatched;  // wrong shape or non-float dtype
  std::vector<std::string> unexpected;    // names CLIPModel does not have
  std::vector<std::string> ignored;       // *.position_ids buffers (persistent in old transformers)

  bool ok() const { return missing.empty() && mismatched.empty() && unexpected.empty(); }
  std::string describe() const;  // every problem by name
};

ClipCheckpointReport check_clip_checkpoint(const SafetensorsView& file, const ClipConfig& config);

}  // namespace warcpairs::model_io
