// CLIP for the score stage: the model (when this build has the model layer) and its BPE
// tokenizer behind one small class, so score.cc needs neither LibTorch nor the model layer.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "warcpairs/dist/mpi_session.h"
#include "warcpairs/stages/score/score.h"

namespace warcpairs::stages {

class ClipEmbedder {
 public:
  virtual ~ClipEmbedder() = default;
  virtual int64_t image_size() const = 0;
  virtual int64_t projection_dim() const = 0;
  virtual std::string version() const = 0;
  virtual std::string device() const = 0;
  virtual double logit_scale() const = 0;  // exp(logit_scale) of the checkpoint
  // n preprocessed images (CHW floats) → n × projection_dim L2-normalised rows.
  virtual void embed_images(const float* pixels, int64_t n, std::vector<float>& out) = 0;
  // Texts → tokenized as HF's CLIPTokenizer (truncated to the model's 77 positions, the end
  // token kept) → L2-normalised rows.
  virtual void embed_texts(const std::vector<std::string>& texts, std::vector<float>& out) = 0;
};

// Loads ScoreConfig::clip_dir on the device for this rank. Throws UsageError in a build without
// the model layer, or when the checkpoint or its BPE merges are missing.
std::unique_ptr<ClipEmbedder> make_clip_embedder(const ScoreConfig& config,
                                                 const dist::MpiSession& session);
// The same on one rank alone (search's rank 0): `node` is this rank's place, which the caller
// asked for collectively (MpiSession::node_place) before.
std::unique_ptr<ClipEmbedder> make_clip_embedder(const ScoreConfig& config, const dist::NodePlace& node);

}  // namespace warcpairs::stages
