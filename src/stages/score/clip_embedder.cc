// ClipEmbedder over model::ClipScorer and text::ClipBpe.
#include "clip_embedder.h"

#include "warcpairs/core/error.h"
#include "warcpairs/dist/mpi_session.h"
#include "warcpairs/model/clip_scorer.h"
#include "warcpairs/model/span_model.h"
#include "warcpairs/stages/train/train.h"
#include "warcpairs/text/clip_bpe.h"

namespace warcpairs::stages {
namespace fs = std::filesystem;

namespace {

// The merges: --bpe, else what a Hugging Face CLIP checkpoint ships (merges.txt), else the
// original release's file.
fs::path find_bpe(const ScoreConfig& c) {
  if (!c.bpe.empty()) return c.bpe;
  for (const char* name : {"merges.txt", "bpe_simple_vocab_16e6.txt.gz", "bpe_simple_vocab_16e6.txt"})
    if (fs::is_regular_file(c.clip_dir / name)) return c.clip_dir / name;
  throw UsageError("--clip " + c.clip_dir.string() +
                   " has no merges.txt (the CLIP BPE merges): give --bpe FILE");
}

class TorchClipEmbedder final : public ClipEmbedder {
 public:
  TorchClipEmbedder(model::ClipScorer scorer, text::ClipBpe bpe)
      : scorer_(std::move(scorer)), bpe_(std::move(bpe)) {}
  int64_t image_size() const override { return scorer_.image_size(); }
  int64_t projection_dim() const override { return scorer_.projection_dim(); }
  std::string version() const override { return scorer_.version(); }
  std::string device() const override { return scorer_.device(); }
  double logit_scale() const override { return scorer_.logit_scale(); }
  void embed_images(const float* pixels, int64_t n, std::vector<float>& out) override {
    scorer_.embed_images(pixels, n, out);
  }
  void embed_texts(const std::vector<std::string>& texts, std::vector<float>& out) override {
    const auto max = static_cast<std::size_t>(scorer_.max_text_tokens());
    ids_.resize(texts.size());
    for (std::size_t i = 0; i < texts.size(); ++i) {
      bpe_.encode(texts[i], enc_);
      ids_[i].assign(enc_.ids.begin(), enc_.ids.end());
      if (ids_[i].size() > max) {  // HF truncation: the first max - 1 tokens, then the end token
        ids_[i].resize(max - 1);
        ids_[i].push_back(bpe_.end_id());
      }
    }
    scorer_.embed_texts(ids_, out);
  }

 private:
  model::ClipScorer scorer_;
  text::ClipBpe bpe_;
  text::Encoding enc_;
  std::vector<std::vector<int32_t>> ids_;
};

}  // namespace

std::unique_ptr<ClipEmbedder> make_clip_embedder(const ScoreConfig& c,
                                                 const dist::MpiSession& session) {
  return make_clip_embedder(c, session.node_place());
}

std::unique_ptr<ClipEmbedder> make_clip_embedder(const ScoreConfig& c, const dist::NodePlace& node) {
  for (const char* name : {"config.json", "model.safetensors"})
    if (!fs::is_regular_file(c.clip_dir / name))
      throw UsageError("--clip " + c.clip_dir.string() + " is not a CLIP checkpoint: it lacks " +
                       name + " (models/README.md)");
  model::set_threads(c.threads > 0 ? c.threads : node.cores_per_rank());
  auto bpe = text::ClipBpe::from_file(find_bpe(c));
  auto scorer = model::ClipScorer::load(c.clip_dir, model::resolve_device(c.device, node.rank));
  return std::make_unique<TorchClipEmbedder>(std::move(scorer), std::move(bpe));
}

}  // namespace warcpairs::stages
