// require_merged_database, open_merged_database (merged_database.h).
#include "merged_database.h"

#include <string>

#include "warcpairs/core/error.h"
#include "warcpairs/store/database.h"

namespace warcpairs::store {

void require_merged_database(const std::filesystem::path& path) {
  std::error_code ec;
  if (!std::filesystem::is_regular_file(path, ec))
    throw Error("no database: run `warcpairs merge` first", path.string());
}

sql::Connection open_merged_database(const std::filesystem::path& path, int64_t& version) {
  require_merged_database(path);
  sql::Connection db = sql::open(path.string(), /*read_only=*/true);
  sql::Statement v(db.get(), "PRAGMA user_version");
  version = v.step() ? v.column_int64(0) : 0;
  if (version < 1 || version > kSchemaVersion)
    throw Error("not a warcpairs database of schema version 1.." + std::to_string(kSchemaVersion) +
                    " (found " + std::to_string(version) + ")",
                path.string());
  return db;
}

}  // namespace warcpairs::store
