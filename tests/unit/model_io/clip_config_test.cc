// CLIP config.json parsing/validation/writing (openai/clip-vit-base-patch32's real config), the
// CLIPModel tensor table, the checkpoint checker on good and bad checkpoints, and the generator.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <set>

#include "test_files.h"
#include "warcpairs/core/error.h"
#include "warcpairs/model_io/clip_checkpoint.h"
#include "warcpairs/model_io/clip_config.h"
#include "warcpairs/model_io/safetensors_writer.h"
#include "warcpairs/model_io/tiny_clip.h"

using namespace warcpairs;
using namespace warcpairs::model_io;
using namespace model_io_test;

namespace {
// config.json of openai/clip-vit-base-patch32 as on the hub (written by transformers 4.16:
// every PretrainedConfig key in each tower, eos_token_id 2, *_config_dict null).
const std::string kOpenaiB32 = WARCPAIRS_SOURCE_DIR "/tests/unit/model_io/data/clip-vit-base-patch32.config.json";

void expect_usage_error(std::string_view json, const std::string& needle) {
  try {
    parse_clip_config(json, "cfg.json");
    FAIL() << "accepted; expected: " << needle;
  } catch (const UsageError& e) {
    EXPECT_NE(std::string(e.what()).find(needle), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("cfg.json"), std::string::npos) << e.what();
  }
}

int64_t numel(const std::vector<int64_t>& shape) {
  int64_t n = 1;
  for (int64_t d : shape) n *= d;
  return n;
}
}  // namespace

TEST(ClipConfig, OpenaiVitB32) {
  const ClipConfig c = load_clip_config(kOpenaiB32);
  EXPECT_EQ(c.text.vocab_size, 49408);
  EXPECT_EQ(c.text.hidden_size, 512);
  EXPECT_EQ(c.text.intermediate_size, 2048);
  EXPECT_EQ(c.text.num_hidden_layers, 12);
  EXPECT_EQ(c.text.num_attention_heads, 8);
  EXPECT_EQ(c.text.max_position_embeddings, 77);
  EXPECT_EQ(c.text.hidden_act, "quick_gelu");
  EXPECT_DOUBLE_EQ(c.text.layer_norm_eps, 1e-5);
  EXPECT_EQ(c.text.eos_token_id, 2);  // the pre-#24773 value: pooling at argmax(input_ids)
  EXPECT_TRUE(c.text.legacy_eos());
  EXPECT_EQ(c.text.bos_token_id, 0);
  EXPECT_EQ(c.text.pad_token_id, 1);
  EXPECT_EQ(c.vision.hidden_size, 768);
  EXPECT_EQ(c.vision.intermediate_size, 3072);
  EXPECT_EQ(c.vision.num_attention_heads, 12);
  EXPECT_EQ(c.vision.image_size, 224);
  EXPECT_EQ(c.vision.patch_size, 32);
  EXPECT_EQ(c.vision.num_positions(), 50);  // 7·7 patches + CLS
  EXPECT_EQ(c.projection_dim, 512);
  EXPECT_DOUBLE_EQ(c.logit_scale_init_value, 2.6592);
  EXPECT_EQ(c.architectures, std::vector<std::string>{"CLIPModel"});
  // PretrainedConfig's generic keys stay as extras; the null bos/eos of the vision tower too.
  EXPECT_EQ(c.text.extra.at("model_type"), "\"clip_text_model\"");
  EXPECT_EQ(c.vision.extra.at("eos_token_id"), "null");
  EXPECT_EQ(c.extra.at("_name_or_path"), "\"openai/clip-vit-base-patch32\"");
  EXPECT_EQ(c.extra.count("text_config_dict"), 0u);  // consumed, as CLIPConfig.__init__ pops it
}

TEST(ClipConfig, DefaultsAreTransformers) {
  const ClipConfig c = parse_clip_config(R"({"model_type": "clip"})");
  EXPECT_EQ(c.text.eos_token_id, 49407);
  EXPECT_FALSE(c.text.legacy_eos());
  EXPECT_EQ(c.text.bos_token_id, 49406);
  EXPECT_EQ(c.text.hidden_size, 512);
  EXPECT_EQ(c.vision.hidden_size, 768);
  EXPECT_EQ(c.vision.num_channels, 3);
  EXPECT_EQ(c.projection_dim, 512);
  // The defaults are ViT-B/32's: the generator's full-size config agrees with the hub config.
  const ClipConfig hub = load_clip_config(kOpenaiB32);
  EXPECT_EQ(clip_tensors(TinyClipOptions::clip_vit_b32_sizes()).size(), clip_tensors(hub).size());
}

