// Where WARC bytes come from: a file read with large read() calls, or memory (tests, fuzzing).
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

namespace warcpairs::io {

class ByteSource {
 public:
  virtual ~ByteSource() = default;
  // Up to n bytes into dst; 0 only at end of data. I/O errors throw warcpairs::Error.
  virtual std::size_t read(char* dst, std::size_t n) = 0;
  // Moves the read position; past the end means every later read returns 0.
  virtual void seek(uint64_t offset) = 0;
  virtual uint64_t size() const = 0;
  virtual const std::string& name() const = 0;
};

// A regular file (or pipe-less special file); throws warcpairs::Error when it cannot be opened.
class FileSource final : public ByteSource {
 public:
  explicit FileSource(std::string path);
  ~FileSource() override;
  FileSource(const FileSource&) = delete;
  FileSource& operator=(const FileSource&) = delete;

  std::size_t read(char* dst, std::size_t n) override;
  void seek(uint64_t offset) override;
  uint64_t size() const override { return size_; }
  const std::string& name() const override { return path_; }

 private:
  std::string path_;
  int fd_ = -1;
  uint64_t size_ = 0;
};

// Bytes held in memory (copied in), for tests and fuzz targets.
class MemorySource final : public ByteSource {
 public:
  MemorySource(std::string bytes, std::string name = "<memory>")
      : bytes_(std::move(bytes)), name_(std::move(name)) {}
  std::size_t read(char* dst, std::size_t n) override;
  void seek(uint64_t offset) override { pos_ = offset; }
  uint64_t size() const override { return bytes_.size(); }
  const std::string& name() const override { return name_; }

 private:
  std::string bytes_;
  std::string name_;
  uint64_t pos_ = 0;
};

}  // namespace warcpairs::io
