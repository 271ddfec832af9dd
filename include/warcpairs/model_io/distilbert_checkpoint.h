// The tensor names and shapes of DistilBertForQuestionAnswering, and a checker for checkpoints.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "warcpairs/model_io/distilbert_config.h"
#include "warcpairs/model_io/safetensors.h"

namespace warcpairs::model_io {

struct ExpectedTensor {
  std::string name;  // as in transformers' DistilBertForQuestionAnswering.state_dict()
  std::vector<int64_t> shape;
};

// Parameters of DistilBertForQuestionAnswering (modeling_distilbert.py: Embeddings,
// TransformerBlock × n_layers, qa_outputs = Linear(dim, 2)), in module order, every name
// starting with "distilbert." except qa_outputs.{weight,bias}. Linear weights are [out, in].
std::vector<ExpectedTensor> distilbert_qa_tensors(const DistilBertConfig& config);

struct TensorProblem {
  std::string name;  // as in the file
  std::string what;  // e.g. "shape [64,32] but the config needs [64,64]"
};

// What loading a checkpoint into DistilBertForQuestionAnswering would do, in the terms of
// transformers' from_pretrained warnings.
struct CheckpointReport {
  // "distilbert." for a DistilBertFor* checkpoint; "" for a bare DistilBertModel checkpoint whose
  // encoder names carry no prefix (transformers adds/strips base_model_prefix the same way).
  std::string encoder_prefix;
  std::vector<std::string> missing;            // encoder tensors absent: cannot load
  std::vector<TensorProblem> mismatched;       // wrong shape or non-float dtype: cannot load
  std::vector<std::string> unexpected;         // names DistilBERT does not have: cannot load
  std::vector<std::string> unused;             // other heads (MLM vocab_*, classifier, position_ids): ignored
  std::vector<std::string> newly_initialized;  // qa_outputs.* absent: initialised at random

  bool ok() const { return missing.empty() && mismatched.empty() && unexpected.empty(); }
  // The name of a QA parameter (distilbert_qa_tensors naming) inside this checkpoint.
  std::string file_name(std::string_view qa_name) const;
  // Multi-line summary listing every problem by name.
  std::string describe() const;
};

CheckpointReport check_distilbert_qa_checkpoint(const SafetensorsView& file, const DistilBertConfig& config);

}  // namespace warcpairs::model_io
