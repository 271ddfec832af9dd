// Windows → padded tensors, and the per-window span loss: shared by SpanModel, SpanTrainer and
// the model tests. Includes LibTorch: only model-layer files and their tests include it.
#pragma once

#include <span>

#include <torch/types.h>

#include "warcpairs/model/distilbert.h"
#include "warcpairs/text/span_examples.h"

namespace warcpairs::model {

struct SpanBatch {
  torch::Tensor input_ids;       // [B,T] int64, padded with pad_token_id
  torch::Tensor attention_mask;  // [B,T] int64, 1 = token
  torch::Tensor start_positions; // [B] int64 (0 = [CLS] = no span)
  torch::Tensor end_positions;   // [B]
};

// Pads to the longest window of the batch; tensors on `device`.
SpanBatch make_span_batch(std::span<const text::SpanWindow* const> windows, int64_t pad_id,
                          const torch::Device& device);

// Sum over the batch of each window's loss: (CE(start) + CE(end)) / 2, with logits of padding
// positions set to -inf first so that the loss does not depend on how far a window was padded
// (transformers leaves them in the softmax; that would make a window's loss depend on its
// batch-mates, and a data-parallel split differ from one big batch).
torch::Tensor span_loss_sum(const SpanLogits& logits, const SpanBatch& batch);

}  // namespace warcpairs::model
