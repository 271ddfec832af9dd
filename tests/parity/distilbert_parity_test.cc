// Model fidelity (ctest label "parity"): DistilBertForQuestionAnswering in LibTorch against an
// independent numpy forward (tests/parity/distilbert_reference.py, float64, written from the
// DistilBERT paper and transformers' modeling_distilbert.py) on tiny random checkpoints in Hugging
// Face layout and on a checkpoint that `warcpairs train` wrote (the fixture parity.distilbert_train
// runs it and names it in WARCPAIRS_TRAINED_DISTILBERT): start and end logits agree within 1e-4 at
// every real position of padded batches.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <torch/torch.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <span>
#include <vector>

#include "warcpairs/model/checkpoint.h"
#include "warcpairs/model/distilbert.h"
#include "warcpairs/model_io/distilbert_config.h"
#include "warcpairs/model_io/safetensors_writer.h"
#include "warcpairs/model_io/tiny_checkpoint.h"

#include "test_helpers.h"  // tests/unit/model

namespace warcpairs::model {
namespace {
namespace fs = std::filesystem;
using Rows = std::vector<std::vector<int64_t>>;

constexpr double kTolerance = 1e-4;

// Runs the reference on `dir` and `inputs` (a JSON list of padded batches); returns its stdout and
// stderr, `*status` its exit status.
std::string run_reference(const std::string& dir, const fs::path& inputs, int* status) {
  return run_command("/usr/bin/python3 " WARCPAIRS_SOURCE_DIR "/tests/parity/distilbert_reference.py " + dir + " " +
                         inputs.string() + " 2>&1",
                     status);
}

// A batch: rows of unequal lengths padded to `width` with `pad` ids (the mask hides them).
struct Batch {
  Rows ids, mask;
  std::vector<int64_t> lengths;
};

Batch padded(const Rows& rows, int64_t width, const std::vector<int64_t>& pad) {
  Batch b;
  for (size_t r = 0; r < rows.size(); ++r) {
    std::vector<int64_t> ids = rows[r], mask(rows[r].size(), 1);
    for (auto i = static_cast<int64_t>(ids.size()); i < width; ++i) {
      ids.push_back(pad[(r + static_cast<size_t>(i)) % pad.size()]);
      mask.push_back(0);
    }
    b.ids.push_back(ids);
    b.mask.push_back(mask);
    b.lengths.push_back(static_cast<int64_t>(rows[r].size()));
  }
  return b;
}

torch::Tensor to_tensor(const Rows& rows) {
  std::vector<int64_t> flat;
  for (const auto& r : rows) flat.insert(flat.end(), r.begin(), r.end());
  return torch::tensor(flat, torch::kLong).reshape({static_cast<int64_t>(rows.size()), -1});
}

Rows random_rows(const std::vector<int64_t>& lengths, int64_t vocab, uint64_t seed) {
  torch::manual_seed(seed);
  Rows rows;
  for (int64_t n : lengths) {
    const auto t = torch::randint(0, vocab, {n}, torch::kLong);
    rows.emplace_back(t.data_ptr<int64_t>(), t.data_ptr<int64_t>() + n);
  }
  return rows;
}

class DistilBertParity : public ::testing::Test {
 protected:
  void SetUp() override {
    root_ = fs::temp_directory_path() / ("warcpairs-distilbert-parity-" + std::to_string(::getpid()) + "-" +
                                         ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(root_);
    fs::create_directories(root_);
    std::ofstream vocab(root_ / "vocab.txt");
    for (const char* t : {"[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"}) vocab << t << "\n";
    for (int i = 0; i < 45; ++i) vocab << "tok" << i << "\n";  // 50 ids
  }
  void TearDown() override { fs::remove_all(root_); }

  // Compares LibTorch with the reference on `batches` of `dir`'s checkpoint: every real position
  // of every row within kTolerance; each row alone (no padding, no mask) gives the same logits at
  // its positions in LibTorch and in the reference. Returns the largest |difference| and, in
  // *spread, the largest |logit| (so a caller can check that the tolerance means something).
  double compare(const std::string& dir, const std::vector<Batch>& batches, const std::string& what,
                 double* spread = nullptr) {
    DistilBertForQuestionAnswering m = load_distilbert_qa(dir).model;
    torch::NoGradGuard no_grad;
    // The reference gets each batch, then each row of it alone, in that order.
    nlohmann::json in = nlohmann::json::array();
    for (const Batch& b : batches) {
      in.push_back({{"input_ids", b.ids}, {"attention_mask", b.mask}});
      for (size_t r = 0; r < b.ids.size(); ++r) {
        const std::vector<int64_t> row(b.ids[r].begin(), b.ids[r].begin() + b.lengths[r]);
        in.push_back({{"input_ids", Rows{row}}, {"attention_mask", Rows{std::vector<int64_t>(row.size(), 1)}}});
      }
    }
    std::ofstream(root_ / "inputs.json") << in.dump();
    int status = 0;
    const std::string out = run_reference(dir, root_ / "inputs.json", &status);
    EXPECT_EQ(status, 0) << "distilbert_reference.py failed (needs /usr/bin/python3 with numpy, "
                            "Debian's python3-numpy):\n"
                         << out;
    if (status != 0) return 1e30;
    const auto ref = nlohmann::json::parse(out);
    double worst = 0, largest = 0;
    size_t k = 0;
    for (size_t bi = 0; bi < batches.size(); ++bi) {
      const Batch& b = batches[bi];
      const SpanLogits got = m->forward(to_tensor(b.ids), to_tensor(b.mask));
      const auto& want = ref[k++];
      for (size_t r = 0; r < b.ids.size(); ++r) {
        const std::vector<int64_t> row(b.ids[r].begin(), b.ids[r].begin() + b.lengths[r]);
        const SpanLogits alone = m->forward(to_tensor(Rows{row}));
        const auto& want_alone = ref[k++];
        for (int64_t i = 0; i < b.lengths[r]; ++i) {
          const std::string at = what + " batch " + std::to_string(bi) + " row " + std::to_string(r) + " position " +
                                 std::to_string(i) + " (length " + std::to_string(b.lengths[r]) + " of " +
                                 std::to_string(b.ids[r].size()) + ")";
          for (const char* side : {"start_logits", "end_logits"}) {
            const bool start = side[0] == 's';
            const double g = (start ? got.start_logits : got.end_logits)[r][i].item<double>();
            const double ga = (start ? alone.start_logits : alone.end_logits)[0][i].item<double>();
            const double w = want[side][r][i].get<double>();
            const double wa = want_alone[side][0][i].get<double>();
            EXPECT_NEAR(g, w, kTolerance) << side << " " << at;
            EXPECT_NEAR(ga, wa, kTolerance) << side << " alone, " << at;
            EXPECT_NEAR(g, ga, 1e-5) << side << ": padding moved a real position in LibTorch, " << at;
            EXPECT_NEAR(w, wa, 1e-9) << side << ": padding moved a real position in the reference, " << at;
            worst = std::max({worst, std::abs(g - w), std::abs(ga - wa)});
            largest = std::max(largest, std::abs(w));
          }
        }
      }
    }
    if (spread) *spread = largest;
    std::printf("%s: max |LibTorch - reference| = %.3g over logits up to %.3g\n", what.c_str(), worst, largest);
    return worst;
  }

  std::string tiny(const std::string& name, model_io::TinyCheckpointOptions o) {
    o.vocab_path = (root_ / "vocab.txt").string();
    const std::string dir = (root_ / name).string();
    model_io::write_tiny_distilbert_qa(dir, o);
    return dir;
  }

  // Redraws every parameter of `from`'s checkpoint large (N(0, 0.3); LayerNorm weight 1 + N(0, 0.3))
  // so that each nonlinearity, the attention's sharpness and every LayerNorm's affine part move the
  // logits far past the tolerance, and saves it to `to` with `activation`.
  std::string redraw(const std::string& from, const std::string& to, const std::string& activation, uint64_t seed) {
    DistilBertForQuestionAnswering m = load_distilbert_qa(from).model;
    {
      torch::NoGradGuard no_grad;
      torch::manual_seed(seed);
      for (auto& p : m->named_parameters()) {
        const bool norm_weight = p.key().find("orm.weight") != std::string::npos;  // LayerNorm, *_layer_norm
        p.value().normal_(norm_weight ? 1.0 : 0.0, 0.3);
      }
    }
    const std::string dir = (root_ / to).string();
    save_distilbert_qa(*m, dir, from);
    auto config = model_io::load_distilbert_config(dir + "/config.json");
    config.activation = activation;
    model_io::write_distilbert_config(dir + "/config.json", config);
    return dir;
  }

  fs::path root_;
};

// Batches of unequal rows at several widths, padded with ids the mask must hide (the pad id 0 and
// ordinary tokens), one row as long as the position table.
std::vector<Batch> standard_batches(int64_t vocab, int64_t max_len, uint64_t seed) {
  const std::vector<int64_t> pad_tokens = {7, 0, 12, 3};
  return {padded(random_rows({1, 4, 9, 16}, vocab, seed), 16, pad_tokens),
          padded(random_rows({max_len, 2, max_len - 1}, vocab, seed + 1), max_len, {0}),
          padded(random_rows({5}, vocab, seed + 2), 5, {0}),
          padded(random_rows({3, 11}, vocab, seed + 3), 12, pad_tokens)};
}

TEST_F(DistilBertParity, TinyCheckpointsAsWrittenMatchTheReference) {
  // The fixtures' checkpoints as they are written (N(0, 0.02) weights, LayerNorm 1/0) in several
  // sizes and dtypes.
  struct Variant {
    int64_t layers, dim, heads, hidden;
    model_io::Dtype dtype;
  };
  const Variant variants[] = {{2, 64, 4, 128, model_io::Dtype::kF32},
                              {1, 24, 3, 40, model_io::Dtype::kBF16},
                              {3, 32, 8, 96, model_io::Dtype::kF16}};
  uint64_t seed = 100;
  for (const Variant& v : variants) {
    const model_io::TinyCheckpointOptions o{.seed = ++seed, .n_layers = v.layers, .dim = v.dim, .n_heads = v.heads,
                                            .hidden_dim = v.hidden, .max_position_embeddings = 24, .dtype = v.dtype};
    const std::string name = "tiny-" + std::to_string(v.layers) + "x" + std::to_string(v.dim) + "-" +
                             std::string(model_io::dtype_name(v.dtype));
    double spread = 0;
    compare(tiny(name, o), standard_batches(50, 24, seed), name, &spread);
    EXPECT_GT(spread, 0.05) << name << ": logits this small make the tolerance meaningless";
  }
}

TEST_F(DistilBertParity, LargeWeightsAndEveryActivationMatchTheReference) {
  const std::string base =
      tiny("base", {.seed = 7, .n_layers = 3, .dim = 32, .n_heads = 4, .hidden_dim = 72, .max_position_embeddings = 20});
  uint64_t seed = 40;
  for (const char* act : {"gelu", "gelu_new", "gelu_pytorch_tanh", "relu", "silu", "swish"}) {
    const std::string dir = redraw(base, std::string("large-") + act, act, ++seed);
    double spread = 0;
    compare(dir, standard_batches(50, 20, seed), std::string("large weights, ") + act, &spread);
    EXPECT_GT(spread, 1.0) << act;
  }
}

TEST_F(DistilBertParity, TheMaskAndTheActivationAreVisibleAtThisTolerance) {
  // What the comparison would miss if it were too loose: the reference without the mask, or with
  // the tanh GELU in place of the erf one, is farther than the tolerance from LibTorch.
  const std::string dir =
      redraw(tiny("base", {.seed = 9, .dim = 32, .hidden_dim = 64, .max_position_embeddings = 16}), "large", "gelu", 3);
  DistilBertForQuestionAnswering m = load_distilbert_qa(dir).model;
  torch::NoGradGuard no_grad;
  const Batch b = padded(random_rows({6, 16}, 50, 5), 16, {11});
  const SpanLogits got = m->forward(to_tensor(b.ids), to_tensor(b.mask));
  auto max_diff = [&](const std::string& ref_dir, const Rows& mask) {
    std::ofstream(root_ / "inputs.json") << nlohmann::json::array({{{"input_ids", b.ids}, {"attention_mask", mask}}}).dump();
    int status = 0;
    const std::string out = run_reference(ref_dir, root_ / "inputs.json", &status);
    EXPECT_EQ(status, 0) << out;
    if (status != 0) return 0.0;
    const auto ref = nlohmann::json::parse(out)[0];
    double worst = 0;
    for (int64_t i = 0; i < b.lengths[0]; ++i)
      worst = std::max(worst, std::abs(got.start_logits[0][i].item<double>() - ref["start_logits"][0][i].get<double>()));
    return worst;
  };
  EXPECT_LT(max_diff(dir, b.mask), kTolerance);
  EXPECT_GT(max_diff(dir, Rows(2, std::vector<int64_t>(16, 1))), 100 * kTolerance);
  fs::create_directories(root_ / "tanh");
  for (const char* f : {"model.safetensors", "vocab.txt"}) fs::copy_file(fs::path(dir) / f, root_ / "tanh" / f);
  auto config = model_io::load_distilbert_config(dir + "/config.json");
  config.activation = "gelu_new";
  model_io::write_distilbert_config((root_ / "tanh" / "config.json").string(), config);
  EXPECT_GT(max_diff((root_ / "tanh").string(), b.mask), kTolerance);
}

TEST_F(DistilBertParity, ReferenceRefusesTensorsOutsideTheHuggingFaceLayout) {
  const std::string dir = tiny("ok", {.dim = 16, .n_heads = 2, .hidden_dim = 24, .max_position_embeddings = 8});
  std::ofstream(root_ / "inputs.json") << R"([{"input_ids": [[2, 9, 3]], "attention_mask": [[1, 1, 1]]}])";
  int status = 0;
  std::string out = run_reference(dir, root_ / "inputs.json", &status);
  ASSERT_EQ(status, 0) << out;
  // Each edit of the tensor list must make the reference exit 1 naming the tensor.
  const std::vector<float> extra(16, 0.5f);
  const std::vector<std::pair<std::string, std::function<void(std::vector<model_io::TensorToWrite>&)>>> edits = {
      {"missing tensor distilbert.transformer.layer.1.ffn.lin2.bias",
       [](auto& t) { std::erase_if(t, [](const auto& x) { return x.name == "distilbert.transformer.layer.1.ffn.lin2.bias"; }); }},
      {"unknown tensor distilbert.transformer.layer.1.ffn.lin3.bias",
       [&](auto& t) {
         t.push_back({"distilbert.transformer.layer.1.ffn.lin3.bias", model_io::Dtype::kF32, {16}, std::as_bytes(std::span(extra))});
       }},
      {"distilbert.transformer.layer.0.attention.q_lin.bias: shape [4, 4], the config needs [16]",
       [](auto& t) {
         for (auto& x : t)
           if (x.name == "distilbert.transformer.layer.0.attention.q_lin.bias") x.shape = {4, 4};
       }},
  };
  for (const auto& [message, edit] : edits) {
    rewrite_checkpoint(dir, (root_ / "bad").string(), edit);
    out = run_reference((root_ / "bad").string(), root_ / "inputs.json", &status);
    EXPECT_NE(status, 0) << message;
    EXPECT_NE(out.find(message), std::string::npos) << out;
  }
}

TEST_F(DistilBertParity, CheckpointWrittenByTrainMatchesTheReference) {
  const char* env = std::getenv("WARCPAIRS_TRAINED_DISTILBERT");
  ASSERT_TRUE(env && *env) << "WARCPAIRS_TRAINED_DISTILBERT is not set: run through ctest (the fixture "
                              "parity.distilbert_train runs `warcpairs train` and sets it) or point it at a "
                              "checkpoint folder that `warcpairs train` wrote";
  const std::string dir = env;
  ASSERT_TRUE(fs::exists(dir + "/model.safetensors")) << dir;
  const auto config = model_io::load_distilbert_config(dir + "/config.json");
  EXPECT_EQ(config.architectures, std::vector<std::string>{"DistilBertForQuestionAnswering"});
  {
    // Trained: LayerNorm weights start at 1 and no longer are.
    DistilBertForQuestionAnswering m = load_distilbert_qa(dir).model;
    const auto ln = m->distilbert->transformer->layer->ptr<TransformerBlockImpl>(0)->sa_layer_norm->weight;
    EXPECT_GT((ln - 1).abs().max().item<double>(), 1e-4) << "the checkpoint looks untrained";
  }
  const int64_t n = config.max_position_embeddings, vocab = config.vocab_size;
  // Ids from the whole vocabulary, and [CLS] question [SEP] context [SEP]-shaped rows.
  std::vector<Batch> batches = {padded(random_rows({n, 17, 3, n - 5}, vocab, 1), n, {0}),
                                padded(random_rows({9, 30}, vocab, 2), 32, {0, 1012, 2003})};
  for (Rows* rows : {&batches[0].ids, &batches[1].ids})
    for (auto& r : *rows) r[0] = 101;
  compare(dir, batches, "trained checkpoint " + dir);
}

}  // namespace
}  // namespace warcpairs::model
