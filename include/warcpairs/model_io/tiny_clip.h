// Generates random CLIPModel checkpoints in Hugging Face layout (tiny ones for tests, full-size for benchmarks).
#pragma once

#include <cstdint>
#include <string>

#include "warcpairs/model_io/clip_config.h"
#include "warcpairs/model_io/dtype.h"

namespace warcpairs::model_io {

struct TinyClipOptions {
  uint64_t seed = 0;
  // The sizes; the defaults are tiny. clip_vit_b32_sizes() gives openai/clip-vit-base-patch32's.
  ClipConfig config = tiny_clip_config();
  Dtype dtype = Dtype::kF32;          // F32, F16 or BF16
  bool write_position_ids = false;    // add the int64 *.position_ids buffers older checkpoints hold

  static ClipConfig tiny_clip_config();  // 2+2 layers, hidden 32/48, patch 4 on 16×16, vocab 64
  static ClipConfig clip_vit_b32_sizes();
};

// Writes into `dir` (created if needed) config.json (architectures CLIPModel) and
// model.safetensors with every tensor of clip_tensors. Weights ~ N(0, initializer_range ·
// factor) from a seeded SplitMix64 (bit-identical everywhere), LayerNorm weight 1 and bias 0,
// logit_scale = logit_scale_init_value. Same options, same bytes. Returns the config written.
ClipConfig write_tiny_clip(const std::string& dir, const TinyClipOptions& options);

}  // namespace warcpairs::model_io
