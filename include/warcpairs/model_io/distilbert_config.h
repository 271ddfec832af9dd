// Hugging Face DistilBERT config.json: parse with transformers' defaults, validate, write back.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace warcpairs::model_io {

// Fields and defaults of transformers' DistilBertConfig (configuration_distilbert.py).
struct DistilBertConfig {
  int64_t vocab_size = 30522;
  int64_t max_position_embeddings = 512;
  bool sinusoidal_pos_embds = false;
  int64_t n_layers = 6;
  int64_t n_heads = 12;
  int64_t dim = 768;
  int64_t hidden_dim = 4 * 768;
  double dropout = 0.1;
  double attention_dropout = 0.1;
  std::string activation = "gelu";
  double initializer_range = 0.02;
  double qa_dropout = 0.1;
  double seq_classif_dropout = 0.2;
  int64_t pad_token_id = 0;
  std::string model_type = "distilbert";
  std::vector<std::string> architectures;  // e.g. {"DistilBertForQuestionAnswering"}
  // Keys not listed above (transformers_version, tie_weights_, id2label, ...): key → JSON text,
  // written back unchanged so a round trip loses nothing.
  std::map<std::string, std::string> extra;

  int64_t head_dim() const { return dim / n_heads; }
  // Throws warcpairs::UsageError listing every violated constraint.
  void validate(const std::string& source = "config.json") const;
};

// Activations the warcpairs model implements (a subset of transformers' ACT2FN).
bool is_supported_activation(std::string_view name);

// Parses config.json text. Accepts transformers' aliases hidden_size, num_attention_heads and
// num_hidden_layers (DistilBertConfig.attribute_map). Throws UsageError naming `source` and the
// field on malformed JSON, wrong types, a model_type other than "distilbert", or failed validate().
DistilBertConfig parse_distilbert_config(std::string_view json_text, const std::string& source = "config.json");
DistilBertConfig load_distilbert_config(const std::string& path);

// config.json as transformers writes it (json.dumps(indent=2, sort_keys=True) + "\n").
std::string distilbert_config_json(const DistilBertConfig& config);
void write_distilbert_config(const std::string& path, const DistilBertConfig& config);

}  // namespace warcpairs::model_io
