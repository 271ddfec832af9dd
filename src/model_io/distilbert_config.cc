// DistilBERT config.json reading/writing with transformers' defaults and aliases, plus validation.
#include "warcpairs/model_io/distilbert_config.h"

#include <nlohmann/json.hpp>

#include <cmath>

#include "warcpairs/core/error.h"
#include "warcpairs/core/small_file.h"
#include "warcpairs/model_io/safetensors_writer.h"
#include "checkpoint_parts.h"

namespace warcpairs::model_io {
namespace {
using nlohmann::json;

const char* const kKnown[] = {"vocab_size", "max_position_embeddings", "sinusoidal_pos_embds", "n_layers",
                              "n_heads", "dim", "hidden_dim", "dropout", "attention_dropout", "activation",
                              "initializer_range", "qa_dropout", "seq_classif_dropout", "pad_token_id",
                              "model_type", "architectures", "hidden_size", "num_attention_heads",
                              "num_hidden_layers"};

using detail::FieldReader;
}  // namespace

bool is_supported_activation(std::string_view name) {
  return name == "gelu" || name == "relu" || name == "gelu_new" || name == "gelu_pytorch_tanh" ||
         name == "silu" || name == "swish";
}

void DistilBertConfig::validate(const std::string& source) const {
  std::vector<std::string> problems;
  // Upper bounds far above any DistilBERT (30522 × 768, 6 layers) keep a hostile config from
  // asking for terabytes before the checkpoint is even opened.
  auto bounded = [&](const char* key, int64_t v, int64_t limit) {
    if (v <= 0) problems.push_back(std::string(key) + " must be positive, got " + std::to_string(v));
    else if (v > limit) problems.push_back(std::string(key) + " " + std::to_string(v) + " exceeds the limit " + std::to_string(limit));
  };
  bounded("vocab_size", vocab_size, int64_t{1} << 24);
  bounded("max_position_embeddings", max_position_embeddings, int64_t{1} << 20);
  bounded("n_layers", n_layers, 1024);
  bounded("n_heads", n_heads, 1024);
  bounded("dim", dim, int64_t{1} << 16);
  bounded("hidden_dim", hidden_dim, int64_t{1} << 18);
  // MultiHeadSelfAttention raises the same ValueError in modeling_distilbert.py.
  if (n_heads > 0 && dim > 0 && dim % n_heads != 0)
    problems.push_back("n_heads " + std::to_string(n_heads) + " must divide dim " + std::to_string(dim) + " evenly");
  // nn.Embedding(vocab_size, dim, padding_idx=pad_token_id) asserts padding_idx < num_embeddings.
  if (pad_token_id < 0 || (vocab_size > 0 && pad_token_id >= vocab_size))
    problems.push_back("'pad_token_id' " + std::to_string(pad_token_id) + " is outside the vocabulary [0, " +
                       std::to_string(vocab_size) + ")");
  const std::pair<const char*, double> probs[] = {{"dropout", dropout},
                                                  {"attention_dropout", attention_dropout},
                                                  {"qa_dropout", qa_dropout},
                                                  {"seq_classif_dropout", seq_classif_dropout}};
  for (const auto& [key, p] : probs)
    if (!(p >= 0.0 && p < 1.0))
      problems.push_back(std::string(key) + " must be a probability in [0, 1), got " + std::to_string(p));
  if (!(initializer_range > 0.0) || !std::isfinite(initializer_range))
    problems.push_back("'initializer_range' must be positive, got " + std::to_string(initializer_range));
  if (!is_supported_activation(activation))
    problems.push_back("'activation' \"" + activation + "\" is not one of gelu, gelu_new, gelu_pytorch_tanh, relu, silu, swish");
  if (model_type != "distilbert") problems.push_back("'model_type' is \"" + model_type + "\", not \"distilbert\"");
  detail::throw_if_invalid(problems, source, "DistilBERT");
}

DistilBertConfig parse_distilbert_config(std::string_view json_text, const std::string& source) {
  const json j = detail::parse_config_object(json_text, source);
  DistilBertConfig c;
  FieldReader r(j, source + ": '");
  r.integer("vocab_size", c.vocab_size);
  r.integer("max_position_embeddings", c.max_position_embeddings);
  r.boolean("sinusoidal_pos_embds", c.sinusoidal_pos_embds);
  r.integer_alias("n_layers", "num_hidden_layers", c.n_layers);
  r.integer_alias("n_heads", "num_attention_heads", c.n_heads);
  r.integer_alias("dim", "hidden_size", c.dim);
  r.integer("hidden_dim", c.hidden_dim);
  r.real("dropout", c.dropout);
  r.real("attention_dropout", c.attention_dropout);
  r.string("activation", c.activation);
  r.real("initializer_range", c.initializer_range);
  r.real("qa_dropout", c.qa_dropout);
  r.real("seq_classif_dropout", c.seq_classif_dropout);
  r.integer("pad_token_id", c.pad_token_id);
  r.string("model_type", c.model_type);
  r.strings("architectures", c.architectures);
  for (auto& [key, value] : j.items()) {
    bool known = false;
    for (const char* k : kKnown) known = known || key == k;
    if (!known) c.extra.emplace(key, value.dump());
  }
  c.validate(source);
  return c;
}

DistilBertConfig load_distilbert_config(const std::string& path) {
  return parse_distilbert_config(read_small_file(path, "cannot open DistilBERT config", ReadBlame::usage), path);
}

std::string distilbert_config_json(const DistilBertConfig& c) {
  json j = json::object();  // std::map-backed: keys come out sorted, as sort_keys=True does
  for (const auto& [key, text] : c.extra) j[key] = json::parse(text);
  j["vocab_size"] = c.vocab_size;
  j["max_position_embeddings"] = c.max_position_embeddings;
  j["sinusoidal_pos_embds"] = c.sinusoidal_pos_embds;
  j["n_layers"] = c.n_layers;
  j["n_heads"] = c.n_heads;
  j["dim"] = c.dim;
  j["hidden_dim"] = c.hidden_dim;
  j["dropout"] = c.dropout;
  j["attention_dropout"] = c.attention_dropout;
  j["activation"] = c.activation;
  j["initializer_range"] = c.initializer_range;
  j["qa_dropout"] = c.qa_dropout;
  j["seq_classif_dropout"] = c.seq_classif_dropout;
  j["pad_token_id"] = c.pad_token_id;
  j["model_type"] = c.model_type;
  j["architectures"] = c.architectures.empty() ? json(nullptr) : json(c.architectures);
  return j.dump(2, ' ', /*ensure_ascii=*/true) + "\n";  // json.dumps escapes non-ASCII too
}

void write_distilbert_config(const std::string& path, const DistilBertConfig& config) {
  config.validate(path);
  const std::string text = distilbert_config_json(config);
  const std::span<const std::byte> part(reinterpret_cast<const std::byte*>(text.data()), text.size());
  write_file_atomically(path, std::span(&part, 1));
}

}  // namespace warcpairs::model_io
