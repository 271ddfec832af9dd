// Hugging Face CLIPConfig config.json (text_config + vision_config): parse with transformers' defaults, validate, write back.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace warcpairs::model_io {

// Fields and defaults of transformers' CLIPTextConfig (configuration_clip.py).
struct ClipTextConfig {
  int64_t vocab_size = 49408;
  int64_t hidden_size = 512;
  int64_t intermediate_size = 2048;
  int64_t projection_dim = 512;  // used by CLIPTextModelWithProjection only; CLIPModel uses the top level
  int64_t num_hidden_layers = 12;
  int64_t num_attention_heads = 8;
  int64_t max_position_embeddings = 77;
  std::string hidden_act = "quick_gelu";
  double layer_norm_eps = 1e-5;
  double attention_dropout = 0.0;
  double initializer_range = 0.02;
  double initializer_factor = 1.0;
  int64_t pad_token_id = 1;
  int64_t bos_token_id = 49406;
  // 2 in configs written before transformers PR #24773 (openai/clip-vit-*): the pooled output is
  // then taken at argmax(input_ids), which is <|endoftext|> as the highest id of the vocabulary.
  int64_t eos_token_id = 49407;
  std::map<std::string, std::string> extra;  // other keys → JSON text, written back unchanged

  int64_t head_dim() const { return hidden_size / num_attention_heads; }
  bool legacy_eos() const { return eos_token_id == 2; }
};

// Fields and defaults of transformers' CLIPVisionConfig.
struct ClipVisionConfig {
  int64_t hidden_size = 768;
  int64_t intermediate_size = 3072;
  int64_t projection_dim = 512;
  int64_t num_hidden_layers = 12;
  int64_t num_attention_heads = 12;
  int64_t num_channels = 3;
  int64_t image_size = 224;
  int64_t patch_size = 32;
  std::string hidden_act = "quick_gelu";
  double layer_norm_eps = 1e-5;
  double attention_dropout = 0.0;
  double initializer_range = 0.02;
  double initializer_factor = 1.0;
  std::map<std::string, std::string> extra;

  int64_t head_dim() const { return hidden_size / num_attention_heads; }
  // CLIPVisionEmbeddings: (image_size // patch_size) ** 2 patches, plus the class token.
  int64_t num_patches() const { return (image_size / patch_size) * (image_size / patch_size); }
  int64_t num_positions() const { return num_patches() + 1; }
};

// transformers' CLIPConfig.
struct ClipConfig {
  ClipTextConfig text;
  ClipVisionConfig vision;
  int64_t projection_dim = 512;
  double logit_scale_init_value = 2.6592;  // log(1 / 0.07)
  double initializer_factor = 1.0;
  std::string model_type = "clip";
  std::vector<std::string> architectures;  // e.g. {"CLIPModel"}
  std::map<std::string, std::string> extra;  // top-level keys not listed above

  // Throws warcpairs::UsageError listing every violated constraint (both towers).
  void validate(const std::string& source = "config.json") const;
};

// Activations the CLIP model implements: quick_gelu (x·σ(1.702x)), gelu, gelu_new,
// gelu_pytorch_tanh, relu, silu, swish.
bool is_supported_clip_activation(std::string_view name);

// Parses config.json text. Missing text_config / vision_config take every default. Old configs'
// text_config_dict / vision_config_dict, when not null, override the sub-configs as
// CLIPConfig.__init__ does (and are not written back). Throws UsageError naming `source` and the
// field on malformed JSON, wrong types, a model_type other than "clip", or failed validate().
ClipConfig parse_clip_config(std::string_view json_text, const std::string& source = "config.json");
ClipConfig load_clip_config(const std::string& path);

// config.json as transformers writes it (indent 2, sorted keys, trailing newline).
std::string clip_config_json(const ClipConfig& config);
void write_clip_config(const std::string& path, const ClipConfig& config);

}  // namespace warcpairs::model_io
