// The value DistilBERT and CLIP attention write into masked scores, as transformers does.
#pragma once

#include <limits>

#include <torch/types.h>

namespace warcpairs::model {

// torch.finfo(dtype).min: transformers' fill value for masked attention scores.
inline double finfo_min(torch::ScalarType t) {
  switch (t) {
    case torch::kDouble: return std::numeric_limits<double>::lowest();
    case torch::kHalf: return -65504.0;
    case torch::kBFloat16: return -3.3895313892515355e38;
    default: return std::numeric_limits<float>::lowest();
  }
}

}  // namespace warcpairs::model
