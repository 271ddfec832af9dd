// CLIP image and text embeddings as the stages use them, without LibTorch in the header: load a
// Hugging Face CLIPModel checkpoint and embed preprocessed images and tokenized texts in batches.
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

namespace warcpairs::model {

// Embeddings come back L2-normalised, so the cosine similarity of an image and a text is the dot
// product of their rows (CLIPModel.forward normalises the same way before logit_scale).
class ClipScorer {
 public:
  // A checkpoint directory in Hugging Face layout (config.json + model.safetensors), e.g.
  // openai/clip-vit-base-patch32 as downloaded. `device` as resolve_device (span_model.h) returns
  // it: "cpu" or "cuda:N". Missing or mis-shaped tensors are an Error naming them.
  static ClipScorer load(const std::filesystem::path& dir, const std::string& device);
  ClipScorer(ClipScorer&&) noexcept;
  ClipScorer& operator=(ClipScorer&&) noexcept;
  ~ClipScorer();

  // `pixels`: n × 3 × S × S floats, CHW per image, already preprocessed (resized, centre-cropped,
  // CLIP mean/std normalised), S = image_size(). `out` becomes n × projection_dim(), row i the
  // L2-normalised image_embeds of image i. One forward pass, eval mode, no gradients.
  void embed_images(const float* pixels, int64_t n, std::vector<float>& out);
  // `ids`: per text the token ids including <|startoftext|> ... <|endoftext|>, each 1 to
  // max_text_tokens() long (the caller truncates). Padded to the longest with the config's
  // pad_token_id and an attention mask. `out` becomes ids.size() × projection_dim().
  void embed_texts(const std::vector<std::vector<int32_t>>& ids, std::vector<float>& out);

  int64_t image_size() const;       // vision_config.image_size
  int64_t num_channels() const;     // vision_config.num_channels (3 for every released CLIP)
  int64_t projection_dim() const;   // projection_dim
  int64_t max_text_tokens() const;  // text_config.max_position_embeddings (77)
  std::string device() const;
  // exp(logit_scale) of the checkpoint: the factor CLIPModel.forward multiplies cosine
  // similarities by before a softmax (100 for OpenAI's released CLIPs).
  double logit_scale() const;
  // "fnv1a64:<hex>" of the loaded model.safetensors bytes, as SpanModel::version.
  const std::string& version() const;

  struct Impl;

 private:
  explicit ClipScorer(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace warcpairs::model
