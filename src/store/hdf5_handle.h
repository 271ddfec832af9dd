// RAII for HDF5 hid_t handles and the translation of HDF5 failures into warcpairs::Error.
#pragma once

#include <hdf5.h>

#include <string>
#include <utility>

namespace warcpairs::store::h5 {

// Turns off HDF5's automatic error-stack printing once per process: failures are reported
// through warcpairs::Error instead of dumps on stderr.
void silence_errors();

// Throws Error("<what>: <innermost HDF5 message>", file) when status is negative.
void check(herr_t status, const char* what, const std::string& file);

// Owns one hid_t and closes it with the matching H5?close (H5Iget_type decides which).
class Handle {
 public:
  Handle() = default;
  explicit Handle(hid_t id) : id_(id) {}
  // Throws when id is invalid (negative), so a failed H5?open/create never escapes unnoticed.
  Handle(hid_t id, const char* what, const std::string& file);
  ~Handle() { reset(); }
  Handle(Handle&& other) noexcept : id_(std::exchange(other.id_, H5I_INVALID_HID)) {}
  Handle& operator=(Handle&& other) noexcept {
    if (this != &other) {
      reset();
      id_ = std::exchange(other.id_, H5I_INVALID_HID);
    }
    return *this;
  }
  Handle(const Handle&) = delete;
  Handle& operator=(const Handle&) = delete;

  hid_t get() const { return id_; }
  explicit operator bool() const { return id_ >= 0; }
  void reset();
  // Closes now and reports a failure (a file close flushes, so it can fail).
  void close(const char* what, const std::string& file);

 private:
  hid_t id_ = H5I_INVALID_HID;
};

// A variable-length UTF-8 C string type (the type of the string root attributes).
Handle utf8_string_type(const std::string& file);

// Scalar attributes on an object (the shard root's format/version/stage).
void write_attr(hid_t obj, const char* name, const std::string& value, const std::string& file);
void write_attr(hid_t obj, const char* name, int value, const std::string& file);
// Throw Error naming the attribute when it is missing or of another type.
std::string read_string_attr(hid_t obj, const char* name, const std::string& file);
int read_int_attr(hid_t obj, const char* name, const std::string& file);

}  // namespace warcpairs::store::h5
