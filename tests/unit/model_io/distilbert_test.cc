// DistilBERT config.json parsing/validation/writing, the QA tensor table, the checkpoint checker
// on good and bad checkpoints, and the tiny checkpoint generator.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <filesystem>

#include "test_files.h"
#include "warcpairs/core/error.h"
#include "warcpairs/model_io/distilbert_checkpoint.h"
#include "warcpairs/model_io/distilbert_config.h"
#include "warcpairs/model_io/safetensors_writer.h"
#include "warcpairs/model_io/tiny_checkpoint.h"

using namespace warcpairs;
using namespace warcpairs::model_io;
using namespace model_io_test;

namespace {
void expect_usage_error(std::string_view json, const std::string& needle) {
  try {
    parse_distilbert_config(json, "cfg.json");
    FAIL() << "accepted; expected: " << needle;
  } catch (const UsageError& e) {
    EXPECT_NE(std::string(e.what()).find(needle), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("cfg.json"), std::string::npos) << e.what();
  }
}

// config.json of distilbert-base-uncased as published on the Hugging Face hub.
const char kBaseUncased[] = R"({
  "activation": "gelu",
  "architectures": ["DistilBertForMaskedLM"],
  "attention_dropout": 0.1,
  "dim": 768,
  "dropout": 0.1,
  "hidden_dim": 3072,
  "initializer_range": 0.02,
  "max_position_embeddings": 512,
  "model_type": "distilbert",
  "n_heads": 12,
  "n_layers": 6,
  "pad_token_id": 0,
  "qa_dropout": 0.1,
  "seq_classif_dropout": 0.2,
  "sinusoidal_pos_embds": false,
  "tie_weights_": true,
  "transformers_version": "4.10.0.dev0",
  "vocab_size": 30522
})";

DistilBertConfig tiny_config() {
  DistilBertConfig c;
  c.vocab_size = 10;
  c.n_layers = 1;
  c.dim = 8;
  c.n_heads = 2;
  c.hidden_dim = 16;
  c.max_position_embeddings = 6;
  return c;
}

// A checkpoint with the given tensors (F32 zeros of each shape).
struct FakeCheckpoint {
  std::vector<std::vector<std::byte>> storage;
  std::vector<std::byte> file;
  explicit FakeCheckpoint(const std::vector<ExpectedTensor>& tensors, Dtype dtype = Dtype::kF32) {
    std::vector<TensorToWrite> w;
    storage.reserve(tensors.size());
    for (const ExpectedTensor& t : tensors) {
      int64_t n = 1;
      for (int64_t d : t.shape) n *= d;
      storage.emplace_back(static_cast<size_t>(n) * dtype_size(dtype));
      w.push_back({t.name, dtype, t.shape, storage.back()});
    }
    file = serialize_safetensors(w);
  }
  SafetensorsView view() const { return SafetensorsView(file, "fake.safetensors"); }
};

std::vector<ExpectedTensor> without_prefix(std::vector<ExpectedTensor> t) {
  for (ExpectedTensor& e : t)
    if (e.name.starts_with("distilbert.")) e.name = e.name.substr(11);
  return t;
}
}  // namespace

TEST(DistilBertConfig, DefaultsAreTransformers) {
  const DistilBertConfig c = parse_distilbert_config("{}");
  EXPECT_EQ(c.vocab_size, 30522);
  EXPECT_EQ(c.max_position_embeddings, 512);
  EXPECT_FALSE(c.sinusoidal_pos_embds);
  EXPECT_EQ(c.n_layers, 6);
  EXPECT_EQ(c.n_heads, 12);
  EXPECT_EQ(c.dim, 768);
  EXPECT_EQ(c.hidden_dim, 3072);
  EXPECT_DOUBLE_EQ(c.dropout, 0.1);
  EXPECT_DOUBLE_EQ(c.attention_dropout, 0.1);
  EXPECT_EQ(c.activation, "gelu");
  EXPECT_DOUBLE_EQ(c.initializer_range, 0.02);
  EXPECT_DOUBLE_EQ(c.qa_dropout, 0.1);
  EXPECT_DOUBLE_EQ(c.seq_classif_dropout, 0.2);
  EXPECT_EQ(c.pad_token_id, 0);
  EXPECT_EQ(c.model_type, "distilbert");
  EXPECT_EQ(c.head_dim(), 64);
}