TEST(ClipConfig, RoundTripKeepsEverything) {
  const ClipConfig a = load_clip_config(kOpenaiB32);
  const ClipConfig b = parse_clip_config(clip_config_json(a));
  EXPECT_EQ(clip_config_json(a), clip_config_json(b));
  // Every key of the hub file survives, with its value (the *_config_dict nulls aside).
  auto hub = nlohmann::json::parse(read_file(kOpenaiB32));
  auto out = nlohmann::json::parse(clip_config_json(a));
  hub.erase("text_config_dict");
  hub.erase("vision_config_dict");
  for (const char* tower : {"text_config", "vision_config"})
    for (auto& [k, v] : hub[tower].items()) EXPECT_EQ(out[tower][k], v) << tower << "." << k;
  for (auto& [k, v] : hub.items()) {
    if (!v.is_object()) {
      EXPECT_EQ(out[k], v) << k;
    }
  }
}

TEST(ClipConfig, ConfigDictOverridesSubConfig) {
  const ClipConfig c = parse_clip_config(
      R"({"model_type": "clip", "text_config": {"hidden_size": 64, "num_attention_heads": 4},
          "text_config_dict": {"hidden_size": 128, "num_attention_heads": 8},
          "vision_config_dict": {"patch_size": 16}})");
  EXPECT_EQ(c.text.hidden_size, 128);
  EXPECT_EQ(c.text.num_attention_heads, 8);
  EXPECT_EQ(c.vision.patch_size, 16);
  EXPECT_EQ(c.vision.num_positions(), 14 * 14 + 1);
}

