// ImageShelf (review_sources.h).
#include "review_sources.h"

#include <spdlog/spdlog.h>

#include <regex>

namespace warcpairs::stages {
namespace fs = std::filesystem;

bool ImageShelf::read(const std::string& tar, const std::string& member, std::string& out) {
  static const std::regex plain_name("[A-Za-z0-9][A-Za-z0-9._-]*\\.tar");
  if (!std::regex_match(tar, plain_name)) return false;
  std::lock_guard lock(mutex_);
  io::TarReader* reader = open(tar);
  return reader && reader->read(member, out);
}

io::TarReader* ImageShelf::open(const std::string& name) {
  for (auto it = open_.begin(); it != open_.end(); ++it)
    if (it->first == name) {
      open_.splice(open_.begin(), open_, it);  // most recently used first
      return open_.front().second.get();
    }
  // Resolved, symlinks included: the file itself must sit directly in RUN/images.
  std::error_code ec;
  const fs::path path = fs::weakly_canonical(dir_ / name, ec);
  if (ec || path.parent_path() != fs::weakly_canonical(dir_, ec) || !fs::is_regular_file(path, ec)) return nullptr;
  try {
    // A damaged tar still serves the images before the damage.
    open_.emplace_front(name, std::make_unique<io::TarReader>(path, io::TarReader::OnDamage::stop));
  } catch (const std::exception& e) {
    spdlog::warn("review: image tar {} unreadable: {}", path.string(), e.what());
    return nullptr;
  }
  if (open_.size() > kOpen) open_.pop_back();
  return open_.front().second.get();
}

}  // namespace warcpairs::stages