TEST(DistilBertConfig, ParsesTheHubConfigAndKeepsExtras) {
  const DistilBertConfig c = parse_distilbert_config(kBaseUncased);
  EXPECT_EQ(c.architectures, std::vector<std::string>{"DistilBertForMaskedLM"});
  EXPECT_EQ(c.extra.at("tie_weights_"), "true");
  EXPECT_EQ(c.extra.at("transformers_version"), "\"4.10.0.dev0\"");
  const std::string written = distilbert_config_json(c);
  // Same keys and values as the hub file (transformers writes sorted keys, indent 2).
  EXPECT_EQ(nlohmann::json::parse(written), nlohmann::json::parse(kBaseUncased));
  EXPECT_EQ(written.substr(0, 29), "{\n  \"activation\": \"gelu\",\n  \"");
  EXPECT_EQ(written.back(), '\n');
  const DistilBertConfig again = parse_distilbert_config(written);
  EXPECT_EQ(distilbert_config_json(again), written);
}

TEST(DistilBertConfig, AcceptsTransformersAliases) {
  const DistilBertConfig c = parse_distilbert_config(R"({"hidden_size": 64, "num_attention_heads": 4, "num_hidden_layers": 2})");
  EXPECT_EQ(c.dim, 64);
  EXPECT_EQ(c.n_heads, 4);
  EXPECT_EQ(c.n_layers, 2);
  EXPECT_EQ(c.extra.count("hidden_size"), 0u);
  expect_usage_error(R"({"dim": 64, "hidden_size": 32, "n_heads": 4})", "'dim' = 64 but its alias 'hidden_size' = 32");
}

TEST(DistilBertConfig, TypeErrorsNameTheField) {
  expect_usage_error("{", "not valid JSON");
  expect_usage_error("[]", "not a JSON object");
  expect_usage_error(R"({"dim": "768"})", "'dim' must be an integer, got \"768\"");
  expect_usage_error(R"({"dim": 768.0})", "'dim' must be an integer");
  expect_usage_error(R"({"dropout": "0.1"})", "'dropout' must be a number");
  expect_usage_error(R"({"sinusoidal_pos_embds": 0})", "'sinusoidal_pos_embds' must be true or false");
  expect_usage_error(R"({"activation": 1})", "'activation' must be a string");
  expect_usage_error(R"({"architectures": "DistilBertForQuestionAnswering"})", "'architectures' must be a list");
  expect_usage_error(R"({"architectures": [1]})", "'architectures' must be a list");
  EXPECT_TRUE(parse_distilbert_config(R"({"architectures": null})").architectures.empty());
}

TEST(DistilBertConfig, ValidationListsEveryProblem) {
  expect_usage_error(R"({"dim": 100, "n_heads": 12})", "n_heads 12 must divide dim 100 evenly");
  expect_usage_error(R"({"model_type": "bert"})", "not \"distilbert\"");
  expect_usage_error(R"({"vocab_size": 0})", "vocab_size must be positive");
  expect_usage_error(R"({"n_layers": -1})", "n_layers must be positive");
  expect_usage_error(R"({"pad_token_id": 30522})", "'pad_token_id' 30522 is outside the vocabulary");
  expect_usage_error(R"({"pad_token_id": -1})", "outside the vocabulary");
  expect_usage_error(R"({"dropout": 1.0})", "dropout must be a probability");
  expect_usage_error(R"({"qa_dropout": -0.1})", "qa_dropout must be a probability");
  expect_usage_error(R"({"initializer_range": 0})", "'initializer_range' must be positive");
  expect_usage_error(R"({"initializer_range": 1e999})", "not valid JSON");  // overflows a double
  expect_usage_error(R"({"n_layers": 1000000000})", "n_layers 1000000000 exceeds the limit 1024");
  expect_usage_error(R"({"vocab_size": 16777217})", "exceeds the limit");
  expect_usage_error(R"({"activation": "tanh"})", "'activation' \"tanh\" is not one of");
  try {
    parse_distilbert_config(R"({"dim": 0, "hidden_dim": 0, "activation": "x"})", "cfg.json");
    FAIL();
  } catch (const UsageError& e) {
    const std::string m = e.what();
    EXPECT_NE(m.find("dim must be positive"), std::string::npos);
    EXPECT_NE(m.find("hidden_dim must be positive"), std::string::npos);
    EXPECT_NE(m.find("activation"), std::string::npos);
  }
}

