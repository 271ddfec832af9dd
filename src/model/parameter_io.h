// What the DistilBERT and CLIP checkpoints share: copying stored tensors into parameters,
// saving a module's parameters, and the version string of a weights file.
#pragma once

#include <filesystem>
#include <string>

#include <torch/nn/module.h>
#include <torch/types.h>

#include "warcpairs/model_io/safetensors.h"

namespace warcpairs::model {

// Converts one stored tensor into `param` (any float dtype, any device).
void copy_into(torch::Tensor& param, const model_io::TensorView& stored);

// Writes every parameter of `module` under its named_parameters() name (the Hugging Face
// name) as F32 to the safetensors file `path`, with __metadata__ {"format": "pt"}, atomically.
void write_parameters(const torch::nn::Module& module, const std::string& path);

// "fnv1a64:" and the 16 hex digits of FNV-1a 64 over the file's bytes: the version that
// predictions and scores name their model by.
std::string file_version(const std::filesystem::path& file);

}  // namespace warcpairs::model
