// Hugging Face checkpoint directories ↔ DistilBertForQuestionAnswering, through the model_io views.
#include "warcpairs/model/checkpoint.h"

#include <cstring>
#include <filesystem>
#include <vector>

#include <spdlog/spdlog.h>
#include <torch/types.h>
#include <torch/utils.h>

#include "warcpairs/core/error.h"
#include "warcpairs/core/small_file.h"
#include "warcpairs/model_io/safetensors_writer.h"
#include "parameter_io.h"

namespace warcpairs::model {
namespace {
// The files transformers' tokenizer.save_pretrained writes for a DistilBERT tokenizer.
constexpr const char* kTokenizerFiles[] = {"vocab.txt", "tokenizer_config.json", "tokenizer.json",
                                           "special_tokens_map.json"};
}  // namespace

model_io::CheckpointReport load_distilbert_qa_weights(DistilBertForQuestionAnsweringImpl& model,
                                                      const model_io::SafetensorsView& file) {
  model_io::CheckpointReport report = model_io::check_distilbert_qa_checkpoint(file, model.config());
  if (!report.ok())
    throw Error("checkpoint does not fit DistilBertForQuestionAnswering (dim " + std::to_string(model.config().dim) +
                    ", " + std::to_string(model.config().n_layers) + " layers):\n" + report.describe(),
                file.source());
  torch::NoGradGuard no_grad;
  for (auto& item : model.named_parameters(/*recurse=*/true)) {
    const std::string stored_name = report.file_name(item.key());
    const auto stored = file.find(stored_name);
    if (!stored) {
      if (item.key().starts_with("qa_outputs.")) continue;  // newly initialised, as transformers does
      throw Error("model parameter " + item.key() + " has no tensor " + stored_name, file.source());
    }
    if (!std::equal(stored->shape.begin(), stored->shape.end(), item.value().sizes().begin(),
                    item.value().sizes().end()))
      throw Error("tensor " + stored_name + " does not match the shape of parameter " + item.key(), file.source());
    copy_into(item.value(), *stored);
  }
  return report;
}

LoadedDistilBertQa load_distilbert_qa(const std::string& dir) {
  const auto config = model_io::load_distilbert_config(dir + "/config.json");
  model_io::SafetensorsFile file(dir + "/model.safetensors");
  LoadedDistilBertQa out{DistilBertForQuestionAnswering(config), {}};
  out.report = load_distilbert_qa_weights(*out.model, file.view());
  if (!out.report.unused.empty() || !out.report.newly_initialized.empty())
    spdlog::warn("loading {} into DistilBertForQuestionAnswering:\n{}", dir, out.report.describe());
  out.model->eval();
  return out;
}

void save_distilbert_qa(const DistilBertForQuestionAnsweringImpl& model, const std::string& dir,
                        const std::string& tokenizer_dir) {
  std::filesystem::create_directories(dir);
  write_parameters(model, dir + "/model.safetensors");

  model_io::DistilBertConfig config = model.config();
  config.architectures = {"DistilBertForQuestionAnswering"};
  model_io::write_distilbert_config(dir + "/config.json", config);

  if (tokenizer_dir.empty()) return;
  for (const char* name : kTokenizerFiles) {
    const std::filesystem::path from = std::filesystem::path(tokenizer_dir) / name;
    if (!std::filesystem::exists(from)) continue;
    const std::string text = read_small_file(from, "cannot read");
    const std::span<const std::byte> part(reinterpret_cast<const std::byte*>(text.data()), text.size());
    model_io::write_file_atomically(dir + "/" + name, std::span(&part, 1));
  }
}

}  // namespace warcpairs::model