TEST(ClipConfig, RejectsBadConfigs) {
  expect_usage_error("{", "not valid JSON");
  expect_usage_error("[]", "not a JSON object");
  expect_usage_error(R"({"model_type": "clip_text_model"})", "not \"clip\"");
  expect_usage_error(R"({"text_config": {"hidden_size": "512"}})", "'text_config.hidden_size' must be an integer");
  expect_usage_error(R"({"vision_config": 3})", "'vision_config' must be an object");
  expect_usage_error(R"({"text_config": {"hidden_size": 100, "num_attention_heads": 8}})",
                     "text_config.num_attention_heads 8 must divide hidden_size 100");
  expect_usage_error(R"({"vision_config": {"hidden_act": "mish"}})", "vision_config.hidden_act \"mish\"");
  expect_usage_error(R"({"vision_config": {"patch_size": 300}})", "patch_size 300 exceeds image_size 224");
  expect_usage_error(R"({"projection_dim": 0})", "projection_dim must be positive");
  expect_usage_error(R"({"text_config": {"eos_token_id": 49408}})", "eos_token_id 49408 is outside");
  expect_usage_error(R"({"text_config": {"num_hidden_layers": 100000}})", "exceeds the limit");
  // Several problems are all listed at once.
  try {
    parse_clip_config(R"({"text_config": {"layer_norm_eps": 0}, "vision_config": {"num_channels": -1}})", "cfg.json");
    FAIL();
  } catch (const UsageError& e) {
    EXPECT_NE(std::string(e.what()).find("text_config.layer_norm_eps"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("vision_config.num_channels"), std::string::npos) << e.what();
  }
}

TEST(ClipTensors, TableOfVitB32) {
  const auto table = clip_tensors(load_clip_config(kOpenaiB32));
  // 5 top-level-ish + 2 text embeddings + 2 final LN + 4 vision embeddings/LN pairs + 16 per layer.
  EXPECT_EQ(table.size(), 1u + 2 + 12 * 16 + 2 + 3 + 2 + 12 * 16 + 2 + 2);
  std::set<std::string> names;
  int64_t params = 0;
  for (const auto& t : table) {
    EXPECT_TRUE(names.insert(t.name).second) << "duplicate " << t.name;
    params += numel(t.shape);
  }
  // torchinfo of transformers' CLIPModel(openai/clip-vit-base-patch32 config): 151,277,313.
  EXPECT_EQ(params, 151277313);
  auto shape = [&](const std::string& n) {
    for (const auto& t : table)
      if (t.name == n) return t.shape;
    ADD_FAILURE() << "no " << n;
    return std::vector<int64_t>{};
  };
  EXPECT_EQ(shape("logit_scale"), std::vector<int64_t>{});
  EXPECT_EQ(shape("vision_model.embeddings.patch_embedding.weight"), (std::vector<int64_t>{768, 3, 32, 32}));
  EXPECT_EQ(shape("vision_model.embeddings.position_embedding.weight"), (std::vector<int64_t>{50, 768}));
  EXPECT_EQ(shape("vision_model.embeddings.class_embedding"), (std::vector<int64_t>{768}));
  EXPECT_EQ(shape("vision_model.pre_layrnorm.weight"), (std::vector<int64_t>{768}));
  EXPECT_EQ(shape("text_model.encoder.layers.11.mlp.fc1.weight"), (std::vector<int64_t>{2048, 512}));
  EXPECT_EQ(shape("text_model.embeddings.token_embedding.weight"), (std::vector<int64_t>{49408, 512}));
  EXPECT_EQ(shape("visual_projection.weight"), (std::vector<int64_t>{512, 768}));
  EXPECT_EQ(shape("text_projection.weight"), (std::vector<int64_t>{512, 512}));
  EXPECT_EQ(names.count("visual_projection.bias"), 0u);
  // A 3-layer, 4940-token variant printed by torchinfo under transformers: 36,347,393 parameters.
  ClipConfig small = load_clip_config(kOpenaiB32);
  small.text.vocab_size = 4940;
  small.text.num_hidden_layers = small.vision.num_hidden_layers = 3;
  int64_t small_params = 0;
  for (const auto& t : clip_tensors(small)) small_params += numel(t.shape);
  EXPECT_EQ(small_params, 36347393);
}

TEST(TinyClip, GeneratesCheckedDeterministicCheckpoints) {
  TempDir a, b;
  TinyClipOptions o;
  o.seed = 7;
  o.write_position_ids = true;
  const ClipConfig c = write_tiny_clip(a.str(), o);
  write_tiny_clip(b.str(), o);
  EXPECT_EQ(read_file(a.file("model.safetensors")), read_file(b.file("model.safetensors")));
  EXPECT_EQ(clip_config_json(load_clip_config(a.file("config.json"))), clip_config_json(c));
  SafetensorsFile f(a.file("model.safetensors"));
  const ClipCheckpointReport r = check_clip_checkpoint(f.view(), c);
  EXPECT_TRUE(r.ok()) << r.describe();
  EXPECT_EQ(r.ignored, (std::vector<std::string>{"text_model.embeddings.position_ids",
                                                  "vision_model.embeddings.position_ids"}));
  EXPECT_EQ(f.tensor("logit_scale").to_float(), std::vector<float>{2.6592f});
  EXPECT_EQ(f.tensor("vision_model.pre_layrnorm.weight").to_float(), std::vector<float>(48, 1.0f));
  const auto w = f.tensor("text_model.encoder.layers.0.self_attn.q_proj.weight").to_float();
  double sum2 = 0;
  for (float x : w) sum2 += double(x) * x;
  EXPECT_NEAR(std::sqrt(sum2 / double(w.size())), 0.02, 0.004);  // N(0, initializer_range)
  TempDir d;
  o.seed = 8;
  write_tiny_clip(d.str(), o);
  EXPECT_NE(read_file(a.file("model.safetensors")), read_file(d.file("model.safetensors")));
}

TEST(TinyClip, CheckerNamesEveryProblem) {
  TempDir dir;
  const ClipConfig c = write_tiny_clip(dir.str(), TinyClipOptions{});
  SafetensorsFile f(dir.file("model.safetensors"));
  std::vector<TensorToWrite> tensors;
  std::vector<std::vector<std::byte>> keep;
  keep.reserve(f.names().size() + 1);
  for (const std::string& name : f.names()) {
    if (name == "text_projection.weight") continue;  // missing
    const TensorView t = f.tensor(name);
    std::vector<int64_t> shape(t.shape.begin(), t.shape.end());
    keep.emplace_back(t.bytes().begin(), t.bytes().end());
    if (name == "vision_model.post_layernorm.bias") {  // mis-shaped: [48] → [2,24]
      shape = {2, 24};
    }
    tensors.push_back({name, t.dtype, shape, keep.back()});
  }
  keep.push_back(std::vector<std::byte>(4));
  tensors.push_back({"text_model.pooler.weight", Dtype::kF32, {1}, keep.back()});  // unexpected
  write_safetensors(dir.file("bad.safetensors"), tensors);
  SafetensorsFile bad(dir.file("bad.safetensors"));
  const ClipCheckpointReport r = check_clip_checkpoint(bad.view(), c);
  EXPECT_FALSE(r.ok());
  EXPECT_EQ(r.missing, std::vector<std::string>{"text_projection.weight"});
  ASSERT_EQ(r.mismatched.size(), 1u);
  EXPECT_EQ(r.mismatched[0].name, "vision_model.post_layernorm.bias");
  EXPECT_NE(r.mismatched[0].what.find("[2,24] but the config needs [48]"), std::string::npos);
  EXPECT_EQ(r.unexpected, std::vector<std::string>{"text_model.pooler.weight"});
  const std::string text = r.describe();
  for (const char* n : {"text_projection.weight", "vision_model.post_layernorm.bias", "text_model.pooler.weight"})
    EXPECT_NE(text.find(n), std::string::npos) << text;
}
