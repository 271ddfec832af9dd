// HDF5 handle closing and error translation (H5E walk for the innermost message).
#include "hdf5_handle.h"

#include <cstring>
#include <mutex>

#include "warcpairs/core/error.h"

namespace warcpairs::store::h5 {
namespace {

herr_t keep_innermost(unsigned n, const H5E_error2_t* err, void* data) {
  // The stack walks from the innermost frame outwards; the first describes the cause.
  auto* out = static_cast<std::string*>(data);
  if (n == 0 && err->desc) *out = err->desc;
  return 0;
}

std::string current_message() {
  std::string msg;
  H5Ewalk2(H5E_DEFAULT, H5E_WALK_DOWNWARD, keep_innermost, &msg);
  H5Eclear2(H5E_DEFAULT);
  return msg.empty() ? std::string("HDF5 error") : msg;
}

}  // namespace

void silence_errors() {
  static std::once_flag once;
  std::call_once(once, [] { H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr); });
}

void check(herr_t status, const char* what, const std::string& file) {
  if (status < 0) throw Error(std::string(what) + ": " + current_message(), file);
}

Handle::Handle(hid_t id, const char* what, const std::string& file) : id_(id) {
  if (id < 0) throw Error(std::string(what) + ": " + current_message(), file);
}

namespace {
herr_t close_id(hid_t id) {
  switch (H5Iget_type(id)) {
    case H5I_FILE: return H5Fclose(id);
    case H5I_GROUP: return H5Gclose(id);
    case H5I_DATASET: return H5Dclose(id);
    case H5I_DATASPACE: return H5Sclose(id);
    case H5I_DATATYPE: return H5Tclose(id);
    case H5I_ATTR: return H5Aclose(id);
    case H5I_GENPROP_LST: return H5Pclose(id);
    default: return H5Idec_ref(id);
  }
}
}  // namespace

void Handle::reset() {
  if (id_ >= 0) {
    close_id(id_);
    H5Eclear2(H5E_DEFAULT);
  }
  id_ = H5I_INVALID_HID;
}

void Handle::close(const char* what, const std::string& file) {
  if (id_ < 0) return;
  herr_t status = close_id(std::exchange(id_, H5I_INVALID_HID));
  check(status, what, file);
}

Handle utf8_string_type(const std::string& file) {
  Handle t(H5Tcopy(H5T_C_S1), "copy string type", file);
  check(H5Tset_size(t.get(), H5T_VARIABLE), "set string size", file);
  check(H5Tset_cset(t.get(), H5T_CSET_UTF8), "set string charset", file);
  return t;
}

}  // namespace warcpairs::store::h5

namespace warcpairs::store::h5 {

void write_attr(hid_t obj, const char* name, const std::string& value, const std::string& file) {
  Handle type = utf8_string_type(file);
  Handle space(H5Screate(H5S_SCALAR), "create scalar space", file);
  Handle attr(H5Acreate2(obj, name, type.get(), space.get(), H5P_DEFAULT, H5P_DEFAULT),
              "create attribute", file);
  const char* p = value.c_str();
  check(H5Awrite(attr.get(), type.get(), &p), "write attribute", file);
}

void write_attr(hid_t obj, const char* name, int value, const std::string& file) {
  Handle space(H5Screate(H5S_SCALAR), "create scalar space", file);
  Handle attr(H5Acreate2(obj, name, H5T_STD_I32LE, space.get(), H5P_DEFAULT, H5P_DEFAULT),
              "create attribute", file);
  check(H5Awrite(attr.get(), H5T_NATIVE_INT, &value), "write attribute", file);
}

namespace {
Handle open_attr(hid_t obj, const char* name, H5T_class_t cls, const std::string& file) {
  if (H5Aexists(obj, name) <= 0)
    throw Error(std::string("not a warcpairs shard: no root attribute '") + name + "'", file);
  Handle attr(H5Aopen(obj, name, H5P_DEFAULT), "open attribute", file);
  Handle type(H5Aget_type(attr.get()), "get attribute type", file);
  if (H5Tget_class(type.get()) != cls)
    throw Error(std::string("not a warcpairs shard: attribute '") + name + "' has the wrong type",
                file);
  return attr;
}
}  // namespace

std::string read_string_attr(hid_t obj, const char* name, const std::string& file) {
  Handle attr = open_attr(obj, name, H5T_STRING, file);
  Handle disk(H5Aget_type(attr.get()), "get attribute type", file);
  if (H5Tis_variable_str(disk.get()) <= 0) {
    // Fixed-length strings (as some tools write them) are accepted too.
    std::size_t n = H5Tget_size(disk.get());
    std::string out(n, '\0');
    check(H5Aread(attr.get(), disk.get(), out.data()), "read attribute", file);
    out.resize(std::strlen(out.c_str()));
    return out;
  }
  // Read with the attribute's own charset: HDF5 converts no vlen string from ASCII to UTF-8,
  // and tools other than warcpairs often write ASCII-tagged strings.
  Handle type = utf8_string_type(file);
  check(H5Tset_cset(type.get(), H5Tget_cset(disk.get())), "set string charset", file);
  char* p = nullptr;
  check(H5Aread(attr.get(), type.get(), &p), "read attribute", file);
  std::string out = p ? p : "";
  H5free_memory(p);
  return out;
}

int read_int_attr(hid_t obj, const char* name, const std::string& file) {
  Handle attr = open_attr(obj, name, H5T_INTEGER, file);
  int value = 0;
  check(H5Aread(attr.get(), H5T_NATIVE_INT, &value), "read attribute", file);
  return value;
}

}  // namespace warcpairs::store::h5
