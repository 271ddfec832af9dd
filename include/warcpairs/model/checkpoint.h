// Loads and saves DistilBertForQuestionAnswering in Hugging Face layout (config.json, model.safetensors, vocab).
#pragma once

#include <string>

#include "warcpairs/model/distilbert.h"
#include "warcpairs/model_io/distilbert_checkpoint.h"
#include "warcpairs/model_io/safetensors.h"

namespace warcpairs::model {

// Copies every tensor of `file` into `model` by walking named_parameters() (the Hugging Face
// names); F32, F16, BF16 and F64 convert to the parameter's dtype and device. A bare DistilBertModel
// checkpoint (`distilbert-base-uncased`: no "distilbert." prefix, MLM head) loads too: other
// heads' tensors are ignored and qa_outputs keeps its fresh initialisation. Missing, unexpected or
// mis-shaped tensors throw one warcpairs::Error that lists them all by name; nothing is copied then.
// Returns the checker's report so callers can show what was ignored or newly initialised.
model_io::CheckpointReport load_distilbert_qa_weights(DistilBertForQuestionAnsweringImpl& model,
                                                      const model_io::SafetensorsView& file);

struct LoadedDistilBertQa {
  DistilBertForQuestionAnswering model;
  model_io::CheckpointReport report;
};

// Loads a checkpoint directory (config.json + model.safetensors). What transformers' from_pretrained
// would warn about (unused head tensors, newly initialised qa_outputs) is logged as one spdlog
// warning. The model is left in eval mode (dropout off), as from_pretrained leaves it.
LoadedDistilBertQa load_distilbert_qa(const std::string& dir);

// Writes `dir` (created if needed) so that transformers' from_pretrained loads it unchanged:
// config.json (architectures = DistilBertForQuestionAnswering), model.safetensors (F32, the
// Hugging Face names, __metadata__ {"format": "pt"}), and the tokenizer files (vocab.txt,
// tokenizer_config.json, tokenizer.json, special_tokens_map.json) that exist in `tokenizer_dir`
// (none when it is empty). Each file is written atomically.
void save_distilbert_qa(const DistilBertForQuestionAnsweringImpl& model, const std::string& dir,
                        const std::string& tokenizer_dir = {});

}  // namespace warcpairs::model
