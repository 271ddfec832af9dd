// Shared by the model tests (and tests/parity): rewriting a checkpoint, running a reference script.
#pragma once

#include <cstdio>
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include "warcpairs/model_io/safetensors.h"
#include "warcpairs/model_io/safetensors_writer.h"

namespace warcpairs::model {

// Copies `from`'s checkpoint to `to` (another folder, created if needed), passing its tensors
// through `edit` first.
inline void rewrite_checkpoint(const std::string& from, const std::string& to,
                               const std::function<void(std::vector<model_io::TensorToWrite>&)>& edit) {
  std::filesystem::create_directories(to);
  std::filesystem::copy_file(from + "/config.json", to + "/config.json",
                             std::filesystem::copy_options::overwrite_existing);
  model_io::SafetensorsFile file(from + "/model.safetensors");
  std::vector<model_io::TensorToWrite> tensors;
  for (const std::string& name : file.names()) {
    const auto t = file.tensor(name);
    tensors.push_back({name, t.dtype, {t.shape.begin(), t.shape.end()}, t.bytes()});
  }
  edit(tensors);
  model_io::write_safetensors(to + "/model.safetensors", tensors, model_io::pytorch_metadata());
}

// Runs `command` through the shell; returns its stdout, *status its wait status (-1: no shell).
inline std::string run_command(const std::string& command, int* status) {
  std::string out;
  FILE* p = ::popen(command.c_str(), "r");
  if (!p) {
    *status = -1;
    return out;
  }
  char buf[65536];
  for (size_t n; (n = std::fread(buf, 1, sizeof buf, p)) > 0;) out.append(buf, n);
  *status = ::pclose(p);
  return out;
}

}  // namespace warcpairs::model
