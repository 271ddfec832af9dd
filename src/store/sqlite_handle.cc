// SQLite connection opening, exec, and statement stepping with errors as warcpairs::Error.
#include "sqlite_handle.h"

#include "warcpairs/core/error.h"

namespace warcpairs::store::sql {

[[noreturn]] void fail(sqlite3* db, const std::string& what) {
  const char* file = db ? sqlite3_db_filename(db, "main") : nullptr;
  throw Error(what + ": " + (db ? sqlite3_errmsg(db) : "out of memory"), file ? file : "");
}

Connection open(const std::string& path, bool read_only) {
  sqlite3* raw = nullptr;
  // NOMUTEX: a connection is used by one thread at a time (Database's contract), so SQLite's
  // per-call connection mutex is pure cost (~5% of merge CPU in perf).
  int rc = sqlite3_open_v2(path.c_str(), &raw,
                           (read_only ? SQLITE_OPEN_READONLY
                                      : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE) |
                               SQLITE_OPEN_NOMUTEX,
                           nullptr);
  Connection db(raw);
  if (rc != SQLITE_OK) {
    std::string msg = raw ? sqlite3_errmsg(raw) : sqlite3_errstr(rc);
    throw Error("open database: " + msg, path);
  }
  sqlite3_extended_result_codes(raw, 1);
  // Another process (a second merge) may hold the write lock for one shard's transaction.
  sqlite3_busy_timeout(raw, 60000);
  return db;
}

void exec(sqlite3* db, const char* sql) {
  char* err = nullptr;
  if (sqlite3_exec(db, sql, nullptr, nullptr, &err) != SQLITE_OK) {
    std::string msg = err ? err : "unknown error";
    sqlite3_free(err);
    const char* file = sqlite3_db_filename(db, "main");
    throw Error(std::string("SQL failed: ") + msg, file ? file : "");
  }
}

Statement::Statement(sqlite3* db, const char* sql) : db_(db) {
  if (sqlite3_prepare_v3(db, sql, -1, SQLITE_PREPARE_PERSISTENT, &stmt_, nullptr) != SQLITE_OK)
    fail(db, std::string("prepare \"") + sql + "\"");
}

bool Statement::step() {
  int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  std::string what = std::string("execute \"") + sqlite3_sql(stmt_) + "\"";
  sqlite3_reset(stmt_);
  fail(db_, what);
}

void Statement::run() {
  step();
  reset();
}

}  // namespace warcpairs::store::sql