TEST(DistilBertConfig, FileRoundTrip) {
  TempDir dir;
  DistilBertConfig c = tiny_config();
  c.architectures = {"DistilBertForQuestionAnswering"};
  c.extra["id2label"] = R"({"0":"LABEL_0"})";
  write_distilbert_config(dir.file("config.json"), c);
  const DistilBertConfig back = load_distilbert_config(dir.file("config.json"));
  EXPECT_EQ(distilbert_config_json(back), distilbert_config_json(c));
  EXPECT_EQ(back.hidden_dim, 16);
  EXPECT_THROW(load_distilbert_config(dir.file("absent.json")), UsageError);
  c.dim = 7;
  EXPECT_THROW(write_distilbert_config(dir.file("bad.json"), c), UsageError);
  EXPECT_FALSE(std::filesystem::exists(dir.file("bad.json")));
}

TEST(DistilBertTensors, TableMatchesModelingDistilbert) {
  const DistilBertConfig c = parse_distilbert_config(kBaseUncased);
  const auto t = distilbert_qa_tensors(c);
  ASSERT_EQ(t.size(), 4u + 16u * 6u + 2u);  // 102 parameters in DistilBertForQuestionAnswering
  EXPECT_EQ(t[0].name, "distilbert.embeddings.word_embeddings.weight");
  EXPECT_EQ(t[0].shape, (std::vector<int64_t>{30522, 768}));
  EXPECT_EQ(t[1].name, "distilbert.embeddings.position_embeddings.weight");
  EXPECT_EQ(t[1].shape, (std::vector<int64_t>{512, 768}));
  EXPECT_EQ(t[2].name, "distilbert.embeddings.LayerNorm.weight");
  EXPECT_EQ(t[4].name, "distilbert.transformer.layer.0.attention.q_lin.weight");
  EXPECT_EQ(t[10].name, "distilbert.transformer.layer.0.attention.out_lin.weight");
  EXPECT_EQ(t[12].name, "distilbert.transformer.layer.0.sa_layer_norm.weight");
  EXPECT_EQ(t[14].name, "distilbert.transformer.layer.0.ffn.lin1.weight");
  EXPECT_EQ(t[14].shape, (std::vector<int64_t>{3072, 768}));  // nn.Linear weight is [out, in]
  EXPECT_EQ(t[16].name, "distilbert.transformer.layer.0.ffn.lin2.weight");
  EXPECT_EQ(t[16].shape, (std::vector<int64_t>{768, 3072}));
  EXPECT_EQ(t[19].name, "distilbert.transformer.layer.0.output_layer_norm.bias");
  EXPECT_EQ(t[99].name, "distilbert.transformer.layer.5.output_layer_norm.bias");
  EXPECT_EQ(t[100].name, "qa_outputs.weight");
  EXPECT_EQ(t[100].shape, (std::vector<int64_t>{2, 768}));
  EXPECT_EQ(t[101].shape, (std::vector<int64_t>{2}));
  int64_t params = 0;
  for (const auto& e : t) {
    int64_t n = 1;
    for (int64_t d : e.shape) n *= d;
    params += n;
  }
  EXPECT_EQ(params, 66364418);  // DistilBertForQuestionAnswering(distilbert-base-uncased): 66,364,418
}

TEST(DistilBertChecker, ExactQaCheckpointIsClean) {
  const DistilBertConfig c = tiny_config();
  FakeCheckpoint ck(distilbert_qa_tensors(c));
  const CheckpointReport r = check_distilbert_qa_checkpoint(ck.view(), c);
  EXPECT_TRUE(r.ok()) << r.describe();
  EXPECT_EQ(r.encoder_prefix, "distilbert.");
  EXPECT_TRUE(r.unused.empty() && r.newly_initialized.empty());
  EXPECT_EQ(r.describe(), "checkpoint matches DistilBertForQuestionAnswering\n");
  EXPECT_EQ(r.file_name("distilbert.embeddings.LayerNorm.bias"), "distilbert.embeddings.LayerNorm.bias");
}

