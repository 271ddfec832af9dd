// DistilBERT in LibTorch: parameter names, shapes, attention mask, gradients, training, determinism.
#include "warcpairs/model/distilbert.h"

#include <gtest/gtest.h>
#include <torch/torch.h>

#include <cmath>

#include "warcpairs/core/error.h"
#include "warcpairs/model_io/distilbert_checkpoint.h"

namespace warcpairs::model {
namespace {

model_io::DistilBertConfig tiny_config() {
  model_io::DistilBertConfig c;
  c.vocab_size = 40;
  c.max_position_embeddings = 16;
  c.n_layers = 2;
  c.n_heads = 4;
  c.dim = 16;
  c.hidden_dim = 32;
  return c;
}

TEST(DistilBert, ParameterNamesAndShapesAreTheHuggingFaceOnes) {
  const auto config = tiny_config();
  DistilBertForQuestionAnswering model(config);
  const auto params = model->named_parameters();
  const auto expected = model_io::distilbert_qa_tensors(config);
  ASSERT_EQ(params.size(), expected.size());
  for (size_t i = 0; i < expected.size(); ++i) {
    EXPECT_EQ(params[i].key(), expected[i].name);
    EXPECT_EQ(params[i].value().sizes().vec(), expected[i].shape) << expected[i].name;
  }
  EXPECT_TRUE(model->named_buffers().is_empty());  // position_ids is not persistent
}

TEST(DistilBert, OutputShapes) {
  torch::manual_seed(1);
  DistilBertForQuestionAnswering model(tiny_config());
  model->eval();
  auto ids = torch::randint(0, 40, {3, 7}, torch::kLong);
  const SpanLogits out = model->forward(ids, torch::ones({3, 7}, torch::kLong));
  EXPECT_EQ(out.start_logits.sizes().vec(), (std::vector<int64_t>{3, 7}));
  EXPECT_EQ(out.end_logits.sizes().vec(), (std::vector<int64_t>{3, 7}));
  EXPECT_EQ(model->distilbert->forward(ids).sizes().vec(), (std::vector<int64_t>{3, 7, 16}));
  EXPECT_TRUE(torch::isfinite(out.start_logits).all().item<bool>());
  EXPECT_FALSE(torch::equal(out.start_logits, out.end_logits));
}

TEST(DistilBert, RejectsInputsLongerThanThePositionTable) {
  DistilBertForQuestionAnswering model(tiny_config());
  EXPECT_THROW(model->forward(torch::zeros({1, 17}, torch::kLong)), Error);
  EXPECT_THROW(model->forward(torch::zeros({2, 5}, torch::kLong), torch::ones({2, 4})), Error);
  EXPECT_NO_THROW(model->forward(torch::zeros({1, 16}, torch::kLong)));
}

TEST(DistilBert, PaddingDoesNotChangeTheOtherPositions) {
  torch::manual_seed(2);
  DistilBertForQuestionAnswering model(tiny_config());
  model->eval();
  auto short_ids = torch::randint(1, 40, {1, 5}, torch::kLong);
  const SpanLogits alone = model->forward(short_ids);
  // The same tokens padded with arbitrary (non-pad) ids that the mask must hide.
  auto padded = torch::cat({short_ids, torch::randint(1, 40, {1, 4}, torch::kLong)}, 1);
  auto mask = torch::cat({torch::ones({1, 5}, torch::kLong), torch::zeros({1, 4}, torch::kLong)}, 1);
  const SpanLogits masked = model->forward(padded, mask);
  using torch::indexing::Slice;
  EXPECT_TRUE(torch::allclose(masked.start_logits.index({Slice(), Slice(0, 5)}), alone.start_logits, 1e-5, 1e-6));
  EXPECT_TRUE(torch::allclose(masked.end_logits.index({Slice(), Slice(0, 5)}), alone.end_logits, 1e-5, 1e-6));
  // Without the mask the extra tokens are attended to, and the outputs move.
  const SpanLogits unmasked = model->forward(padded);
  EXPECT_FALSE(torch::allclose(unmasked.start_logits.index({Slice(), Slice(0, 5)}), alone.start_logits, 1e-5, 1e-6));
  // Rows of a batch are independent: a padded row next to a full one gives the same values.
  auto batch = torch::cat({padded, torch::randint(1, 40, {1, 9}, torch::kLong)}, 0);
  auto batch_mask = torch::cat({mask, torch::ones({1, 9}, torch::kLong)}, 0);
  const SpanLogits both = model->forward(batch, batch_mask);
  EXPECT_TRUE(torch::allclose(both.start_logits[0].index({Slice(0, 5)}), alone.start_logits[0], 1e-5, 1e-6));
}

TEST(DistilBert, GradientsMatchFiniteDifferences) {
  auto config = tiny_config();
  config.n_layers = 1;
  config.dim = 8;
  config.n_heads = 2;
  config.hidden_dim = 12;
  config.vocab_size = 11;
  torch::manual_seed(3);
  DistilBertForQuestionAnswering model(config);
  model->to(torch::kDouble);
  model->eval();  // dropout off
  for (auto& p : model->parameters()) p.data().normal_(0.0, 0.5);  // away from the flat init
  auto ids = torch::tensor({{1, 4, 7, 2, 9, 0}}, torch::kLong);
  auto mask = torch::tensor({{1, 1, 1, 1, 1, 0}}, torch::kLong);
  auto starts = torch::tensor({1}, torch::kLong), ends = torch::tensor({3}, torch::kLong);
  auto loss_of = [&] { return span_loss(model->forward(ids, mask), starts, ends); };

  model->zero_grad();
  loss_of().backward();
  const auto params = model->named_parameters();
  struct Probe { const char* name; int64_t index; };
  const Probe probes[] = {{"distilbert.embeddings.word_embeddings.weight", 4 * 8 + 3},
                          {"distilbert.embeddings.position_embeddings.weight", 2 * 8 + 1},
                          {"distilbert.embeddings.LayerNorm.weight", 5},
                          {"distilbert.transformer.layer.0.attention.q_lin.weight", 13},
                          {"distilbert.transformer.layer.0.attention.k_lin.bias", 2},
                          {"distilbert.transformer.layer.0.attention.v_lin.weight", 40},
                          {"distilbert.transformer.layer.0.attention.out_lin.weight", 7},
                          {"distilbert.transformer.layer.0.sa_layer_norm.bias", 6},
                          {"distilbert.transformer.layer.0.ffn.lin1.weight", 50},
                          {"distilbert.transformer.layer.0.ffn.lin2.bias", 1},
                          {"distilbert.transformer.layer.0.output_layer_norm.weight", 0},
                          {"qa_outputs.weight", 9}};
  torch::NoGradGuard no_grad;
  for (const Probe& probe : probes) {
    auto flat = params[probe.name].view(-1);
    const double analytic = params[probe.name].grad().view(-1)[probe.index].item<double>();
    const double h = 1e-6, saved = flat[probe.index].item<double>();
    flat[probe.index] = saved + h;
    const double up = loss_of().item<double>();
    flat[probe.index] = saved - h;
    const double down = loss_of().item<double>();
    flat[probe.index] = saved;
    const double numeric = (up - down) / (2 * h);
    EXPECT_NEAR(analytic, numeric, 1e-6 + 1e-5 * std::abs(numeric)) << probe.name << "[" << probe.index << "]";
  }
  // padding_idx: the [PAD] row of the word embeddings never gets a gradient, as in torch.nn.Embedding.
  EXPECT_EQ(params["distilbert.embeddings.word_embeddings.weight"].grad()[0].abs().sum().item<double>(), 0.0);
}

// Task: the answer span starts at the token 7 and ends at the token 8 that follows later.
TEST(DistilBert, SpanLossFallsUnderAdamW) {
  torch::manual_seed(4);
  const auto config = tiny_config();
  DistilBertForQuestionAnswering model(config);
  model->train();
  const int64_t b = 16, t = 12;
  auto ids = torch::randint(10, 40, {b, t}, torch::kLong);
  auto starts = torch::randint(0, 6, {b}, torch::kLong);
  auto ends = starts + torch::randint(1, 6, {b}, torch::kLong);
  for (int64_t i = 0; i < b; ++i) {
    ids[i][starts[i].item<int64_t>()] = 7;
    ids[i][ends[i].item<int64_t>()] = 8;
  }
  torch::optim::AdamW optimizer(model->parameters(), torch::optim::AdamWOptions(3e-3).weight_decay(0.01));
  double first = 0, last = 0;
  for (int step = 0; step < 50; ++step) {
    optimizer.zero_grad();
    auto loss = span_loss(model->forward(ids), starts, ends);
    loss.backward();
    optimizer.step();
    (step == 0 ? first : last) = loss.item<double>();
  }
  EXPECT_NEAR(first, std::log(static_cast<double>(t)), 0.3);  // near uniform at init
  EXPECT_LT(last, 0.25 * first) << "first " << first << " last " << last;
}

TEST(DistilBert, SpanLossIgnoresPositionsOutsideTheSequence) {
  SpanLogits logits{torch::randn({2, 5}), torch::randn({2, 5})};
  const auto both = span_loss(logits, torch::tensor({1, 9}), torch::tensor({2, 9}));
  const SpanLogits first{logits.start_logits.slice(0, 0, 1), logits.end_logits.slice(0, 0, 1)};
  const auto alone = span_loss(first, torch::tensor({1}), torch::tensor({2}));
  EXPECT_NEAR(both.item<double>(), alone.item<double>(), 1e-6);
  // Negative positions clamp to 0, as in transformers.
  EXPECT_NEAR(span_loss(first, torch::tensor({-3}), torch::tensor({-1})).item<double>(),
              span_loss(first, torch::tensor({0}), torch::tensor({0})).item<double>(), 1e-6);
}

TEST(DistilBert, SameSeedSameModelAndOutputs) {
  auto run = [](uint64_t seed) {
    torch::manual_seed(seed);
    DistilBertForQuestionAnswering model(tiny_config());
    model->train();  // dropout draws from the same generator
    return model->forward(torch::arange(10, torch::kLong).view({2, 5})).start_logits;
  };
  const auto a = run(5), b = run(5), c = run(6);
  EXPECT_TRUE(torch::equal(a, b));
  EXPECT_FALSE(torch::equal(a, c));
}

TEST(DistilBert, SinusoidalPositionsAreFixed) {
  auto config = tiny_config();
  config.sinusoidal_pos_embds = true;
  DistilBertForQuestionAnswering model(config);
  const auto table = model->distilbert->embeddings->position_embeddings->weight;
  EXPECT_FALSE(table.requires_grad());
  EXPECT_FLOAT_EQ(table[0][0].item<float>(), 0.0f);
  EXPECT_FLOAT_EQ(table[0][1].item<float>(), 1.0f);
  // pos 3, columns 4 and 5 share the frequency 10000^(-4/16).
  const double angle = 3.0 / std::pow(10000.0, 4.0 / 16.0);
  EXPECT_FLOAT_EQ(table[3][4].item<float>(), static_cast<float>(std::sin(angle)));
  EXPECT_FLOAT_EQ(table[3][5].item<float>(), static_cast<float>(std::cos(angle)));
}

TEST(DistilBert, InitialisationFollowsTransformers) {
  torch::manual_seed(8);
  DistilBertForQuestionAnswering model(tiny_config());
  const auto p = model->named_parameters();
  EXPECT_EQ(p["distilbert.embeddings.word_embeddings.weight"][0].abs().sum().item<float>(), 0.0f);  // pad row
  EXPECT_TRUE(torch::equal(p["distilbert.transformer.layer.1.sa_layer_norm.weight"], torch::ones({16})));
  EXPECT_EQ(p["qa_outputs.bias"].abs().sum().item<float>(), 0.0f);
  const double sd = p["distilbert.transformer.layer.0.ffn.lin1.weight"].std().item<double>();
  EXPECT_NEAR(sd, 0.02, 0.004);
}

}  // namespace
}  // namespace warcpairs::model
