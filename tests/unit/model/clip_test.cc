// CLIPModel in LibTorch: HF names and shapes, checkpoint load/save, masking, EOS pooling, ClipScorer.
#include "warcpairs/model/clip.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <torch/torch.h>
#include <unistd.h>

#include <cmath>
#include <cstring>
#include <filesystem>
#include <functional>
#include <fstream>
#include <sstream>

#include "warcpairs/core/error.h"
#include "warcpairs/core/hash.h"
#include "warcpairs/model/clip_scorer.h"
#include "warcpairs/model_io/safetensors_writer.h"
#include "warcpairs/model_io/tiny_clip.h"

#include "test_helpers.h"

namespace warcpairs::model {
namespace {
namespace fs = std::filesystem;
using model_io::ClipConfig;
using model_io::TinyClipOptions;

std::string slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

class ClipTest : public ::testing::Test {
 protected:
  void SetUp() override {
    root_ = fs::temp_directory_path() / ("warcpairs-clip-" + std::to_string(::getpid()) + "-" +
                                         ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(root_);
    fs::create_directories(root_);
  }
  void TearDown() override { fs::remove_all(root_); }

  std::string tiny(const std::string& name, TinyClipOptions o = {}) {
    const std::string dir = (root_ / name).string();
    model_io::write_tiny_clip(dir, o);
    return dir;
  }
  // n images of the tiny config with values in [-2, 2), from the seed.
  static std::vector<float> images(int64_t n, int64_t s, uint64_t seed) {
    torch::manual_seed(seed);
    auto t = torch::rand({n, 3, s, s}) * 4 - 2;
    return {t.data_ptr<float>(), t.data_ptr<float>() + t.numel()};
  }
  // Rewrites `dir`'s checkpoint through `edit`.
  void rewrite(const std::string& dir, const std::function<void(std::vector<model_io::TensorToWrite>&)>& edit) {
    std::vector<std::vector<std::byte>> keep;
    std::vector<model_io::TensorToWrite> tensors;
    {
      model_io::SafetensorsFile f(dir + "/model.safetensors");
      keep.reserve(f.names().size());
      for (const std::string& n : f.names()) {
        const auto t = f.tensor(n);
        keep.emplace_back(t.bytes().begin(), t.bytes().end());
        tensors.push_back({n, t.dtype, {t.shape.begin(), t.shape.end()}, keep.back()});
      }
    }
    edit(tensors);
    model_io::write_safetensors(dir + "/model.safetensors", tensors, model_io::pytorch_metadata());
  }

  fs::path root_;
};

void expect_close(const std::vector<float>& a, const std::vector<float>& b, float tol) {
  ASSERT_EQ(a.size(), b.size());
  for (size_t i = 0; i < a.size(); ++i) ASSERT_NEAR(a[i], b[i], tol) << "element " << i;
}

TEST_F(ClipTest, ParameterNamesAndShapesEqualTheHuggingFaceTable) {
  for (const ClipConfig& c : {TinyClipOptions::tiny_clip_config(), TinyClipOptions::clip_vit_b32_sizes()}) {
    ClipModel m(c);
    const auto params = m->named_parameters(true);
    const auto table = model_io::clip_tensors(c);
    ASSERT_EQ(params.size(), table.size());
    size_t i = 0;
    for (const auto& p : params) {  // same order as transformers' state_dict
      EXPECT_EQ(p.key(), table[i].name);
      EXPECT_EQ(p.value().sizes().vec(), table[i].shape) << p.key();
      ++i;
    }
    EXPECT_TRUE(m->buffers().empty());  // position_ids are computed, never stored
  }
}

TEST_F(ClipTest, TinyCheckpointLoadsEveryTensor) {
  for (auto dtype : {model_io::Dtype::kF32, model_io::Dtype::kBF16}) {
    TinyClipOptions o;
    o.seed = 3;
    o.dtype = dtype;
    o.write_position_ids = true;  // old checkpoints hold them: accepted and ignored
    const std::string dir = tiny(std::string("ckpt-") + std::string(model_io::dtype_name(dtype)), o);
    ClipModel m = load_clip(dir);
    EXPECT_FALSE(m->is_training());
    model_io::SafetensorsFile f(dir + "/model.safetensors");
    for (const auto& p : m->named_parameters(true)) {
      const auto want = f.tensor(p.key()).to_float();
      const auto got = p.value().contiguous();
      ASSERT_EQ(static_cast<size_t>(got.numel()), want.size()) << p.key();
      EXPECT_EQ(0, std::memcmp(got.data_ptr<float>(), want.data(), want.size() * 4)) << p.key();
    }
  }
}

TEST_F(ClipTest, SaveLoadRoundTripIsIdentical) {
  const std::string dir = tiny("a", {.seed = 5});
  ClipModel a = load_clip(dir);
  save_clip(*a, (root_ / "b").string());
  // F32 in, F32 out, canonical writer: the very same bytes; the config says the same.
  EXPECT_EQ(slurp(dir + "/model.safetensors"), slurp(root_ / "b" / "model.safetensors"));
  EXPECT_EQ(slurp(dir + "/config.json"), slurp(root_ / "b" / "config.json"));
  ClipModel b = load_clip((root_ / "b").string());
  torch::NoGradGuard no_grad;
  const auto px = torch::randn({2, 3, 16, 16});
  const auto ids = torch::tensor({{62, 5, 9, 63}, {62, 7, 63, 1}}, torch::kLong);
  EXPECT_TRUE(torch::equal(a->image_features(px), b->image_features(px)));
  EXPECT_TRUE(torch::equal(a->text_features(ids), b->text_features(ids)));
}

TEST_F(ClipTest, MissingAndMisshapedTensorsAreNamed) {
  const std::string dir = tiny("bad");
  rewrite(dir, [](std::vector<model_io::TensorToWrite>& t) {
    std::erase_if(t, [](const auto& x) { return x.name == "vision_model.encoder.layers.1.mlp.fc2.bias"; });
    for (auto& x : t)
      if (x.name == "text_projection.weight") x.shape = {32, 24};  // transposed
  });
  try {
    load_clip(dir);
    FAIL() << "loaded a broken checkpoint";
  } catch (const Error& e) {
    const std::string what = e.what();
    EXPECT_NE(what.find("vision_model.encoder.layers.1.mlp.fc2.bias"), std::string::npos) << what;
    EXPECT_NE(what.find("text_projection.weight: shape [32,24] but the config needs [24,32]"), std::string::npos) << what;
  }
  // An int tensor under a parameter's name is refused too.
  const std::string dir2 = tiny("int");
  std::vector<std::byte> ints(8);
  rewrite(dir2, [&](std::vector<model_io::TensorToWrite>& t) {
    for (auto& x : t)
      if (x.name == "logit_scale") x = {x.name, model_io::Dtype::kI64, {}, ints};
  });
  EXPECT_THROW(load_clip(dir2), Error);
}

TEST_F(ClipTest, CausalMaskHidesLaterTokens) {
  ClipModel m = load_clip(tiny("m", {.seed = 11}));
  torch::NoGradGuard no_grad;
  auto ids = torch::tensor({{62, 10, 11, 12, 13, 14, 63}}, torch::kLong);
  auto changed = ids.clone();
  changed[0][4] = 40;
  const auto a = m->text_model(ids, torch::Tensor());
  const auto b = m->text_model(changed, torch::Tensor());
  using torch::indexing::Slice;
  EXPECT_TRUE(torch::equal(a.index({0, Slice(0, 4)}), b.index({0, Slice(0, 4)})));
  EXPECT_GT((a.index({0, Slice(4)}) - b.index({0, Slice(4)})).abs().max().item<float>(), 1e-3);
}

TEST_F(ClipTest, PooledTextOutputIsAtTheEosPosition) {
  // Position 0 holds the largest id, position 2 the first eos: the two conventions disagree.
  const auto ids = torch::tensor({{62, 5, 40, 7, 40}, {3, 40, 9, 9, 9}}, torch::kLong);
  for (int64_t eos : {int64_t{40}, int64_t{2}}) {
    TinyClipOptions o;
    o.config.text.eos_token_id = eos;
    ClipModel m = load_clip(tiny("eos" + std::to_string(eos), o));
    torch::NoGradGuard no_grad;
    const auto hidden = m->text_model(ids, torch::Tensor());
    // eos 40: the first 40 (2, then 1); eos 2, the pre-#24773 config: argmax(ids) (0, then 1).
    const std::vector<int64_t> want = eos == 2 ? std::vector<int64_t>{0, 1} : std::vector<int64_t>{2, 1};
    const auto pos = m->text_model->eos_positions(ids);
    EXPECT_EQ(pos[0].item<int64_t>(), want[0]) << "eos " << eos;
    EXPECT_EQ(pos[1].item<int64_t>(), want[1]) << "eos " << eos;
    const auto feats = m->text_features(ids);
    for (int64_t i = 0; i < 2; ++i)
      EXPECT_TRUE(torch::allclose(feats[i], m->text_projection(hidden[i][want[i]]), 0, 1e-6)) << "eos " << eos;
  }
}

TEST_F(ClipTest, ScorerEmbeddingsAreNormalisedAndBatchInvariant) {
  const std::string dir = tiny("s", {.seed = 21});
  ClipScorer s = ClipScorer::load(dir, "cpu");
  EXPECT_EQ(s.image_size(), 16);
  EXPECT_EQ(s.projection_dim(), 24);
  EXPECT_EQ(s.max_text_tokens(), 16);
  EXPECT_EQ(s.device(), "cpu");
  char hex[17];
  std::snprintf(hex, sizeof hex, "%016llx", static_cast<unsigned long long>(fnv1a64(slurp(dir + "/model.safetensors"))));
  EXPECT_EQ(s.version(), std::string("fnv1a64:") + hex);

  const int64_t n = 5, per = 3 * 16 * 16, d = 24;
  const auto px = images(n, 16, 4);
  std::vector<float> all, one;
  s.embed_images(px.data(), n, all);
  ASSERT_EQ(all.size(), static_cast<size_t>(n * d));
  for (int64_t i = 0; i < n; ++i) {
    s.embed_images(px.data() + i * per, 1, one);
    expect_close(one, {all.begin() + i * d, all.begin() + (i + 1) * d}, 1e-5f);
    double norm2 = 0;
    for (float x : one) norm2 += double(x) * x;
    EXPECT_NEAR(norm2, 1.0, 1e-5);
  }
  // Texts of different lengths padded into one batch embed as they do alone (padding mask).
  const std::vector<std::vector<int32_t>> texts = {{62, 5, 63}, {62, 9, 8, 7, 6, 5, 4, 63}, {62, 63}};
  s.embed_texts(texts, all);
  ASSERT_EQ(all.size(), texts.size() * d);
  for (size_t i = 0; i < texts.size(); ++i) {
    s.embed_texts({texts[i]}, one);
    expect_close(one, {all.begin() + i * d, all.begin() + (i + 1) * d}, 1e-5f);
    double norm2 = 0;
    for (float x : one) norm2 += double(x) * x;
    EXPECT_NEAR(norm2, 1.0, 1e-5);
  }
  s.embed_images(px.data(), 0, one);
  EXPECT_TRUE(one.empty());
  EXPECT_THROW(s.embed_texts({{}}, one), Error);
  EXPECT_THROW(s.embed_texts({std::vector<int32_t>(17, 5)}, one), Error);
  EXPECT_THROW(s.embed_texts({{62, 64}}, one), Error);
  EXPECT_THROW(ClipScorer::load(root_ / "nowhere", "cpu"), UsageError);
}

TEST_F(ClipTest, QuickGeluByHand) {
  const std::vector<float> xs = {-6.0f, -1.5f, -0.25f, 0.0f, 0.3f, 1.0f, 4.0f};
  const auto y = clip_activation("quick_gelu", torch::tensor(xs));
  for (size_t i = 0; i < xs.size(); ++i) {
    const float want = xs[i] / (1.0f + std::exp(-1.702f * xs[i]));
    EXPECT_NEAR(y[static_cast<int64_t>(i)].item<float>(), want, 1e-6f) << xs[i];
  }
  EXPECT_THROW(clip_activation("mish", torch::zeros({1})), UsageError);
}

TEST_F(ClipTest, OnePatchVisionEmbeddingByHand) {
  TinyClipOptions o;
  o.seed = 9;
  o.config.vision.image_size = o.config.vision.patch_size = 4;  // one patch: [CLS, patch]
  const std::string dir = tiny("onepatch", o);
  ClipModel m = load_clip(dir);
  model_io::SafetensorsFile f(dir + "/model.safetensors");
  const auto w = f.tensor("vision_model.embeddings.patch_embedding.weight").to_float();  // [48,3,4,4]
  const auto cls = f.tensor("vision_model.embeddings.class_embedding").to_float();
  const auto pos = f.tensor("vision_model.embeddings.position_embedding.weight").to_float();  // [2,48]
  const auto px = images(1, 4, 2);
  torch::NoGradGuard no_grad;
  const auto e = m->vision_model->embeddings(torch::from_blob(const_cast<float*>(px.data()), {1, 3, 4, 4}));
  ASSERT_EQ(e.sizes().vec(), (std::vector<int64_t>{1, 2, 48}));
  for (int64_t d = 0; d < 48; ++d) {
    EXPECT_NEAR(e[0][0][d].item<float>(), cls[d] + pos[d], 1e-6f);
    double dot = 0;
    for (int64_t k = 0; k < 48; ++k) dot += double(w[d * 48 + k]) * px[k];  // 48 = 3·4·4
    EXPECT_NEAR(e[0][1][d].item<float>(), dot + pos[48 + d], 1e-5f) << d;
  }
  // Images of the wrong size are refused, as transformers refuses them.
  EXPECT_THROW(m->image_features(torch::zeros({1, 3, 8, 8})), Error);
}

TEST_F(ClipTest, LogitsAreScaledCosines) {
  ClipModel m = load_clip(tiny("l", {.seed = 2}));
  torch::NoGradGuard no_grad;
  const auto img = m->image_features(torch::randn({2, 3, 16, 16}));
  const auto txt = m->text_features(torch::tensor({{62, 4, 63}}, torch::kLong));
  const auto logits = m->logits_per_image(img, txt);
  ASSERT_EQ(logits.sizes().vec(), (std::vector<int64_t>{2, 1}));
  for (int64_t i = 0; i < 2; ++i) {
    const double cos = (torch::dot(img[i], txt[0]) / (img[i].norm() * txt[0].norm())).item<double>();
    EXPECT_NEAR(logits[i][0].item<double>(), std::exp(2.6592) * cos, 1e-4);
  }
}

// Runs tests/unit/model/clip_reference.py (numpy, float64, written from modeling_clip.py).
std::string run_reference(const std::string& args, int* status) {
  return run_command("/usr/bin/python3 " WARCPAIRS_SOURCE_DIR "/tests/unit/model/clip_reference.py " + args, status);
}

TEST_F(ClipTest, MatchesAnIndependentNumpyReference) {
  // Variant 1: the pre-#24773 eos convention, an image size the patch does not divide (the
  // stride-4 convolution drops the last 2 pixels) and the tanh GELU.
  for (int variant = 0; variant < 2; ++variant) {
    TinyClipOptions o;
    o.seed = 31 + variant;
    // Weights ~ N(0, 0.3), not 0.02: every nonlinearity then moves the output well past the
    // tolerance. eos 40 is not the largest id, so the two pooling conventions disagree.
    o.config.text.initializer_range = o.config.vision.initializer_range = 0.3;
    o.config.text.eos_token_id = 40;
    if (variant == 1) {
      o.config.text.eos_token_id = 2;
      o.config.vision.image_size = 18;
      o.config.vision.hidden_act = o.config.text.hidden_act = "gelu_new";
    }
    const std::string dir = tiny("ref" + std::to_string(variant), o);
    ClipScorer s = ClipScorer::load(dir, "cpu");
    const int64_t n = 3;
    const auto px = images(n, s.image_size(), 5 + variant);
    {
      std::ofstream f(root_ / "px.f32", std::ios::binary);
      f.write(reinterpret_cast<const char*>(px.data()), static_cast<std::streamsize>(px.size() * 4));
    }
    // Padded rows, eos followed by larger ids, texts without eos or without the largest id first.
    const std::vector<std::vector<int32_t>> texts = {{62, 5, 63},       {62, 9, 40, 7, 63, 30, 20}, {5, 40, 7},
                                                     {10, 50, 40, 60}, {62, 61, 2, 44, 63, 1},     {3}};
    std::ofstream(root_ / "ids.json") << nlohmann::json(texts).dump();
    int status = 0;
    const std::string out = run_reference(dir + " " + (root_ / "px.f32").string() + " " + std::to_string(n) + " " +
                                              (root_ / "ids.json").string(),
                                          &status);
    ASSERT_EQ(status, 0) << "clip_reference.py failed (needs /usr/bin/python3 with numpy):\n" << out;
    const auto ref = nlohmann::json::parse(out);
    std::vector<float> got;
    s.embed_images(px.data(), n, got);
    const int64_t d = s.projection_dim();
    for (int64_t i = 0; i < n; ++i)
      for (int64_t k = 0; k < d; ++k)
        ASSERT_NEAR(got[i * d + k], ref["images"][i][k].get<double>(), 2e-5) << "variant " << variant << " image " << i;
    s.embed_texts(texts, got);
    for (size_t i = 0; i < texts.size(); ++i)
      for (int64_t k = 0; k < d; ++k)
        ASSERT_NEAR(got[i * d + k], ref["texts"][i][k].get<double>(), 2e-5) << "variant " << variant << " text " << i;
  }
}

}  // namespace
}  // namespace warcpairs::model