TEST(DistilBertChecker, MlmCheckpointLikeDistilbertBaseUncased) {
  const DistilBertConfig c = tiny_config();
  auto t = distilbert_qa_tensors(c);
  t.resize(t.size() - 2);  // no qa_outputs
  for (const char* n : {"vocab_transform.weight", "vocab_layer_norm.weight", "vocab_projector.bias"})
    t.push_back({n, {8}});
  t.push_back({"distilbert.embeddings.position_ids", {1, 6}});
  FakeCheckpoint ck(t);
  const CheckpointReport r = check_distilbert_qa_checkpoint(ck.view(), c);
  EXPECT_TRUE(r.ok()) << r.describe();
  EXPECT_EQ(r.unused, (std::vector<std::string>{"distilbert.embeddings.position_ids", "vocab_layer_norm.weight",
                                                "vocab_projector.bias", "vocab_transform.weight"}));
  EXPECT_EQ(r.newly_initialized, (std::vector<std::string>{"qa_outputs.bias", "qa_outputs.weight"}));
  EXPECT_NE(r.describe().find("newly initialised (not in the checkpoint) (2):\n  qa_outputs.bias"), std::string::npos);
}

TEST(DistilBertChecker, BaseModelCheckpointWithoutPrefix) {
  const DistilBertConfig c = tiny_config();
  auto t = without_prefix(distilbert_qa_tensors(c));
  t.resize(t.size() - 2);
  t.push_back({"vocab_projector.weight", {10, 8}});
  FakeCheckpoint ck(t);
  const CheckpointReport r = check_distilbert_qa_checkpoint(ck.view(), c);
  EXPECT_TRUE(r.ok()) << r.describe();
  EXPECT_EQ(r.encoder_prefix, "");
  EXPECT_EQ(r.file_name("distilbert.transformer.layer.0.ffn.lin1.weight"), "transformer.layer.0.ffn.lin1.weight");
  EXPECT_EQ(r.file_name("qa_outputs.weight"), "qa_outputs.weight");
  EXPECT_EQ(r.unused, std::vector<std::string>{"vocab_projector.weight"});
  EXPECT_EQ(r.newly_initialized.size(), 2u);
}

TEST(DistilBertChecker, ReportsEveryMissingMisshapedAndUnexpectedTensor) {
  const DistilBertConfig c = tiny_config();
  auto t = distilbert_qa_tensors(c);
  t.erase(t.begin() + 5);  // layer.0.attention.q_lin.bias
  t.erase(t.begin() + 2);  // embeddings.LayerNorm.weight
  t[0].shape = {11, 8};    // word embeddings of another vocabulary
  t.back().shape = {3};    // qa_outputs.bias with three labels
  t.push_back({"distilbert.transformer.layer.1.ffn.lin1.weight", {16, 8}});  // config says 1 layer
  t.push_back({"bert.pooler.dense.weight", {8, 8}});
  FakeCheckpoint ck(t);
  const CheckpointReport r = check_distilbert_qa_checkpoint(ck.view(), c);
  EXPECT_FALSE(r.ok());
  EXPECT_EQ(r.missing, (std::vector<std::string>{"distilbert.embeddings.LayerNorm.weight",
                                                 "distilbert.transformer.layer.0.attention.q_lin.bias"}));
  ASSERT_EQ(r.mismatched.size(), 2u);
  EXPECT_EQ(r.mismatched[0].name, "distilbert.embeddings.word_embeddings.weight");
  EXPECT_EQ(r.mismatched[0].what, "shape [11,8] but the config needs [10,8]");
  EXPECT_EQ(r.mismatched[1].name, "qa_outputs.bias");
  EXPECT_EQ(r.unexpected, (std::vector<std::string>{"bert.pooler.dense.weight",
                                                    "distilbert.transformer.layer.1.ffn.lin1.weight"}));
  const std::string d = r.describe();
  for (const char* n : {"missing from the checkpoint (2)", "mismatched (2)", "unexpected in the checkpoint (2)",
                        "bert.pooler.dense.weight", "q_lin.bias"})
    EXPECT_NE(d.find(n), std::string::npos) << n << "\n" << d;
}

TEST(DistilBertChecker, NonFloatDtypeIsMismatched) {
  const DistilBertConfig c = tiny_config();
  FakeCheckpoint ck(distilbert_qa_tensors(c), Dtype::kI32);
  const CheckpointReport r = check_distilbert_qa_checkpoint(ck.view(), c);
  EXPECT_FALSE(r.ok());
  EXPECT_EQ(r.mismatched.size(), distilbert_qa_tensors(c).size());
  EXPECT_EQ(r.mismatched[0].what, "dtype I32 is not a float type");
}

