// ClipScorer: CLIPModel behind a LibTorch-free interface, embeddings L2-normalised on the way out.
#include "warcpairs/model/clip_scorer.h"

#include <torch/types.h>
#include <torch/utils.h>

#include "warcpairs/core/error.h"
#include "warcpairs/model/clip.h"
#include "parameter_io.h"

namespace warcpairs::model {
namespace fs = std::filesystem;

struct ClipScorer::Impl {
  Impl(ClipModel m, const std::string& dev) : net(std::move(m)), device(dev) {}
  ClipModel net;
  torch::Device device;
  std::string version;
};

namespace {
// x / ‖x‖₂ per row, as CLIPModel.forward normalises image_embeds and text_embeds, copied out.
void normalised_rows(const torch::Tensor& features, std::vector<float>& out) {
  const auto e = (features / features.norm(2, -1, true)).to(torch::kCPU, torch::kFloat).contiguous();
  out.assign(e.data_ptr<float>(), e.data_ptr<float>() + e.numel());
}
}  // namespace

ClipScorer::ClipScorer(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
ClipScorer::ClipScorer(ClipScorer&&) noexcept = default;
ClipScorer& ClipScorer::operator=(ClipScorer&&) noexcept = default;
ClipScorer::~ClipScorer() = default;

ClipScorer ClipScorer::load(const fs::path& dir, const std::string& device) {
  for (const char* name : {"config.json", "model.safetensors"})
    if (!fs::is_regular_file(dir / name))
      throw UsageError("CLIP model directory " + dir.string() + " lacks " + name +
                       " (download openai/clip-vit-base-patch32's config.json and model.safetensors)");
  auto impl = std::make_unique<Impl>(load_clip(dir.string()), device);
  impl->net->to(impl->device);
  impl->net->eval();
  impl->version = file_version(dir / "model.safetensors");
  return ClipScorer(std::move(impl));
}

void ClipScorer::embed_images(const float* pixels, int64_t n, std::vector<float>& out) {
  out.clear();
  if (n <= 0) return;
  torch::NoGradGuard no_grad;
  const int64_t s = image_size(), c = num_channels();
  // from_blob does not copy; the forward pass only reads it (the CPU path) or copies it to the GPU.
  const auto cpu = torch::from_blob(const_cast<float*>(pixels), {n, c, s, s}, torch::kFloat);
  normalised_rows(impl_->net->image_features(cpu.to(impl_->device)), out);
}

void ClipScorer::embed_texts(const std::vector<std::vector<int32_t>>& ids, std::vector<float>& out) {
  out.clear();
  if (ids.empty()) return;
  torch::NoGradGuard no_grad;
  const auto& tc = impl_->net->config.text;
  int64_t t = 0;
  for (const auto& row : ids) {
    if (row.empty() || static_cast<int64_t>(row.size()) > tc.max_position_embeddings)
      throw Error("CLIP text of " + std::to_string(row.size()) + " tokens: need 1 to " +
                  std::to_string(tc.max_position_embeddings));
    t = std::max<int64_t>(t, static_cast<int64_t>(row.size()));
  }
  const auto b = static_cast<int64_t>(ids.size());
  auto input = torch::full({b, t}, tc.pad_token_id, torch::kLong);
  auto mask = torch::zeros({b, t}, torch::kLong);
  auto* in = input.data_ptr<int64_t>();
  auto* m = mask.data_ptr<int64_t>();
  for (int64_t i = 0; i < b; ++i) {
    const auto& row = ids[static_cast<size_t>(i)];
    for (size_t k = 0; k < row.size(); ++k) {
      if (row[k] < 0 || row[k] >= tc.vocab_size)
        throw Error("CLIP token id " + std::to_string(row[k]) + " is outside the vocabulary of " +
                    std::to_string(tc.vocab_size));
      in[i * t + static_cast<int64_t>(k)] = row[k];
      m[i * t + static_cast<int64_t>(k)] = 1;
    }
  }
  normalised_rows(impl_->net->text_features(input.to(impl_->device), mask.to(impl_->device)), out);
}

int64_t ClipScorer::image_size() const { return impl_->net->config.vision.image_size; }
int64_t ClipScorer::num_channels() const { return impl_->net->config.vision.num_channels; }
int64_t ClipScorer::projection_dim() const { return impl_->net->config.projection_dim; }
int64_t ClipScorer::max_text_tokens() const { return impl_->net->config.text.max_position_embeddings; }
std::string ClipScorer::device() const { return impl_->device.str(); }
const std::string& ClipScorer::version() const { return impl_->version; }
double ClipScorer::logit_scale() const {
  return impl_->net->logit_scale.detach().to(torch::kCPU).exp().item<double>();
}

}  // namespace warcpairs::model
