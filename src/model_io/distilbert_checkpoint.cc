// DistilBertForQuestionAnswering's parameter table and the checkpoint checker built on it.
#include "warcpairs/model_io/distilbert_checkpoint.h"

#include <algorithm>
#include <set>

#include "checkpoint_parts.h"
#include "warcpairs/model_io/dtype.h"

namespace warcpairs::model_io {
namespace {
constexpr std::string_view kPrefix = "distilbert.";  // DistilBertPreTrainedModel.base_model_prefix

// Parameters of heads other than QA and the old persistent position_ids buffer: transformers
// reports them as "not used when initializing DistilBertForQuestionAnswering".
bool is_other_head(std::string_view name, std::string_view prefix) {
  static const std::set<std::string_view> kHeads = {
      "vocab_transform.weight", "vocab_transform.bias", "vocab_layer_norm.weight", "vocab_layer_norm.bias",
      "vocab_projector.weight", "vocab_projector.bias", "pre_classifier.weight",  "pre_classifier.bias",
      "classifier.weight",      "classifier.bias"};
  if (kHeads.count(name)) return true;
  return name.starts_with(prefix) && name.substr(prefix.size()) == "embeddings.position_ids";
}

std::string detect_prefix(const SafetensorsView& file) {
  for (const std::string& n : file.names())
    if (n.starts_with(kPrefix)) return std::string(kPrefix);
  for (const std::string& n : file.names())
    if (n.starts_with("embeddings.") || n.starts_with("transformer.")) return "";
  return std::string(kPrefix);
}
}  // namespace

std::vector<ExpectedTensor> distilbert_qa_tensors(const DistilBertConfig& c) {
  std::vector<ExpectedTensor> t;
  const std::string e = "distilbert.embeddings.";
  t.push_back({e + "word_embeddings.weight", {c.vocab_size, c.dim}});
  t.push_back({e + "position_embeddings.weight", {c.max_position_embeddings, c.dim}});
  t.push_back({e + "LayerNorm.weight", {c.dim}});
  t.push_back({e + "LayerNorm.bias", {c.dim}});
  for (int64_t i = 0; i < c.n_layers; ++i) {
    const std::string l = "distilbert.transformer.layer." + std::to_string(i) + ".";
    for (const char* lin : {"q_lin", "k_lin", "v_lin", "out_lin"}) {
      t.push_back({l + "attention." + lin + ".weight", {c.dim, c.dim}});
      t.push_back({l + "attention." + lin + ".bias", {c.dim}});
    }
    t.push_back({l + "sa_layer_norm.weight", {c.dim}});
    t.push_back({l + "sa_layer_norm.bias", {c.dim}});
    t.push_back({l + "ffn.lin1.weight", {c.hidden_dim, c.dim}});
    t.push_back({l + "ffn.lin1.bias", {c.hidden_dim}});
    t.push_back({l + "ffn.lin2.weight", {c.dim, c.hidden_dim}});
    t.push_back({l + "ffn.lin2.bias", {c.dim}});
    t.push_back({l + "output_layer_norm.weight", {c.dim}});
    t.push_back({l + "output_layer_norm.bias", {c.dim}});
  }
  t.push_back({"qa_outputs.weight", {2, c.dim}});  // start and end logits
  t.push_back({"qa_outputs.bias", {2}});
  return t;
}

std::string CheckpointReport::file_name(std::string_view qa_name) const {
  if (qa_name.starts_with(kPrefix)) return encoder_prefix + std::string(qa_name.substr(kPrefix.size()));
  return std::string(qa_name);
}

CheckpointReport check_distilbert_qa_checkpoint(const SafetensorsView& file, const DistilBertConfig& config) {
  CheckpointReport r;
  r.encoder_prefix = detect_prefix(file);
  std::set<std::string> matched;
  for (const ExpectedTensor& want : distilbert_qa_tensors(config)) {
    const std::string name = r.file_name(want.name);
    const auto got = file.find(name);
    if (!got) {
      (want.name.starts_with("qa_outputs.") ? r.newly_initialized : r.missing).push_back(name);
      continue;
    }
    matched.insert(name);
    detail::check_stored(name, *got, want.shape, r.mismatched);
  }
  for (const std::string& name : file.names()) {
    if (matched.count(name)) continue;
    (is_other_head(name, r.encoder_prefix) ? r.unused : r.unexpected).push_back(name);
  }
  for (auto* v : {&r.missing, &r.unexpected, &r.unused, &r.newly_initialized}) std::sort(v->begin(), v->end());
  return r;
}

std::string CheckpointReport::describe() const {
  std::string s;
  detail::list_names(s, "missing from the checkpoint", missing);
  detail::list_mismatched(s, mismatched);
  detail::list_names(s, "unexpected in the checkpoint", unexpected);
  detail::list_names(s, "not used by DistilBertForQuestionAnswering", unused);
  detail::list_names(s, "newly initialised (not in the checkpoint)", newly_initialized);
  return s.empty() ? "checkpoint matches DistilBertForQuestionAnswering\n" : s;
}

}  // namespace warcpairs::model_io