TEST(TinyCheckpoint, WritesHfLayoutThatPassesTheChecker) {
  TempDir dir;
  TinyCheckpointOptions o;
  o.vocab_path = tiny_vocab();
  o.seed = 7;
  const DistilBertConfig c = write_tiny_distilbert_qa(dir.str(), o);
  EXPECT_EQ(c.vocab_size, 406);
  EXPECT_EQ(c.n_layers, 2);
  EXPECT_EQ(c.dim, 64);
  EXPECT_EQ(c.n_heads, 4);
  EXPECT_EQ(c.hidden_dim, 128);
  for (const char* f : {"config.json", "model.safetensors", "vocab.txt", "tokenizer_config.json"})
    EXPECT_TRUE(std::filesystem::exists(dir.file(f))) << f;
  EXPECT_EQ(read_file(dir.file("vocab.txt")), read_file(tiny_vocab()));
  const auto tok = nlohmann::json::parse(read_file(dir.file("tokenizer_config.json")));
  EXPECT_EQ(tok["tokenizer_class"], "DistilBertTokenizer");
  EXPECT_EQ(tok["do_lower_case"], true);
  const DistilBertConfig loaded = load_distilbert_config(dir.file("config.json"));
  EXPECT_EQ(loaded.architectures, std::vector<std::string>{"DistilBertForQuestionAnswering"});
  SafetensorsFile file(dir.file("model.safetensors"));
  EXPECT_EQ(file.metadata().at("format"), "pt");
  const CheckpointReport r = check_distilbert_qa_checkpoint(file.view(), loaded);
  EXPECT_TRUE(r.ok() && r.unused.empty() && r.newly_initialized.empty()) << r.describe();
  EXPECT_EQ(file.names().size(), 4u + 16u * 2u + 2u);

  // Initialisation as DistilBertPreTrainedModel._init_weights: LayerNorm 1/0, pad row zero,
  // weights ~ N(0, 0.02).
  for (float v : file.tensor("distilbert.transformer.layer.1.sa_layer_norm.weight").to_float()) EXPECT_EQ(v, 1.0f);
  for (float v : file.tensor("distilbert.embeddings.LayerNorm.bias").to_float()) EXPECT_EQ(v, 0.0f);
  const std::vector<float> emb = file.tensor("distilbert.embeddings.word_embeddings.weight").to_float();
  for (int i = 0; i < 64; ++i) EXPECT_EQ(emb[static_cast<size_t>(i)], 0.0f);
  double sum = 0, sq = 0;
  for (size_t i = 64; i < emb.size(); ++i) {
    sum += emb[i];
    sq += static_cast<double>(emb[i]) * emb[i];
  }
  const double n = static_cast<double>(emb.size() - 64);
  EXPECT_NEAR(sum / n, 0.0, 0.001);
  EXPECT_NEAR(std::sqrt(sq / n), 0.02, 0.001);
}

TEST(TinyCheckpoint, DeterministicForASeedAndDtypes) {
  TempDir a, b, c, h;
  TinyCheckpointOptions o;
  o.vocab_path = tiny_vocab();
  o.seed = 1;
  write_tiny_distilbert_qa(a.str(), o);
  write_tiny_distilbert_qa(b.str(), o);
  EXPECT_EQ(read_file(a.file("model.safetensors")), read_file(b.file("model.safetensors")));
  EXPECT_EQ(read_file(a.file("config.json")), read_file(b.file("config.json")));
  o.seed = 2;
  write_tiny_distilbert_qa(c.str(), o);
  EXPECT_NE(read_file(a.file("model.safetensors")), read_file(c.file("model.safetensors")));
  o.seed = 1;
  o.dtype = Dtype::kF16;
  write_tiny_distilbert_qa(h.str(), o);
  SafetensorsFile f32(a.file("model.safetensors")), f16(h.file("model.safetensors"));
  const TensorView w16 = f16.tensor("qa_outputs.weight");
  EXPECT_EQ(w16.dtype, Dtype::kF16);
  const auto x = f32.tensor("qa_outputs.weight").to_float(), y = w16.to_float();
  ASSERT_EQ(x.size(), y.size());
  for (size_t i = 0; i < x.size(); ++i) EXPECT_NEAR(x[i], y[i], std::abs(x[i]) * 1e-3 + 1e-7);
  EXPECT_TRUE(check_distilbert_qa_checkpoint(f16.view(), load_distilbert_config(h.file("config.json"))).ok());
  o.dtype = Dtype::kI32;
  EXPECT_THROW(write_tiny_distilbert_qa(h.str(), o), UsageError);
  o.dtype = Dtype::kF32;
  o.vocab_path = a.file("absent.txt");
  EXPECT_THROW(write_tiny_distilbert_qa(h.str(), o), Error);
}
