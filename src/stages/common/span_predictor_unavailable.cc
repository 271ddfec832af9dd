// The model entry points in the warcpairs binary, which does not link LibTorch: warcpairs hands
// model commands to warcpairs-torch before they get here (cli/main.cc), so these run only
// where warcpairs-torch was not built (WARCPAIRS_MODEL=OFF, e.g. the quick start's
// runtime-only install): every use is a clear error that says how to get it.
#include "../score/clip_embedder.h"
#include "warcpairs/core/error.h"
#include "warcpairs/stages/predict/predict.h"
#include "warcpairs/stages/common/span_predictor.h"
#include "warcpairs/stages/train/train.h"

namespace warcpairs::stages {

namespace {
[[noreturn]] void unavailable() {
  throw UsageError(
      "this warcpairs was built without the span model (WARCPAIRS_MODEL=OFF): install LibTorch "
      "(env/install-debian.sh without --runtime) and rebuild with tools/build.sh");
}
}  // namespace

bool model_layer_linked() { return false; }
TrainResult run_train(const TrainConfig&, const dist::MpiSession&) { unavailable(); }
PredictTotals run_predict(const PredictConfig&, const dist::MpiSession&) { unavailable(); }
std::unique_ptr<ClipEmbedder> make_clip_embedder(const ScoreConfig&, const dist::MpiSession&) {
  unavailable();
}
std::unique_ptr<ClipEmbedder> make_clip_embedder(const ScoreConfig&, const dist::NodePlace&) {
  unavailable();
}

struct SpanPredictor::Impl {
  std::string version;
  PredictTiming timing;
  text::SpanExampleOptions windows;
};

SpanPredictor::SpanPredictor(const SpanPredictorOptions&) { unavailable(); }
SpanPredictor::~SpanPredictor() = default;
const std::string& SpanPredictor::model_version() const { return impl_->version; }
std::string SpanPredictor::device() const { return {}; }
void SpanPredictor::add(int64_t, std::string_view, int32_t) {}
const text::SpanExampleOptions& SpanPredictor::windows() const { return impl_->windows; }
std::size_t SpanPredictor::pending() const { return 0; }
void SpanPredictor::flush(const std::function<void(const store::PredictionRecord&)>&) {}
const PredictTiming& SpanPredictor::timing() const { return impl_->timing; }

}  // namespace warcpairs::stages
