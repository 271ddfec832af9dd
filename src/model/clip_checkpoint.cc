// Hugging Face CLIPModel checkpoint directories ↔ ClipModel, through the model_io views.
#include <filesystem>
#include <vector>

#include <torch/types.h>
#include <torch/utils.h>

#include "warcpairs/core/error.h"
#include "warcpairs/model/clip.h"
#include "parameter_io.h"

namespace warcpairs::model {
model_io::ClipCheckpointReport load_clip_weights(ClipModelImpl& model, const model_io::SafetensorsView& file) {
  model_io::ClipCheckpointReport report = model_io::check_clip_checkpoint(file, model.config);
  if (!report.ok())
    throw Error("checkpoint does not fit CLIPModel (text " + std::to_string(model.config.text.hidden_size) + "×" +
                    std::to_string(model.config.text.num_hidden_layers) + ", vision " +
                    std::to_string(model.config.vision.hidden_size) + "×" +
                    std::to_string(model.config.vision.num_hidden_layers) + "):\n" + report.describe(),
                file.source());
  torch::NoGradGuard no_grad;
  for (auto& item : model.named_parameters(/*recurse=*/true)) {
    const auto stored = file.find(item.key());
    // The checker matched the table against the file; a parameter outside the table is a bug here.
    if (!stored) throw Error("model parameter " + item.key() + " has no tensor in the checkpoint", file.source());
    if (!std::equal(stored->shape.begin(), stored->shape.end(), item.value().sizes().begin(),
                    item.value().sizes().end()))
      throw Error("tensor " + item.key() + " does not match the shape of its parameter", file.source());
    copy_into(item.value(), *stored);
  }
  return report;
}

ClipModel load_clip(const std::string& dir) {
  const auto config = model_io::load_clip_config(dir + "/config.json");
  model_io::SafetensorsFile file(dir + "/model.safetensors");
  ClipModel model(config);
  load_clip_weights(*model, file.view());
  model->eval();
  return model;
}

void save_clip(const ClipModelImpl& model, const std::string& dir) {
  std::filesystem::create_directories(dir);
  write_parameters(model, dir + "/model.safetensors");
  model_io::ClipConfig config = model.config;
  config.architectures = {"CLIPModel"};
  model_io::write_clip_config(dir + "/config.json", config);
}

}  // namespace warcpairs::model
