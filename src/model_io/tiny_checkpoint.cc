// Tiny deterministic DistilBERT-QA checkpoints (config, safetensors, vocab, tokenizer config).
#include "warcpairs/model_io/tiny_checkpoint.h"

#include <bit>
#include <cmath>
#include <cstring>
#include <filesystem>

#include "warcpairs/core/error.h"
#include "warcpairs/core/small_file.h"
#include "warcpairs/model_io/distilbert_checkpoint.h"
#include "warcpairs/model_io/safetensors_writer.h"
#include "checkpoint_parts.h"

namespace warcpairs::model_io {
namespace {
using detail::Normal;

int64_t count_lines(const std::string& text) {
  int64_t n = 0;
  for (char c : text) n += c == '\n';
  return n + (!text.empty() && text.back() != '\n');
}


void write_text(const std::string& path, const std::string& text) {
  const std::span<const std::byte> part(reinterpret_cast<const std::byte*>(text.data()), text.size());
  write_file_atomically(path, std::span(&part, 1));
}

const char kTokenizerConfig[] = R"({
  "clean_up_tokenization_spaces": true,
  "cls_token": "[CLS]",
  "do_lower_case": true,
  "mask_token": "[MASK]",
  "model_max_length": 512,
  "pad_token": "[PAD]",
  "sep_token": "[SEP]",
  "strip_accents": null,
  "tokenize_chinese_chars": true,
  "tokenizer_class": "DistilBertTokenizer",
  "unk_token": "[UNK]"
}
)";
}  // namespace

DistilBertConfig write_tiny_distilbert_qa(const std::string& dir, const TinyCheckpointOptions& o) {
  if (o.dtype != Dtype::kF32 && o.dtype != Dtype::kF16 && o.dtype != Dtype::kBF16)
    throw UsageError("tiny checkpoint dtype must be F32, F16 or BF16");
  const std::string vocab = read_small_file(o.vocab_path, "cannot read vocabulary");
  DistilBertConfig c;
  c.vocab_size = count_lines(vocab);
  c.n_layers = o.n_layers;
  c.dim = o.dim;
  c.n_heads = o.n_heads;
  c.hidden_dim = o.hidden_dim;
  c.max_position_embeddings = o.max_position_embeddings;
  c.architectures = {"DistilBertForQuestionAnswering"};
  c.validate(o.vocab_path);

  std::filesystem::create_directories(dir);
  Normal rng(o.seed);
  std::vector<std::vector<std::byte>> storage;
  storage.reserve(static_cast<size_t>(4 + 16 * c.n_layers + 2));  // spans below point into it
  std::vector<TensorToWrite> tensors;
  for (const ExpectedTensor& t : distilbert_qa_tensors(c)) {
    int64_t numel = 1;
    for (int64_t d : t.shape) numel *= d;
    std::vector<float> v(static_cast<size_t>(numel));
    const bool layer_norm = t.name.find("LayerNorm") != std::string::npos ||
                            t.name.find("layer_norm") != std::string::npos;
    if (layer_norm) std::fill(v.begin(), v.end(), t.name.ends_with(".weight") ? 1.0f : 0.0f);
    else for (float& x : v) x = rng.next(c.initializer_range);
    if (t.name.ends_with("word_embeddings.weight"))
      std::fill_n(v.begin() + c.pad_token_id * c.dim, c.dim, 0.0f);  // padding_idx row
    detail::encode_floats(v, o.dtype, storage.emplace_back());
    tensors.push_back({t.name, o.dtype, t.shape, storage.back()});
  }
  write_safetensors(dir + "/model.safetensors", tensors, pytorch_metadata());
  write_distilbert_config(dir + "/config.json", c);
  write_text(dir + "/vocab.txt", vocab);
  write_text(dir + "/tokenizer_config.json", kTokenizerConfig);
  return c;
}

}  // namespace warcpairs::model_io
