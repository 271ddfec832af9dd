// Loading and saving DistilBertForQuestionAnswering checkpoints in Hugging Face layout.
#include "warcpairs/model/checkpoint.h"

#include <gtest/gtest.h>
#include <torch/torch.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "warcpairs/core/error.h"
#include "warcpairs/model_io/safetensors_writer.h"
#include "warcpairs/model_io/tiny_checkpoint.h"

#include "test_helpers.h"

namespace warcpairs::model {
namespace {
namespace fs = std::filesystem;

std::string slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

class CheckpointTest : public ::testing::Test {
 protected:
  void SetUp() override {
    root_ = fs::temp_directory_path() /
            ("warcpairs-model-" + std::to_string(::getpid()) + "-" +
             ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(root_);
    fs::create_directories(root_);
    // A 30-token vocabulary keeps the checkpoints a few kB.
    std::ofstream vocab(root_ / "vocab.txt");
    for (const char* t : {"[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"}) vocab << t << "\n";
    for (int i = 0; i < 25; ++i) vocab << "tok" << i << "\n";
  }
  void TearDown() override { fs::remove_all(root_); }

  std::string tiny(const std::string& name, model_io::Dtype dtype = model_io::Dtype::kF32, uint64_t seed = 1) {
    model_io::TinyCheckpointOptions o;
    o.vocab_path = (root_ / "vocab.txt").string();
    o.seed = seed;
    o.dim = 16;
    o.n_heads = 2;
    o.hidden_dim = 24;
    o.max_position_embeddings = 20;
    o.dtype = dtype;
    const std::string dir = (root_ / name).string();
    model_io::write_tiny_distilbert_qa(dir, o);
    return dir;
  }

  static torch::Tensor ids() { return torch::tensor({{2, 7, 9, 12, 3, 0}, {2, 5, 6, 3, 0, 0}}, torch::kLong); }
  static torch::Tensor mask() { return torch::tensor({{1, 1, 1, 1, 1, 0}, {1, 1, 1, 1, 0, 0}}, torch::kLong); }

  fs::path root_;
};

TEST_F(CheckpointTest, TinyCheckpointLoadsEveryTensor) {
  const std::string dir = tiny("f32");
  auto loaded = load_distilbert_qa(dir);
  EXPECT_TRUE(loaded.report.ok());
  EXPECT_TRUE(loaded.report.newly_initialized.empty());
  EXPECT_TRUE(loaded.report.unused.empty());
  EXPECT_FALSE(loaded.model->is_training());
  EXPECT_EQ(loaded.model->config().vocab_size, 30);

  model_io::SafetensorsFile file(dir + "/model.safetensors");
  for (const auto& p : loaded.model->named_parameters()) {
    const std::vector<float> stored = file.tensor(p.key()).to_float();
    const auto want = torch::from_blob(const_cast<float*>(stored.data()), p.value().sizes(), torch::kFloat);
    EXPECT_TRUE(torch::equal(p.value(), want)) << p.key();
  }
  const SpanLogits out = loaded.model->forward(ids(), mask());
  EXPECT_TRUE(torch::isfinite(out.start_logits).all().item<bool>());
  EXPECT_TRUE(torch::isfinite(out.end_logits).all().item<bool>());
  EXPECT_GT(out.start_logits.abs().sum().item<float>(), 0.0f);
}

TEST_F(CheckpointTest, HalfPrecisionCheckpointsConvertExactly) {
  for (auto dtype : {model_io::Dtype::kF16, model_io::Dtype::kBF16}) {
    const std::string dir = tiny(std::string(model_io::dtype_name(dtype)), dtype);
    auto loaded = load_distilbert_qa(dir);
    model_io::SafetensorsFile file(dir + "/model.safetensors");
    const auto stored = file.tensor("distilbert.transformer.layer.1.ffn.lin1.weight");
    ASSERT_EQ(stored.dtype, dtype);
    const std::vector<float> want = stored.to_float();
    const auto got = loaded.model->named_parameters()["distilbert.transformer.layer.1.ffn.lin1.weight"];
    EXPECT_TRUE(torch::equal(got, torch::from_blob(const_cast<float*>(want.data()), got.sizes())));
    EXPECT_TRUE(torch::isfinite(loaded.model->forward(ids(), mask()).start_logits).all().item<bool>());
  }
}

TEST_F(CheckpointTest, LoadsIntoDoublePrecisionModels) {
  auto loaded = load_distilbert_qa(tiny("f32"));
  DistilBertForQuestionAnswering wide(loaded.model->config());
  wide->to(torch::kDouble);
  load_distilbert_qa_weights(*wide, model_io::SafetensorsFile(tiny("again") + "/model.safetensors").view());
  wide->eval();
  const auto narrow_out = loaded.model->forward(ids(), mask()).start_logits;
  const auto wide_out = wide->forward(ids(), mask()).start_logits;
  EXPECT_EQ(wide_out.scalar_type(), torch::kDouble);
  EXPECT_TRUE(torch::allclose(wide_out.to(torch::kFloat), narrow_out, 1e-4, 1e-5));
}

TEST_F(CheckpointTest, SaveThenLoadGivesBitIdenticalOutputs) {
  const std::string src = tiny("src");
  auto first = load_distilbert_qa(src);
  {  // move the weights off the generator's values so the test sees what save wrote
    torch::NoGradGuard no_grad;
    torch::manual_seed(9);
    for (auto& p : first.model->parameters()) p.add_(torch::randn_like(p) * 0.01);
  }
  const std::string out = (root_ / "saved").string();
  save_distilbert_qa(*first.model, out, src);
  auto second = load_distilbert_qa(out);
  const SpanLogits a = first.model->forward(ids(), mask());
  const SpanLogits b = second.model->forward(ids(), mask());
  EXPECT_TRUE(torch::equal(a.start_logits, b.start_logits));
  EXPECT_TRUE(torch::equal(a.end_logits, b.end_logits));

  model_io::SafetensorsFile file(out + "/model.safetensors");
  EXPECT_EQ(file.metadata(), model_io::pytorch_metadata());
  std::vector<std::string> want;
  for (const auto& t : model_io::distilbert_qa_tensors(first.model->config())) want.push_back(t.name);
  std::sort(want.begin(), want.end());
  EXPECT_EQ(file.names(), want);
  for (const auto& name : file.names()) EXPECT_EQ(file.tensor(name).dtype, model_io::Dtype::kF32) << name;
  EXPECT_EQ(slurp(out + "/vocab.txt"), slurp(src + "/vocab.txt"));
  EXPECT_EQ(slurp(out + "/tokenizer_config.json"), slurp(src + "/tokenizer_config.json"));
  EXPECT_NE(slurp(out + "/config.json").find("\"DistilBertForQuestionAnswering\""), std::string::npos);
  EXPECT_FALSE(fs::exists(out + "/tokenizer.json"));  // only files the source has are copied
}

TEST_F(CheckpointTest, ProblemsAreListedByNameAndNothingIsCopied) {
  const std::string src = tiny("src");
  const std::string bad = (root_ / "bad").string();
  std::vector<float> wrong(17, 0.5f);  // lin2.bias is [16]
  rewrite_checkpoint(src, bad, [&](std::vector<model_io::TensorToWrite>& t) {
    std::erase_if(t, [](const auto& x) { return x.name == "distilbert.embeddings.LayerNorm.weight"; });
    for (auto& x : t)
      if (x.name == "distilbert.transformer.layer.1.ffn.lin2.bias")
        x = {x.name, model_io::Dtype::kF32, {17}, std::as_bytes(std::span(wrong))};
    t.push_back({"distilbert.transformer.layer.2.ffn.lin2.bias", model_io::Dtype::kF32, {17},
                 std::as_bytes(std::span(wrong))});
  });
  auto fresh = load_distilbert_qa(src);
  const auto before = fresh.model->named_parameters()["qa_outputs.weight"].clone();
  try {
    load_distilbert_qa_weights(*fresh.model, model_io::SafetensorsFile(bad + "/model.safetensors").view());
    FAIL() << "expected an Error";
  } catch (const Error& e) {
    const std::string what = e.what();
    EXPECT_NE(what.find("distilbert.embeddings.LayerNorm.weight"), std::string::npos) << what;
    EXPECT_NE(what.find("distilbert.transformer.layer.1.ffn.lin2.bias: shape [17]"), std::string::npos) << what;
    EXPECT_NE(what.find("distilbert.transformer.layer.2.ffn.lin2.bias"), std::string::npos) << what;
    EXPECT_NE(e.file().find("bad/model.safetensors"), std::string::npos);
  }
  EXPECT_TRUE(torch::equal(before, fresh.model->named_parameters()["qa_outputs.weight"]));
  EXPECT_THROW(load_distilbert_qa(bad), Error);
}

TEST_F(CheckpointTest, ConfigThatDoesNotFitTheWeightsIsAnError) {
  const std::string src = tiny("src");
  auto config = model_io::load_distilbert_config(src + "/config.json");
  config.hidden_dim = 32;
  DistilBertForQuestionAnswering other(config);
  try {
    load_distilbert_qa_weights(*other, model_io::SafetensorsFile(src + "/model.safetensors").view());
    FAIL() << "expected an Error";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("distilbert.transformer.layer.0.ffn.lin1.weight: shape [24,16]"),
              std::string::npos) << e.what();
  }
}

// distilbert-base-uncased as published: DistilBertForMaskedLM's tensors, encoder names unprefixed.
TEST_F(CheckpointTest, BareEncoderCheckpointLoadsWithAFreshQaHead) {
  const std::string src = tiny("src");
  const std::string bare = (root_ / "bare").string();
  std::vector<float> head(30, 0.25f);
  rewrite_checkpoint(src, bare, [&](std::vector<model_io::TensorToWrite>& t) {
    std::erase_if(t, [](const auto& x) { return x.name.starts_with("qa_outputs."); });
    for (auto& x : t) x.name = x.name.substr(std::string("distilbert.").size());
    t.push_back({"vocab_projector.bias", model_io::Dtype::kF32, {30}, std::as_bytes(std::span(head))});
  });
  torch::manual_seed(11);
  auto loaded = load_distilbert_qa(bare);
  EXPECT_EQ(loaded.report.encoder_prefix, "");
  EXPECT_EQ(loaded.report.unused, std::vector<std::string>{"vocab_projector.bias"});
  EXPECT_EQ(loaded.report.newly_initialized, (std::vector<std::string>{"qa_outputs.bias", "qa_outputs.weight"}));
  auto full = load_distilbert_qa(src);
  const auto a = loaded.model->distilbert->forward(ids(), mask());
  EXPECT_TRUE(torch::equal(a, full.model->distilbert->forward(ids(), mask())));
  const auto qa = loaded.model->named_parameters()["qa_outputs.weight"];
  EXPECT_NEAR(qa.std().item<double>(), 0.02, 0.01);  // N(0, initializer_range), not the file's
  EXPECT_FALSE(torch::equal(qa, full.model->named_parameters()["qa_outputs.weight"]));
}

TEST_F(CheckpointTest, MissingFilesAreErrors) {
  EXPECT_THROW(load_distilbert_qa((root_ / "nowhere").string()), Error);
  const std::string src = tiny("src");
  fs::remove(src + "/model.safetensors");
  EXPECT_THROW(load_distilbert_qa(src), Error);
}

}  // namespace
}  // namespace warcpairs::model
