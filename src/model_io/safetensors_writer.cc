// Canonical safetensors serialisation (the Rust crate's `prepare`/`serialize`) and atomic writes.
#include "warcpairs/model_io/safetensors_writer.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <numeric>
#include <set>

#include "warcpairs/core/error.h"
#include "warcpairs/model_io/safetensors.h"

namespace warcpairs::model_io {
namespace {
// JSON string as serde_json writes it: UTF-8 kept, only '"', '\\' and control bytes escaped,
// with the short forms \b \f \n \r \t and lowercase \u00xx otherwise.
void append_json_string(std::string& out, std::string_view s) {
  static constexpr char kHex[] = "0123456789abcdef";
  out += '"';
  for (char ch : s) {
    const auto c = static_cast<unsigned char>(ch);
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\b': out += "\\b"; break;
      case '\f': out += "\\f"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      default:
        if (c < 0x20) {
          out += "\\u00";
          out += kHex[c >> 4];
          out += kHex[c & 15];
        } else {
          out += ch;
        }
    }
  }
  out += '"';
}

// Indices of `tensors` in the crate's order: dtype rank descending, then name ascending.
std::vector<size_t> canonical_order(const std::vector<TensorToWrite>& tensors) {
  std::vector<size_t> order(tensors.size());
  std::iota(order.begin(), order.end(), 0);
  std::sort(order.begin(), order.end(), [&](size_t a, size_t b) {
    const int ra = dtype_alignment_rank(tensors[a].dtype), rb = dtype_alignment_rank(tensors[b].dtype);
    if (ra != rb) return ra > rb;
    return tensors[a].name < tensors[b].name;
  });
  return order;
}

void check_tensor(const TensorToWrite& t, std::set<std::string_view>& seen) {
  if (t.name == "__metadata__") throw Error("safetensors writer: tensor name '__metadata__' is reserved");
  if (!seen.insert(t.name).second) throw Error("safetensors writer: duplicate tensor '" + t.name + "'");
  uint64_t numel = 1;
  for (int64_t d : t.shape) {
    if (d < 0) throw Error("safetensors writer: tensor '" + t.name + "' has a negative dimension");
    if (__builtin_mul_overflow(numel, static_cast<uint64_t>(d), &numel))
      throw Error("safetensors writer: tensor '" + t.name + "' shape overflows");
  }
  uint64_t bytes;
  if (__builtin_mul_overflow(numel, dtype_size(t.dtype), &bytes) || bytes != t.data.size())
    throw Error("safetensors writer: tensor '" + t.name + "' has " + std::to_string(t.data.size()) +
                " bytes, its dtype and shape need " + std::to_string(numel * dtype_size(t.dtype)));
}

class OutFile {  // an O_WRONLY descriptor closed on every path
 public:
  explicit OutFile(const std::string& path) : path_(path) {
    fd_ = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd_ < 0) throw Error(std::string("cannot create: ") + std::strerror(errno), path);
  }
  ~OutFile() {
    if (fd_ >= 0) ::close(fd_);
  }
  OutFile(const OutFile&) = delete;
  OutFile& operator=(const OutFile&) = delete;
  void write(std::span<const std::byte> bytes) {
    while (!bytes.empty()) {
      const ssize_t n = ::write(fd_, bytes.data(), bytes.size());
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) throw Error(std::string("write failed: ") + std::strerror(errno), path_);
      bytes = bytes.subspan(static_cast<size_t>(n));
    }
  }
  void sync_and_close() {
    if (::fsync(fd_) != 0) throw Error(std::string("fsync failed: ") + std::strerror(errno), path_);
    const int fd = fd_;
    fd_ = -1;
    if (::close(fd) != 0) throw Error(std::string("close failed: ") + std::strerror(errno), path_);
  }

 private:
  std::string path_;
  int fd_ = -1;
};

void fsync_directory(const std::filesystem::path& dir) {
  const int fd = ::open(dir.empty() ? "." : dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) throw Error(std::string("cannot open directory: ") + std::strerror(errno), dir.string());
  const int rc = ::fsync(fd);
  ::close(fd);
  if (rc != 0) throw Error(std::string("fsync failed: ") + std::strerror(errno), dir.string());
}
}  // namespace

std::string safetensors_header(const std::vector<TensorToWrite>& tensors,
                               const std::map<std::string, std::string>& metadata) {
  std::set<std::string_view> seen;
  for (const TensorToWrite& t : tensors) check_tensor(t, seen);
  std::string json = "{";
  if (!metadata.empty()) {
    json += "\"__metadata__\":{";
    for (const auto& [k, v] : metadata) {
      if (json.back() != '{') json += ',';
      append_json_string(json, k);
      json += ':';
      append_json_string(json, v);
    }
    json += '}';
  }
  uint64_t offset = 0;
  for (size_t i : canonical_order(tensors)) {
    const TensorToWrite& t = tensors[i];
    if (json.size() > 1) json += ',';
    append_json_string(json, t.name);
    json += ":{\"dtype\":\"";
    json += dtype_name(t.dtype);
    json += "\",\"shape\":[";
    for (size_t d = 0; d < t.shape.size(); ++d) {
      if (d) json += ',';
      json += std::to_string(t.shape[d]);
    }
    json += "],\"data_offsets\":[";
    json += std::to_string(offset);
    json += ',';
    offset += t.data.size();
    json += std::to_string(offset);
    json += "]}";
  }
  json += '}';
  json.resize((json.size() + 7) / 8 * 8, ' ');  // next_multiple_of(8), padded with 0x20
  if (json.size() > SafetensorsView::kMaxHeaderBytes)
    throw Error("safetensors writer: header of " + std::to_string(json.size()) + " bytes exceeds 100 MB");
  std::string out(8, '\0');
  for (int i = 0; i < 8; ++i) out[i] = static_cast<char>((json.size() >> (8 * i)) & 0xff);
  return out + json;
}

std::vector<std::byte> serialize_safetensors(const std::vector<TensorToWrite>& tensors,
                                             const std::map<std::string, std::string>& metadata) {
  const std::string header = safetensors_header(tensors, metadata);
  const auto* h = reinterpret_cast<const std::byte*>(header.data());
  std::vector<std::byte> out(h, h + header.size());
  for (size_t i : canonical_order(tensors)) out.insert(out.end(), tensors[i].data.begin(), tensors[i].data.end());
  return out;
}

void write_file_atomically(const std::string& path, std::span<const std::span<const std::byte>> parts) {
  const std::string tmp = path + ".tmp";
  try {
    OutFile out(tmp);
    for (const auto& part : parts) out.write(part);
    out.sync_and_close();
    if (::rename(tmp.c_str(), path.c_str()) != 0)
      throw Error(std::string("cannot rename ") + tmp + ": " + std::strerror(errno), path);
  } catch (...) {
    ::unlink(tmp.c_str());
    throw;
  }
  fsync_directory(std::filesystem::path(path).parent_path());
}

void write_safetensors(const std::string& path, const std::vector<TensorToWrite>& tensors,
                       const std::map<std::string, std::string>& metadata) {
  const std::string header = safetensors_header(tensors, metadata);
  std::vector<std::span<const std::byte>> parts;
  parts.emplace_back(reinterpret_cast<const std::byte*>(header.data()), header.size());
  for (size_t i : canonical_order(tensors)) parts.push_back(tensors[i].data);
  write_file_atomically(path, parts);
}

}  // namespace warcpairs::model_io
