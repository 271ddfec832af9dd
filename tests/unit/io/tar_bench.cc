// Why the tar code is not libarchive: writes the same WebDataset shard (KEY.jpg of 30 KB,
// KEY.txt, KEY.json per sample) with io::TarWriter and with libarchive's ustar writer, both
// fsynced, and says whether the bytes are equal; then reads 200 members by name the way review
// does (one image per request), with io::TarReader's index and with libarchive, which can only
// walk the archive from its start to the member (skipping data by seeking). Best of 3. Not a
// test:
//   build/tests/unit/io/tar_bench [samples=10000] [dir=.]
// (built when libarchive-dev is installed).
#include <archive.h>
#include <archive_entry.h>
#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "warcpairs/io/tar_reader.h"
#include "warcpairs/io/tar_writer.h"

namespace {

using Clock = std::chrono::steady_clock;

struct Member {
  std::string name, data;
};

std::vector<Member> shard(int samples) {
  std::vector<Member> out;
  std::string jpg(30000, 'x');
  for (int i = 0; i < samples; ++i) {
    char key[16];
    std::snprintf(key, sizeof key, "%09d", i);
    for (size_t k = 0; k < jpg.size(); k += 97) jpg[k] = static_cast<char>(i + k);
    out.push_back({std::string(key) + ".jpg", jpg});
    out.push_back({std::string(key) + ".txt", "a red fox in the snow " + std::to_string(i)});
    out.push_back({std::string(key) + ".json", "{\"key\": \"" + std::string(key) + "\"}"});
  }
  return out;
}

void write_ours(const std::vector<Member>& members, const std::string& path) {
  warcpairs::io::TarWriter tar(path);
  for (const auto& m : members) tar.add(m.name, std::string_view(m.data));
  tar.commit();
}

// The same members, mode and mtime; 512-byte blocks (its default pads to 10 KiB).
void write_libarchive(const std::vector<Member>& members, const std::string& path) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  archive* a = archive_write_new();
  archive_write_set_format_ustar(a);
  archive_write_set_bytes_per_block(a, 512);
  if (fd < 0 || archive_write_open_fd(a, fd) != ARCHIVE_OK) std::abort();
  archive_entry* e = archive_entry_new();
  for (const auto& m : members) {
    archive_entry_clear(e);
    archive_entry_set_pathname(e, m.name.c_str());
    archive_entry_set_size(e, static_cast<la_int64_t>(m.data.size()));
    archive_entry_set_filetype(e, AE_IFREG);
    archive_entry_set_perm(e, 0644);
    archive_entry_set_mtime(e, 0, 0);
    if (archive_write_header(a, e) != ARCHIVE_OK ||
        archive_write_data(a, m.data.data(), m.data.size()) != static_cast<la_ssize_t>(m.data.size())) {
      std::fprintf(stderr, "libarchive: %s\n", archive_error_string(a));
      std::abort();
    }
  }
  archive_entry_free(e);
  archive_write_close(a);
  archive_write_free(a);
  ::fsync(fd);
  ::close(fd);
}

// Members by name, in a scattered order: ours indexes once, then seeks to each.
size_t read_ours(const std::string& path, const std::vector<std::string>& names) {
  warcpairs::io::TarReader tar(path);
  std::string data;
  size_t bytes = 0;
  for (const auto& name : names) bytes += tar.read(name, data) ? data.size() : 0;
  return bytes;
}

size_t read_libarchive(const std::string& path, const std::vector<std::string>& names) {
  size_t bytes = 0;
  std::string data;
  for (const auto& name : names) {
    archive* a = archive_read_new();
    archive_read_support_format_tar(a);
    if (archive_read_open_filename(a, path.c_str(), 1 << 16) != ARCHIVE_OK) std::abort();
    archive_entry* e;
    while (archive_read_next_header(a, &e) == ARCHIVE_OK) {
      if (name != archive_entry_pathname(e)) continue;  // the next call skips the data
      data.resize(static_cast<size_t>(archive_entry_size(e)));
      bytes += static_cast<size_t>(archive_read_data(a, data.data(), data.size()));
      break;
    }
    archive_read_free(a);
  }
  return bytes;
}

template <typename F>
double best_of_3(F f) {
  double best = 1e9;
  for (int rep = 0; rep < 3; ++rep) {
    const auto t0 = Clock::now();
    f();
    best = std::min(best, std::chrono::duration<double>(Clock::now() - t0).count());
  }
  return best;
}

std::string slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), {}};
}

}  // namespace

int main(int argc, char** argv) {
  const int samples = argc > 1 ? std::atoi(argv[1]) : 10000;
  const std::string dir = argc > 2 ? argv[2] : ".";
  const std::string ours = dir + "/tar_bench_ours.tar", theirs = dir + "/tar_bench_libarchive.tar";
  const auto members = shard(samples);
  const double t_ours = best_of_3([&] { write_ours(members, ours); });
  const double t_theirs = best_of_3([&] { write_libarchive(members, theirs); });
  std::vector<std::string> names;
  for (int i = 0; i < 200; ++i) {
    char key[24];
    std::snprintf(key, sizeof key, "%09d.jpg", static_cast<int>((i * 7919L) % samples));
    names.emplace_back(key);
  }
  size_t got_ours = 0, got_theirs = 0;
  const double r_ours = best_of_3([&] { got_ours = read_ours(ours, names); });
  const double r_theirs = best_of_3([&] { got_theirs = read_libarchive(ours, names); });
  if (got_ours != got_theirs) std::printf("read different byte counts: %zu, %zu\n", got_ours, got_theirs);
  const std::string a = slurp(ours), b = slurp(theirs);
  std::printf("%zu members, %.1f MB, best of 3 (s)\n", members.size(), a.size() / 1e6);
  std::printf("%-28s %8s %12s %7s\n", "", "TarWriter", "libarchive", "ratio");
  std::printf("%-28s %8.3f %12.3f %7.2f\n", "write + fsync", t_ours, t_theirs, t_theirs / t_ours);
  std::printf("%-28s %8.3f %12.3f %7.1f\n", "read 200 members by name", r_ours, r_theirs,
              r_theirs / r_ours);
  size_t same = 0;
  while (same < std::min(a.size(), b.size()) && a[same] == b[same]) ++same;
  if (a == b) {
    std::printf("bytes: equal\n");
  } else {
    std::printf("bytes: differ first at %zu (header byte %zu); sizes %zu and %zu\n", same,
                same % 512, a.size(), b.size());
  }
  std::remove(ours.c_str());
  std::remove(theirs.c_str());
}
