// Parameter copies in and out of safetensors, and weights-file versions (parameter_io.h).
#include "parameter_io.h"

#include <cstdio>
#include <fstream>
#include <vector>

#include "warcpairs/core/error.h"
#include "warcpairs/core/hash.h"
#include "warcpairs/model_io/safetensors_writer.h"

namespace warcpairs::model {

void copy_into(torch::Tensor& param, const model_io::TensorView& stored) {
  const bool direct = param.scalar_type() == torch::kFloat && param.device().is_cpu() && param.is_contiguous();
  auto target = direct ? param : torch::empty(param.sizes(), torch::kFloat);
  model_io::convert_to_float(stored.dtype, stored.bytes(),
                             std::span<float>(target.data_ptr<float>(), static_cast<size_t>(target.numel())));
  if (!direct) param.copy_(target);
}

void write_parameters(const torch::nn::Module& module, const std::string& path) {
  std::vector<torch::Tensor> keep;  // F32 CPU copies the spans below point into
  std::vector<model_io::TensorToWrite> tensors;
  const auto params = module.named_parameters(/*recurse=*/true);
  keep.reserve(params.size());
  for (const auto& item : params) {
    keep.push_back(item.value().detach().to(torch::kCPU, torch::kFloat).contiguous());
    const torch::Tensor& t = keep.back();
    tensors.push_back({item.key(), model_io::Dtype::kF32, t.sizes().vec(),
                       {reinterpret_cast<const std::byte*>(t.data_ptr<float>()), t.numel() * sizeof(float)}});
  }
  model_io::write_safetensors(path, tensors, model_io::pytorch_metadata());
}

std::string file_version(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) throw Error("cannot read", file.string());
  uint64_t h = kFnv1a64Basis;
  std::vector<char> buf(1 << 20);
  while (in) {
    in.read(buf.data(), static_cast<std::streamsize>(buf.size()));
    h = fnv1a64(std::string_view(buf.data(), static_cast<std::size_t>(in.gcount())), h);
  }
  char hex[17];
  std::snprintf(hex, sizeof hex, "%016llx", static_cast<unsigned long long>(h));
  return std::string("fnv1a64:") + hex;
}

}  // namespace warcpairs::model
