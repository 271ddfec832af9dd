// libFuzzer target: arbitrary bytes as a safetensors file (parse, read every tensor, re-serialise
// and parse again: same tensors) and as a DistilBERT config.json (parse, write, parse: same text).
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <string_view>

#include "warcpairs/core/error.h"
#include "warcpairs/model_io/distilbert_checkpoint.h"
#include "warcpairs/model_io/distilbert_config.h"
#include "warcpairs/model_io/safetensors.h"
#include "warcpairs/model_io/safetensors_writer.h"

namespace {
using namespace warcpairs;
using namespace warcpairs::model_io;

void check_safetensors(std::span<const std::byte> bytes) {
  std::optional<SafetensorsView> view;
  try {
    view.emplace(bytes, "fuzz");
  } catch (const Error&) {
    return;
  }
  uint64_t sum = 0;
  std::vector<TensorToWrite> tensors;
  for (const std::string& name : view->names()) {
    const TensorView t = view->tensor(name);
    for (size_t i = 0; i < t.size; ++i) sum += static_cast<uint8_t>(t.data[i]);  // ASan: in bounds
    if (is_float(t.dtype)) sum += t.to_float().size();
    tensors.push_back({name, t.dtype, {t.shape.begin(), t.shape.end()}, t.bytes()});
  }
  // The canonical writer accepts whatever the reader accepted, and reads back the same tensors.
  std::vector<std::byte> again;
  try {
    again = serialize_safetensors(tensors, view->metadata());
  } catch (const Error& e) {
    std::fprintf(stderr, "writer refused a file the reader accepted: %s\n", e.what());
    std::abort();
  }
  SafetensorsView back(again, "fuzz-again");
  if (back.names() != view->names() || back.metadata() != view->metadata()) std::abort();
  for (const std::string& name : back.names()) {
    const TensorView a = view->tensor(name), b = back.tensor(name);
    if (a.dtype != b.dtype || a.size != b.size || !std::equal(a.shape.begin(), a.shape.end(), b.shape.begin(), b.shape.end()) ||
        (a.size && std::memcmp(a.data, b.data, a.size) != 0))
      std::abort();
  }
  DistilBertConfig tiny;
  tiny.vocab_size = 8;
  tiny.dim = 4;
  tiny.n_heads = 2;
  tiny.hidden_dim = 8;
  tiny.n_layers = 1;
  tiny.max_position_embeddings = 4;
  sum += check_distilbert_qa_checkpoint(*view, tiny).describe().size();
  if (sum == 42) std::fputc(' ', stderr);  // keep the reads
}

void check_config(std::string_view text) {
  DistilBertConfig c;
  try {
    c = parse_distilbert_config(text, "fuzz.json");
  } catch (const UsageError&) {
    return;
  }
  const std::string written = distilbert_config_json(c);
  const std::string rewritten = distilbert_config_json(parse_distilbert_config(written, "fuzz-again.json"));
  if (written != rewritten) std::abort();
  (void)distilbert_qa_tensors(c).size();
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  check_safetensors(std::span(reinterpret_cast<const std::byte*>(data), size));
  // Config parsing is independent of the safetensors prefix: fuzz it on the raw bytes too.
  check_config(std::string_view(reinterpret_cast<const char*>(data), size));
  return 0;
}
