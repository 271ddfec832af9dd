// Hugging Face CLIPModel checkpoint directories ↔ ClipModel, through the model_io views.
#include <filesystem>
#include <vector>

#include <torch/types.h>
#include <torch/utils.h>

#include "warcpairs/core/error.h"
#include "warcpairs/model/clip.h"
#include "warcpairs/model_io/safetensors_writer.h"

namespace warcpairs::model {
namespace {
// Converts one stored tensor into `param` (any float dtype, any device).
void copy_into(torch::Tensor& param, const model_io::TensorView& stored) {
  const bool direct = param.scalar_type() == torch::kFloat && param.device().is_cpu() && param.is_contiguous();
  auto target = direct ? param : torch::empty(param.sizes(), torch::kFloat);
  model_io::convert_to_float(stored.dtype, stored.bytes(),
                             std::span<float>(target.data_ptr<float>(), static_cast<size_t>(target.numel())));
  if (!direct) param.copy_(target);
}
}  // namespace

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
  std::vector<torch::Tensor> keep;  // F32 CPU copies the spans below point into
  std::vector<model_io::TensorToWrite> tensors;
  const auto params = model.named_parameters(/*recurse=*/true);
  keep.reserve(params.size());
  for (const auto& item : params) {
    keep.push_back(item.value().detach().to(torch::kCPU, torch::kFloat).contiguous());
    const torch::Tensor& t = keep.back();
    tensors.push_back({item.key(), model_io::Dtype::kF32, t.sizes().vec(),
                       {reinterpret_cast<const std::byte*>(t.data_ptr<float>()), t.numel() * sizeof(float)}});
  }
  model_io::write_safetensors(dir + "/model.safetensors", tensors, model_io::pytorch_metadata());
  model_io::ClipConfig config = model.config;
  config.architectures = {"CLIPModel"};
  model_io::write_clip_config(dir + "/config.json", config);
}

}  // namespace warcpairs::model
