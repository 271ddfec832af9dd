// CLIPConfig config.json reading/writing with transformers' defaults, plus validation of both towers.
#include "warcpairs/model_io/clip_config.h"

#include <nlohmann/json.hpp>

#include <cmath>
#include <initializer_list>

#include "warcpairs/core/error.h"
#include "warcpairs/core/small_file.h"
#include "warcpairs/model_io/safetensors_writer.h"
#include "checkpoint_parts.h"

namespace warcpairs::model_io {
namespace {
using nlohmann::json;

using detail::FieldReader;

const json* sub_object(const json& j, const char* key, const std::string& source) {
  auto it = j.find(key);
  if (it == j.end() || it->is_null()) return nullptr;
  if (!it->is_object()) throw UsageError(source + ": '" + key + "' must be an object, got " + it->dump());
  return &*it;
}

ClipTextConfig parse_text(const json& j, const std::string& source, const char* key) {
  ClipTextConfig c;
  FieldReader r(j, source + ": '" + key + ".");
  r.integer("vocab_size", c.vocab_size);
  r.integer("hidden_size", c.hidden_size);
  r.integer("intermediate_size", c.intermediate_size);
  r.integer("projection_dim", c.projection_dim);
  r.integer("num_hidden_layers", c.num_hidden_layers);
  r.integer("num_attention_heads", c.num_attention_heads);
  r.integer("max_position_embeddings", c.max_position_embeddings);
  r.string("hidden_act", c.hidden_act);
  r.real("layer_norm_eps", c.layer_norm_eps);
  r.real("attention_dropout", c.attention_dropout);
  r.real("initializer_range", c.initializer_range);
  r.real("initializer_factor", c.initializer_factor);
  r.token_id("pad_token_id", c.pad_token_id);
  r.token_id("bos_token_id", c.bos_token_id);
  r.token_id("eos_token_id", c.eos_token_id);
  r.rest({"vocab_size", "hidden_size", "intermediate_size", "projection_dim", "num_hidden_layers",
          "num_attention_heads", "max_position_embeddings", "hidden_act", "layer_norm_eps", "attention_dropout",
          "initializer_range", "initializer_factor", "pad_token_id", "bos_token_id", "eos_token_id"},
         c.extra);
  return c;
}

ClipVisionConfig parse_vision(const json& j, const std::string& source, const char* key) {
  ClipVisionConfig c;
  FieldReader r(j, source + ": '" + key + ".");
  r.integer("hidden_size", c.hidden_size);
  r.integer("intermediate_size", c.intermediate_size);
  r.integer("projection_dim", c.projection_dim);
  r.integer("num_hidden_layers", c.num_hidden_layers);
  r.integer("num_attention_heads", c.num_attention_heads);
  r.integer("num_channels", c.num_channels);
  r.integer("image_size", c.image_size);
  r.integer("patch_size", c.patch_size);
  r.string("hidden_act", c.hidden_act);
  r.real("layer_norm_eps", c.layer_norm_eps);
  r.real("attention_dropout", c.attention_dropout);
  r.real("initializer_range", c.initializer_range);
  r.real("initializer_factor", c.initializer_factor);
  r.rest({"hidden_size", "intermediate_size", "projection_dim", "num_hidden_layers", "num_attention_heads",
          "num_channels", "image_size", "patch_size", "hidden_act", "layer_norm_eps", "attention_dropout",
          "initializer_range", "initializer_factor"},
         c.extra);
  return c;
}

// Checks shared by both towers; `tower` prefixes each message ("text_config.").
struct Problems {
  std::vector<std::string> list;
  void bounded(const std::string& key, int64_t v, int64_t limit) {
    // Upper bounds far above any CLIP (ViT-bigG: 1664 hidden, 48 layers) keep a hostile config
    // from asking for terabytes before the checkpoint is opened.
    if (v <= 0) list.push_back(key + " must be positive, got " + std::to_string(v));
    else if (v > limit) list.push_back(key + " " + std::to_string(v) + " exceeds the limit " + std::to_string(limit));
  }
  void tower(const std::string& t, int64_t hidden, int64_t inter, int64_t layers, int64_t heads,
             const std::string& act, double eps, double dropout) {
    bounded(t + "hidden_size", hidden, int64_t{1} << 16);
    bounded(t + "intermediate_size", inter, int64_t{1} << 18);
    bounded(t + "num_hidden_layers", layers, 1024);
    bounded(t + "num_attention_heads", heads, 1024);
    // CLIPAttention raises the same ValueError in modeling_clip.py.
    if (heads > 0 && hidden > 0 && hidden % heads != 0)
      list.push_back(t + "num_attention_heads " + std::to_string(heads) + " must divide hidden_size " +
                     std::to_string(hidden) + " evenly");
    if (!is_supported_clip_activation(act))
      list.push_back(t + "hidden_act \"" + act +
                     "\" is not one of quick_gelu, gelu, gelu_new, gelu_pytorch_tanh, relu, silu, swish");
    if (!(eps > 0.0) || !std::isfinite(eps)) list.push_back(t + "layer_norm_eps must be positive");
    if (!(dropout >= 0.0 && dropout < 1.0)) list.push_back(t + "attention_dropout must be in [0, 1)");
  }
};
}  // namespace

bool is_supported_clip_activation(std::string_view name) {
  return name == "quick_gelu" || name == "gelu" || name == "gelu_new" || name == "gelu_pytorch_tanh" ||
         name == "relu" || name == "silu" || name == "swish";
}

void ClipConfig::validate(const std::string& source) const {
  Problems p;
  const ClipTextConfig& t = text;
  p.tower("text_config.", t.hidden_size, t.intermediate_size, t.num_hidden_layers, t.num_attention_heads,
          t.hidden_act, t.layer_norm_eps, t.attention_dropout);
  p.bounded("text_config.vocab_size", t.vocab_size, int64_t{1} << 24);
  p.bounded("text_config.max_position_embeddings", t.max_position_embeddings, int64_t{1} << 16);
  if (t.pad_token_id < 0 || (t.vocab_size > 0 && t.pad_token_id >= t.vocab_size))
    p.list.push_back("text_config.pad_token_id " + std::to_string(t.pad_token_id) + " is outside the vocabulary");
  if (!t.legacy_eos() && (t.eos_token_id < 0 || (t.vocab_size > 0 && t.eos_token_id >= t.vocab_size)))
    p.list.push_back("text_config.eos_token_id " + std::to_string(t.eos_token_id) + " is outside the vocabulary");
  const ClipVisionConfig& v = vision;
  p.tower("vision_config.", v.hidden_size, v.intermediate_size, v.num_hidden_layers, v.num_attention_heads,
          v.hidden_act, v.layer_norm_eps, v.attention_dropout);
  p.bounded("vision_config.num_channels", v.num_channels, 64);
  p.bounded("vision_config.image_size", v.image_size, 8192);
  p.bounded("vision_config.patch_size", v.patch_size, 8192);
  if (v.patch_size > v.image_size)
    p.list.push_back("vision_config.patch_size " + std::to_string(v.patch_size) + " exceeds image_size " +
                     std::to_string(v.image_size));
  p.bounded("projection_dim", projection_dim, int64_t{1} << 16);
  if (!std::isfinite(logit_scale_init_value)) p.list.push_back("logit_scale_init_value must be finite");
  if (model_type != "clip") p.list.push_back("model_type is \"" + model_type + "\", not \"clip\"");
  detail::throw_if_invalid(p.list, source, "CLIP");
}

ClipConfig parse_clip_config(std::string_view json_text, const std::string& source) {
  const json j = detail::parse_config_object(json_text, source);
  ClipConfig c;
  // CLIPConfig.__init__: a non-null *_config_dict (configs before transformers 4.21) wins.
  const json empty = json::object();
  const json* text = sub_object(j, "text_config_dict", source);
  const char* text_key = text ? "text_config_dict" : "text_config";
  if (!text) text = sub_object(j, "text_config", source);
  const json* vision = sub_object(j, "vision_config_dict", source);
  const char* vision_key = vision ? "vision_config_dict" : "vision_config";
  if (!vision) vision = sub_object(j, "vision_config", source);
  c.text = parse_text(text ? *text : empty, source, text_key);
  c.vision = parse_vision(vision ? *vision : empty, source, vision_key);
  FieldReader r(j, source + ": '");
  r.integer("projection_dim", c.projection_dim);
  r.real("logit_scale_init_value", c.logit_scale_init_value);
  r.real("initializer_factor", c.initializer_factor);
  r.string("model_type", c.model_type);
  r.strings("architectures", c.architectures);
  r.rest({"text_config", "vision_config", "text_config_dict", "vision_config_dict", "projection_dim",
          "logit_scale_init_value", "initializer_factor", "model_type", "architectures"},
         c.extra);
  c.validate(source);
  return c;
}

ClipConfig load_clip_config(const std::string& path) {
  return parse_clip_config(read_small_file(path, "cannot open CLIP config", ReadBlame::usage), path);
}

std::string clip_config_json(const ClipConfig& c) {
  auto with_extra = [](const std::map<std::string, std::string>& extra) {
    json j = json::object();  // std::map-backed: keys come out sorted, as sort_keys=True does
    for (const auto& [key, text] : extra) j[key] = json::parse(text);
    return j;
  };
  json t = with_extra(c.text.extra);
  t["vocab_size"] = c.text.vocab_size;
  t["hidden_size"] = c.text.hidden_size;
  t["intermediate_size"] = c.text.intermediate_size;
  t["projection_dim"] = c.text.projection_dim;
  t["num_hidden_layers"] = c.text.num_hidden_layers;
  t["num_attention_heads"] = c.text.num_attention_heads;
  t["max_position_embeddings"] = c.text.max_position_embeddings;
  t["hidden_act"] = c.text.hidden_act;
  t["layer_norm_eps"] = c.text.layer_norm_eps;
  t["attention_dropout"] = c.text.attention_dropout;
  t["initializer_range"] = c.text.initializer_range;
  t["initializer_factor"] = c.text.initializer_factor;
  t["pad_token_id"] = c.text.pad_token_id;
  t["bos_token_id"] = c.text.bos_token_id;
  t["eos_token_id"] = c.text.eos_token_id;
  json v = with_extra(c.vision.extra);
  v["hidden_size"] = c.vision.hidden_size;
  v["intermediate_size"] = c.vision.intermediate_size;
  v["projection_dim"] = c.vision.projection_dim;
  v["num_hidden_layers"] = c.vision.num_hidden_layers;
  v["num_attention_heads"] = c.vision.num_attention_heads;
  v["num_channels"] = c.vision.num_channels;
  v["image_size"] = c.vision.image_size;
  v["patch_size"] = c.vision.patch_size;
  v["hidden_act"] = c.vision.hidden_act;
  v["layer_norm_eps"] = c.vision.layer_norm_eps;
  v["attention_dropout"] = c.vision.attention_dropout;
  v["initializer_range"] = c.vision.initializer_range;
  v["initializer_factor"] = c.vision.initializer_factor;
  json j = with_extra(c.extra);
  j["text_config"] = std::move(t);
  j["vision_config"] = std::move(v);
  j["projection_dim"] = c.projection_dim;
  j["logit_scale_init_value"] = c.logit_scale_init_value;
  j["initializer_factor"] = c.initializer_factor;
  j["model_type"] = c.model_type;
  j["architectures"] = c.architectures.empty() ? json(nullptr) : json(c.architectures);
  return j.dump(2, ' ', /*ensure_ascii=*/true) + "\n";
}

void write_clip_config(const std::string& path, const ClipConfig& config) {
  config.validate(path);
  const std::string text = clip_config_json(config);
  const std::span<const std::byte> part(reinterpret_cast<const std::byte*>(text.data()), text.size());
  write_file_atomically(path, std::span(&part, 1));
}

}  // namespace warcpairs::model_io
