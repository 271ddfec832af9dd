// Test-side SQLite queries: read the merged database directly, as users' scripts do.
#pragma once

#include <sqlite3.h>

#include <cstdint>
#include <filesystem>
#include <stdexcept>
#include <string>

namespace warcpairs::store::testing {

// Takes a database of the current schema back to what schema 7 had: schema 11's render
// tables, then schema 8's columns (schemas 9 and 10 run again harmlessly on such a database).
#define WARCPAIRS_DROP_SCHEMA_V8                                                              \
  "DROP TABLE render_tokens; DROP TABLE renders; DROP TABLE render_pages; "                   \
  "DROP TABLE render_failures; DROP TABLE render_files; "                                     \
  "ALTER TABLE pages DROP COLUMN text_language; ALTER TABLE pages DROP COLUMN text_language_reliable; " \
  "ALTER TABLE pages DROP COLUMN text_language_percent; ALTER TABLE pages DROP COLUMN robots; "        \
  "ALTER TABLE images DROP COLUMN context_language; "                                                  \
  "ALTER TABLE images DROP COLUMN context_language_reliable; "                                         \
  "ALTER TABLE predictions DROP COLUMN language; ALTER TABLE predictions DROP COLUMN language_reliable; " \
  "ALTER TABLE scores DROP COLUMN unsafe; "
inline constexpr const char* kDropSchemaV8 = WARCPAIRS_DROP_SCHEMA_V8;
// Takes a database of the current schema back to what schema 6 had (tests of migrations from
// older ones).
inline constexpr const char* kDropSchemaV7 =
    WARCPAIRS_DROP_SCHEMA_V8
    "DROP VIEW image_kinds; DROP TABLE image_repeats; DROP TABLE host_pages; DROP INDEX scores_sha256; "
    "ALTER TABLE images DROP COLUMN kind; ALTER TABLE images DROP COLUMN kind_reason; "
    "ALTER TABLE pages DROP COLUMN host; ";

class Query {
 public:
  explicit Query(const std::filesystem::path& path) {
    if (sqlite3_open_v2(path.c_str(), &db_, SQLITE_OPEN_READWRITE, nullptr) != SQLITE_OK)
      throw std::runtime_error("open " + path.string());
  }
  ~Query() { sqlite3_close_v2(db_); }
  // The first column of the first row as text ("<null>" for NULL, "" when no row).
  std::string text(const std::string& sql) const {
    sqlite3_stmt* st = nullptr;
    if (sqlite3_prepare_v2(db_, sql.c_str(), -1, &st, nullptr) != SQLITE_OK)
      throw std::runtime_error(sqlite3_errmsg(db_));
    std::string out;
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
      const unsigned char* s = sqlite3_column_text(st, 0);
      out = s ? reinterpret_cast<const char*>(s) : "<null>";
    } else if (rc != SQLITE_DONE) {
      std::string msg = sqlite3_errmsg(db_);
      sqlite3_finalize(st);
      throw std::runtime_error(msg);
    }
    sqlite3_finalize(st);
    return out;
  }
  int64_t count(const std::string& sql) const { return std::stoll(text(sql)); }
  void exec(const std::string& sql) const {
    if (sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, nullptr) != SQLITE_OK)
      throw std::runtime_error(sqlite3_errmsg(db_));
  }

 private:
  sqlite3* db_ = nullptr;
};

}  // namespace warcpairs::store::testing
