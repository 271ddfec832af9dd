// RAII for sqlite3 connections and prepared statements; SQLite failures become warcpairs::Error.
#pragma once

#include <sqlite3.h>

#include <cmath>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

namespace warcpairs::store::sql {

struct CloseDb {
  void operator()(sqlite3* db) const { sqlite3_close_v2(db); }
};
using Connection = std::unique_ptr<sqlite3, CloseDb>;

Connection open(const std::string& path, bool read_only = false);
// Runs one or more statements without results; throws Error with SQLite's message.
void exec(sqlite3* db, const char* sql);
[[noreturn]] void fail(sqlite3* db, const std::string& what);

// A statement prepared once and reused with reset(); text is bound without a copy, so the
// bound strings must outlive the step().
class Statement {
 public:
  Statement(sqlite3* db, const char* sql);
  ~Statement() { sqlite3_finalize(stmt_); }
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;

  void bind(int i, int64_t v) { check(sqlite3_bind_int64(stmt_, i, v)); }
  // SQLITE_STATIC: the text is not copied and must outlive the next step()/run().
  void bind(int i, std::string_view s) {
    check(sqlite3_bind_text(stmt_, i, s.data(), static_cast<int>(s.size()), SQLITE_STATIC));
  }
  void bind(int i, const std::string& s) { bind(i, std::string_view(s)); }
  // A temporary would be gone before the statement runs: refused at compile time.
  void bind(int i, std::string&& s) = delete;
  // Named apart from bind(): an int argument would be ambiguous between int64_t and double.
  void bind_double(int i, double v) { check(sqlite3_bind_double(stmt_, i, v)); }
  void bind_null(int i) { check(sqlite3_bind_null(stmt_, i)); }
  // Bytes as a BLOB (not copied, like text).
  void bind_blob(int i, std::string_view bytes) {
    check(sqlite3_bind_blob(stmt_, i, bytes.data(), static_cast<int>(bytes.size()), SQLITE_STATIC));
  }
  // Binds NULL where the record uses `absent` for "no value" (-1 widths, labels).
  void bind_or_null(int i, int64_t v, int64_t absent) {
    v == absent ? bind_null(i) : bind(i, v);
  }
  // True when a row is ready, false when done; throws on error.
  bool step();
  // step() that expects no row, then reset() for the next use.
  void run();
  void reset() { sqlite3_reset(stmt_); }
  int64_t column_int64(int i) const { return sqlite3_column_int64(stmt_, i); }
  bool column_null(int i) const { return sqlite3_column_type(stmt_, i) == SQLITE_NULL; }
  double column_double(int i) const { return sqlite3_column_double(stmt_, i); }
  // NULL read as the caller's "unknown": NaN, or `absent` (text needs no such variant: a NULL
  // column_text() is already empty).
  double column_double_or_nan(int i) const { return column_null(i) ? NAN : column_double(i); }
  int64_t column_int64_or(int i, int64_t absent) const { return column_null(i) ? absent : column_int64(i); }
  std::string_view column_text(int i) const {
    const auto* p = reinterpret_cast<const char*>(sqlite3_column_text(stmt_, i));
    return p ? std::string_view(p, static_cast<std::size_t>(sqlite3_column_bytes(stmt_, i)))
             : std::string_view();
  }

  std::string_view column_blob(int i) const {
    const auto* p = static_cast<const char*>(sqlite3_column_blob(stmt_, i));
    return p ? std::string_view(p, static_cast<std::size_t>(sqlite3_column_bytes(stmt_, i)))
             : std::string_view();
  }

 private:
  void check(int rc) {
    if (rc != SQLITE_OK) fail(db_, "bind");
  }
  sqlite3* db_;
  sqlite3_stmt* stmt_ = nullptr;
};

// The first column of the first row as an integer (0 when there is no row).
inline int64_t query_int(sqlite3* db, const char* sql) {
  Statement st(db, sql);
  return st.step() ? st.column_int64(0) : 0;
}

}  // namespace warcpairs::store::sql
